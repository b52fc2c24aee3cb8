package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code torch.nn.MultiMarginLoss(p=1, margin=1.0, weight=None, reduction='mean')}: input [C] or [N, C],
 * target class indices [] or [N]; per sample
 * {@code sum over i != y of weight[y] * max(0, margin - x[y] + x[i])^p / C}, p 1 or 2; mean averages over
 * samples (not weighted).
 */
public final class MultiMarginLoss extends SingleLossSupport {
    private final int p;
    private final double margin;
    private final INDArray weight;

    /** PyTorch's defaults: p 1, margin 1.0, no weight, reduction mean. */
    public MultiMarginLoss() {
        this(1, 1.0, null, Reduction.MEAN);
    }

    public MultiMarginLoss(Reduction reduction) {
        this(1, 1.0, null, reduction);
    }

    /** @param weight per-class weights [C], or null (kept as a copy) */
    public MultiMarginLoss(int p, double margin, INDArray weight, Reduction reduction) {
        super("MultiMarginLoss", reduction, false);
        if (p != 1 && p != 2) {
            throw new IllegalArgumentException("MultiMarginLoss: only p == 1 and p == 2 supported, got " + p);
        }
        this.p = p;
        this.margin = margin;
        this.weight = weight == null ? null : weight.dup();
    }

    public int p() {
        return p;
    }

    public double margin() {
        return margin;
    }

    public INDArray weight() {
        return weight == null ? null : weight.dup();
    }

    @Override
    protected LossValue compute(INDArray input, INDArray target) {
        long[] is = input.shape();
        if (is.length < 1 || is.length > 2) {
            throw new IllegalArgumentException("MultiMarginLoss: input must be [C] or [N, C], got shape "
                    + shapeOf(input));
        }
        int classes = (int) is[is.length - 1];
        int batch = is.length == 1 ? 1 : (int) is[0];
        long[] outShape = is.length == 1 ? new long[0] : new long[] {batch};
        if (!java.util.Arrays.equals(outShape, target.shape())) {
            throw new IllegalArgumentException("MultiMarginLoss: input shape " + shapeOf(input) + " and target shape "
                    + shapeOf(target) + " do not match: class-index targets need shape "
                    + java.util.Arrays.toString(outShape));
        }
        double[] w = classWeights(weight, classes);
        double[] x = values(input);
        int[] t = integerTargets(values(target));
        checkClassRange(t, classes, 0, false);
        double[] loss = new double[batch];
        double[] grad = new double[x.length];
        for (int n = 0; n < batch; n++) {
            int base = n * classes;
            int y = t[n];
            double l = 0;
            for (int i = 0; i < classes; i++) {
                if (i == y) {
                    continue;
                }
                double z = margin - x[base + y] + x[base + i];
                if (z > 0) {
                    double h = (p == 1 ? z : z * z) * w[y] / classes;
                    double dh = (p == 1 ? 1 : 2 * z) * w[y] / classes;
                    l += h;
                    grad[base + i] += dh;
                    grad[base + y] -= dh;
                }
            }
            loss[n] = l;
        }
        return reducePerSample(loss, grad, outShape, is, input.dataType());
    }
}
