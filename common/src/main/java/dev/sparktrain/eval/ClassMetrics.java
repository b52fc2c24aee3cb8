package dev.sparktrain.eval;

/**
 * Precision, recall and F1 of one class (or label) and its support (examples of that class), as
 * scikit-learn's {@code classification_report} computes them; a ratio with nothing to divide by is 0
 * (its {@code zero_division} default).
 */
public record ClassMetrics(int label, double precision, double recall, double f1, long support) {

    static ClassMetrics of(int label, long tp, long fp, long fn) {
        double p = ratio(tp, tp + fp);
        double r = ratio(tp, tp + fn);
        double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
        return new ClassMetrics(label, p, r, f1, tp + fn);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }
}
