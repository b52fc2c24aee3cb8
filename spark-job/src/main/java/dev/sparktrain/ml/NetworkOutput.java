package dev.sparktrain.ml;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

import java.io.Serializable;

/**
 * How a classifier reads its network's output row: the raw prediction is the output itself (a
 * one-output network's o as [-o, o], as LogisticRegression gives its margin, so that
 * BinaryClassificationEvaluator reads o); the probabilities are the output itself after a softmax
 * layer, softmax(raw) after any other (logits, log-probabilities); a one-output network gives
 * [1 - p, p], p its sigmoid output or sigmoid(o) of a logit.
 */
record NetworkOutput(int width, Activation activation) implements Serializable {

    /** The output layer's activation, as far as probabilities go. */
    enum Activation {
        SOFTMAX, SIGMOID, OTHER;

        static Activation of(IActivation a) {
            return a instanceof ActivationSoftmax ? SOFTMAX : a instanceof ActivationSigmoid ? SIGMOID : OTHER;
        }
    }

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
            double o = raw[1];
            double p = activation == Activation.SIGMOID ? o : 1 / (1 + Math.exp(-o));
            return new double[]{1 - p, p};
        }
        if (activation == Activation.SOFTMAX) {
            return raw.clone();
        }
        double[] p = new double[raw.length];
        if (activation == Activation.SIGMOID) { // independent probabilities (multi-label): normalized to sum 1
            double sum = 0;
            for (double v : raw) {
                sum += v;
            }
            for (int i = 0; i < p.length; i++) {
                p[i] = sum > 0 ? raw[i] / sum : 1.0 / p.length;
            }
            return p;
        }
        double top = Double.NEGATIVE_INFINITY;
        for (double v : raw) {
            top = Math.max(top, v);
        }
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(raw[i] - top);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
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
