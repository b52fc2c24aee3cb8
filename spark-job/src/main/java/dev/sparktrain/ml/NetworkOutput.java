package dev.sparktrain.ml;

import dev.sparktrain.eval.Evaluator;
import dev.sparktrain.eval.TargetKind;

import java.io.Serializable;

/**
 * How a classifier reads its network's output row: the raw prediction is the output itself (a
 * one-output network's o as [-o, o], as LogisticRegression gives its margin, so that
 * BinaryClassificationEvaluator reads o); the probabilities are what the output layer's loss makes of
 * the output ({@link Evaluator#scores}: softmax of logits, exp of log-probabilities, the output of a
 * softmax layer itself); a one-output network gives [1 - p, p]; several independent yes/no outputs are
 * normalized to sum 1.
 */
record NetworkOutput(int width, Evaluator evaluator) implements Serializable {

    /** Classes: the outputs, or 2 for a one-output (binary) network. */
    int classes() {
        return width == 1 ? 2 : width;
    }

    double[] raw(double[] out) {
        return width == 1 ? new double[]{-out[0], out[0]} : out.clone();
    }

    /** The probabilities of a raw prediction, {@link #classes()} long; {@code raw} is not changed. */
    double[] probabilities(double[] raw) {
        if (width == 1) {
            double p = evaluator.scores(new double[]{raw[1]})[0];
            return new double[]{1 - p, p};
        }
        double[] p = evaluator.scores(raw);
        if (evaluator.kind() != TargetKind.MULTICLASS) { // independent yes/no probabilities, or values
            double sum = 0;
            for (double v : p) {
                sum += v;
            }
            for (int i = 0; i < p.length; i++) {
                p[i] = sum > 0 ? p[i] / sum : 1.0 / p.length;
            }
        }
        return p;
    }

    /**
     * The class of the probabilities: the largest, or with {@code thresholds} (null: none) the largest
     * p / t (t = 0: that class wins), as Spark's {@code probability2prediction}; ties go to the first.
     */
    static double prediction(double[] probability, double[] thresholds) {
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < probability.length; i++) {
            double v = thresholds == null ? probability[i]
                    : thresholds[i] == 0 ? Double.POSITIVE_INFINITY : probability[i] / thresholds[i];
            if (v > bestValue) {
                best = i;
                bestValue = v;
            }
        }
        return best;
    }
}
