package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * The computation CrossEntropyLoss and NLLLoss share: per position, loss = -sum_c a_c log p_c with
 * a_c from the class-index target (plus label smoothing) or the class-probability target, weighted
 * per class, and the analytic gradient w.r.t. the logits or the log-probabilities.
 */
abstract class ClassIndexLossSupport extends SingleLossSupport {
    ClassIndexLossSupport(String name, Reduction reduction) {
        super(name, reduction, false);
    }

    /**
     * CrossEntropyLoss ({@code softmax} true) and NLLLoss ({@code softmax} false, input already holds log
     * probabilities): input [C] or [N, C, d1, ...]; target class indices of the input's shape without the
     * class dimension, or (CE only, {@code allowProbabilities}) class probabilities of the input's shape.
     */
    LossValue classLoss(INDArray input, INDArray target, INDArray weight, long ignoreIndex, double smoothing,
                        boolean softmax, boolean allowProbabilities) {
        long[] is = input.shape();
        if (is.length == 0) {
            throw new IllegalArgumentException(name() + ": input must have a class dimension, got shape []");
        }
        boolean unbatched = is.length == 1;
        int classes = (int) (unbatched ? is[0] : is[1]);
        int batch = (int) (unbatched ? 1 : is[0]);
        int spatial = (int) (unbatched ? 1 : product(is, 2, is.length));
        long[] outShape = new long[unbatched ? 0 : is.length - 1];
        if (!unbatched) {
            outShape[0] = is[0];
            System.arraycopy(is, 2, outShape, 1, is.length - 2);
        }
        boolean probabilities = allowProbabilities && Arrays.equals(is, target.shape());
        if (!probabilities && !Arrays.equals(outShape, target.shape())) {
            throw new IllegalArgumentException(name() + ": input shape " + shapeOf(input) + " and target shape "
                    + shapeOf(target) + " do not match: class-index targets need shape " + Arrays.toString(outShape)
                    + (allowProbabilities ? ", class-probability targets shape " + Arrays.toString(is) : ""));
        }
        double[] w = classWeights(weight, classes);
        double[] x = values(input);
        double[] lp = x;
        double[] p = null;
        if (softmax) {
            lp = new double[x.length];
            p = new double[x.length];
            for (int n = 0; n < batch; n++) {
                for (int s = 0; s < spatial; s++) {
                    int base = n * classes * spatial + s;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < classes; c++) {
                        max = Math.max(max, x[base + c * spatial]);
                    }
                    double sum = 0;
                    for (int c = 0; c < classes; c++) {
                        sum += Math.exp(x[base + c * spatial] - max);
                    }
                    double lse = max + Math.log(sum);
                    for (int c = 0; c < classes; c++) {
                        int i = base + c * spatial;
                        lp[i] = x[i] - lse;
                        p[i] = Math.exp(lp[i]);
                    }
                }
            }
        }
        double[] loss = new double[batch * spatial];
        double[] grad = new double[x.length];
        double[] a = new double[classes];
        double denominator;
        double[] t = values(target);
        if (probabilities) {
            if (smoothing > 0) {
                for (int i = 0; i < t.length; i++) {
                    t[i] = t[i] * (1 - smoothing) + smoothing / classes;
                }
            }
            denominator = batch * (double) spatial;
            for (int n = 0; n < batch; n++) {
                for (int s = 0; s < spatial; s++) {
                    int base = n * classes * spatial + s;
                    for (int c = 0; c < classes; c++) {
                        a[c] = w[c] * t[base + c * spatial];
                    }
                    accumulate(loss, grad, lp, p, a, n * spatial + s, base, spatial);
                }
            }
        } else {
            int[] ti = integerTargets(t);
            checkClassRange(ti, classes, ignoreIndex, true);
            double eps = softmax ? smoothing : 0;
            denominator = 0;
            for (int n = 0; n < batch; n++) {
                for (int s = 0; s < spatial; s++) {
                    int k = ti[n * spatial + s];
                    if (k == ignoreIndex) {
                        continue;
                    }
                    denominator += w[k];
                    for (int c = 0; c < classes; c++) {
                        a[c] = eps / classes * w[c];
                    }
                    a[k] += (1 - eps) * w[k];
                    accumulate(loss, grad, lp, p, a, n * spatial + s, n * classes * spatial + s, spatial);
                }
            }
        }
        return reduceWithDenominator(loss, grad, outShape, is, input.dataType(), 1.0 / denominator);
    }

    /** loss = -sum_c a_c lp_c; its gradient w.r.t. the logits (p != null) or the log-probabilities. */
    private static void accumulate(double[] loss, double[] grad, double[] lp, double[] p, double[] a, int out,
                                   int base, int spatial) {
        double l = 0;
        double sumA = 0;
        for (int c = 0; c < a.length; c++) {
            if (a[c] != 0) {
                l -= a[c] * lp[base + c * spatial];
            }
            sumA += a[c];
        }
        loss[out] = l;
        for (int c = 0; c < a.length; c++) {
            int i = base + c * spatial;
            grad[i] = p == null ? -a[c] : -a[c] + sumA * p[i];
        }
    }
}
