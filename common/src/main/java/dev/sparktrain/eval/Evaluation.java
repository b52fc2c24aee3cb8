package dev.sparktrain.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sums of an evaluation: examples, loss, and for classification the confusion matrix (rows the
 * actual class, columns the predicted; binary: 2 x 2), for multi-label each label's true/false
 * positives/negatives, for regression each output's squared and absolute errors and the labels' mean
 * and spread. Sums of shards add up ({@link #plus}) to those of the whole data, in any order, so one
 * evaluation is the same locally and on any number of executors. Immutable.
 */
public final class Evaluation implements Serializable {
    private static final long serialVersionUID = 1L;

    /** No examples of no kind: the identity of {@link #plus}. */
    public static final Evaluation EMPTY = new Evaluation(null, 0, 0, 0, new long[0], new long[0], 0,
            new double[0][]);

    private final TargetKind kind;
    private final int outputs;
    private final long count;
    private final double lossSum;
    private final long[] confusion;    // classes x classes, row major
    private final long[] labelCounts;  // multi-label: per label tp, fp, fn, tn
    private final long exactMatches;   // multi-label: rows with every label right
    private final double[][] regression; // per output: squared error, absolute error, label mean, label M2

    private Evaluation(TargetKind kind, int outputs, long count, double lossSum, long[] confusion,
                       long[] labelCounts, long exactMatches, double[][] regression) {
        this.kind = kind;
        this.outputs = outputs;
        this.count = count;
        this.lossSum = lossSum;
        this.confusion = confusion;
        this.labelCounts = labelCounts;
        this.exactMatches = exactMatches;
        this.regression = regression;
    }

    static Builder builder(TargetKind kind, int outputs) {
        return new Builder(kind, outputs);
    }

    /** The kind of target; null for {@link #EMPTY}. */
    public TargetKind kind() {
        return kind;
    }

    public long count() {
        return count;
    }

    public double lossSum() {
        return lossSum;
    }

    public double meanLoss() {
        return count == 0 ? Double.NaN : lossSum / count;
    }

    /** Classes of the confusion matrix (2 for binary), labels for multi-label, 0 otherwise. */
    public int classes() {
        if (kind == null) {
            return 0;
        }
        return switch (kind) {
            case MULTICLASS -> outputs;
            case BINARY -> 2;
            case MULTILABEL -> outputs;
            default -> 0;
        };
    }

    /**
     * The share right: examples of the predicted class (multi-class, binary), or label decisions
     * (multi-label, each label of each example); NaN for regression and loss-only kinds.
     */
    public double accuracy() {
        if (count == 0 || kind == null || !kind.classification()) {
            return Double.NaN;
        }
        if (kind == TargetKind.MULTILABEL) {
            long right = 0;
            for (int l = 0; l < outputs; l++) {
                right += labelCounts[4 * l] + labelCounts[4 * l + 3];
            }
            return (double) right / ((double) count * outputs);
        }
        long right = 0;
        int k = classes();
        for (int c = 0; c < k; c++) {
            right += confusion[c * k + c];
        }
        return (double) right / count;
    }

    /** Multi-label: the share of examples with every label right (subset accuracy); NaN otherwise. */
    public double exactMatch() {
        return kind == TargetKind.MULTILABEL && count > 0 ? (double) exactMatches / count : Double.NaN;
    }

    /** Confusion counts [actual][predicted] (multi-class, binary); multi-label: per label [tp, fp, fn, tn]. */
    public long[][] confusion() {
        if (kind == TargetKind.MULTILABEL) {
            long[][] m = new long[outputs][];
            for (int l = 0; l < outputs; l++) {
                m[l] = Arrays.copyOfRange(labelCounts, 4 * l, 4 * l + 4);
            }
            return m;
        }
        int k = classes();
        long[][] m = new long[k][];
        for (int c = 0; c < k; c++) {
            m[c] = Arrays.copyOfRange(confusion, c * k, c * k + k);
        }
        return m;
    }

    /** Precision, recall, F1 and support of each class (or label); empty for regression. */
    public List<ClassMetrics> perClass() {
        List<ClassMetrics> out = new ArrayList<>();
        int k = classes();
        for (int c = 0; c < k; c++) {
            long tp;
            long fp;
            long fn;
            if (kind == TargetKind.MULTILABEL) {
                tp = labelCounts[4 * c];
                fp = labelCounts[4 * c + 1];
                fn = labelCounts[4 * c + 2];
            } else {
                long row = 0;
                long col = 0;
                for (int j = 0; j < k; j++) {
                    row += confusion[c * k + j];
                    col += confusion[j * k + c];
                }
                tp = confusion[c * k + c];
                fp = col - tp;
                fn = row - tp;
            }
            out.add(ClassMetrics.of(c, tp, fp, fn));
        }
        return out;
    }

    /** Mean squared error over every output of every example; NaN unless regression. */
    public double mse() {
        return regressionMean(0);
    }

    /** Mean absolute error over every output of every example; NaN unless regression. */
    public double mae() {
        return regressionMean(1);
    }

    /**
     * The coefficient of determination, 1 - SS_res / SS_tot per output, averaged over outputs (scikit-learn's
     * {@code r2_score} with {@code uniform_average}); NaN unless regression, or when the labels of an output do not vary.
     */
    public double r2() {
        if (kind != TargetKind.REGRESSION || count == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (double[] o : regression) {
            sum += 1 - o[0] / o[3];
        }
        return sum / outputs;
    }

    private double regressionMean(int field) {
        if (kind != TargetKind.REGRESSION || count == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (double[] o : regression) {
            sum += o[field];
        }
        return sum / ((double) count * outputs);
    }

    /**
     * The figures the kind has, by name, NaN ones left out: accuracy (and exact_match for multi-label),
     * or mse, mae and r2 (regression).
     */
    public Map<String, Double> headline() {
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, "accuracy", accuracy());
        put(m, "exact_match", exactMatch());
        put(m, "mse", mse());
        put(m, "mae", mae());
        put(m, "r2", r2());
        return m;
    }

    private static void put(Map<String, Double> m, String key, double v) {
        if (!Double.isNaN(v)) {
            m.put(key, v);
        }
    }

    /** The sums of both; of the same kind and width (or one of them {@link #EMPTY}). */
    public Evaluation plus(Evaluation o) {
        if (o.kind == null) {
            return this;
        }
        if (kind == null) {
            return o;
        }
        if (o.kind != kind || o.outputs != outputs) {
            throw new IllegalArgumentException("cannot add a " + o.kind.text() + " evaluation of " + o.outputs
                    + " outputs to a " + kind.text() + " one of " + outputs);
        }
        long[] conf = confusion.clone();
        for (int i = 0; i < conf.length; i++) {
            conf[i] += o.confusion[i];
        }
        long[] labels = labelCounts.clone();
        for (int i = 0; i < labels.length; i++) {
            labels[i] += o.labelCounts[i];
        }
        double[][] reg = new double[regression.length][];
        for (int j = 0; j < reg.length; j++) {
            reg[j] = merge(regression[j], count, o.regression[j], o.count);
        }
        return new Evaluation(kind, outputs, count + o.count, lossSum + o.lossSum, conf, labels,
                exactMatches + o.exactMatches, reg);
    }

    /** Adds error sums; merges label means and M2 as Chan et al.'s parallel variance does. */
    private static double[] merge(double[] a, long na, double[] b, long nb) {
        long n = na + nb;
        if (n == 0) {
            return a.clone();
        }
        double delta = b[2] - a[2];
        double mean = a[2] + delta * nb / n;
        double m2 = a[3] + b[3] + delta * delta * ((double) na * nb / n);
        return new double[]{a[0] + b[0], a[1] + b[1], mean, m2};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Evaluation e && kind == e.kind && outputs == e.outputs && count == e.count
                && Double.compare(lossSum, e.lossSum) == 0 && Arrays.equals(confusion, e.confusion)
                && Arrays.equals(labelCounts, e.labelCounts) && exactMatches == e.exactMatches
                && Arrays.deepEquals(regression, e.regression);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kind, outputs, count, lossSum, Arrays.hashCode(confusion), exactMatches);
    }

    @Override
    public String toString() {
        return "Evaluation" + EvaluationReport.json(this);
    }

    /** Collects one batch's sums, example by example. */
    static final class Builder {
        private final TargetKind kind;
        private final int outputs;
        private final int classes;
        private final long[] confusion;
        private final long[] labelCounts;
        private final List<double[]> values = new ArrayList<>(); // regression: labels, then predictions
        private long exact;
        private long count;
        private double lossSum;

        private Builder(TargetKind kind, int outputs) {
            this.kind = kind;
            this.outputs = outputs;
            this.classes = kind == TargetKind.BINARY ? 2 : kind == TargetKind.MULTICLASS ? outputs : 0;
            this.confusion = new long[classes * classes];
            this.labelCounts = new long[kind == TargetKind.MULTILABEL ? 4 * outputs : 0];
        }

        Builder loss(double sum, long n) {
            lossSum = sum;
            count = n;
            return this;
        }

        void classified(int actual, int predicted) {
            if (actual < 0 || actual >= classes) {
                throw new IllegalArgumentException("label " + actual + " is outside [0, " + classes + ")");
            }
            confusion[actual * classes + predicted]++;
        }

        void labelled(double[] labels, double[] probabilities, double labelThreshold) {
            boolean all = true;
            for (int l = 0; l < outputs; l++) {
                boolean actual = labels[l] > labelThreshold;
                boolean predicted = probabilities[l] > 0.5;
                labelCounts[4 * l + (actual ? (predicted ? 0 : 2) : (predicted ? 1 : 3))]++;
                all &= actual == predicted;
            }
            if (all) {
                exact++;
            }
        }

        void regressed(double[] labels, double[] predictions) {
            values.add(labels);
            values.add(predictions);
        }

        Evaluation build() {
            double[][] reg = new double[kind == TargetKind.REGRESSION ? outputs : 0][4];
            int rows = values.size() / 2;
            for (int j = 0; j < reg.length; j++) {
                double mean = 0;
                for (int i = 0; i < rows; i++) {
                    double y = values.get(2 * i)[j];
                    double e = values.get(2 * i + 1)[j] - y;
                    reg[j][0] += e * e;
                    reg[j][1] += Math.abs(e);
                    mean += y;
                }
                mean = rows == 0 ? 0 : mean / rows;
                for (int i = 0; i < rows; i++) {
                    double d = values.get(2 * i)[j] - mean;
                    reg[j][3] += d * d;
                }
                reg[j][2] = mean;
            }
            return new Evaluation(kind, outputs, count, lossSum, confusion, labelCounts, exact, reg);
        }
    }
}
