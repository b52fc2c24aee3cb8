package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code torch.nn.MultiLabelMarginLoss(reduction='mean')}: input [C] or [N, C]; target of the same shape
 * holding each sample's target classes, padded with -1 (classes after the first -1 are ignored). Per
 * sample {@code sum over targets j, non-targets k of max(0, 1 - (x[j] - x[k])) / C}; mean averages over
 * samples. An unbatched input gives a scalar even for reduction none.
 */
public final class MultiLabelMarginLoss extends SingleLossSupport {

    /** PyTorch's default: reduction mean. */
    public MultiLabelMarginLoss() {
        this(Reduction.MEAN);
    }

    public MultiLabelMarginLoss(Reduction reduction) {
        super("MultiLabelMarginLoss", reduction, false);
    }

    @Override
    protected LossValue compute(INDArray input, INDArray target) {
        if (input.rank() < 1 || input.rank() > 2) {
            throw new IllegalArgumentException("MultiLabelMarginLoss: input must be [C] or [N, C], got shape "
                    + shapeOf(input));
        }
        requireSameShape(input, target);
        long[] is = input.shape();
        int classes = (int) is[is.length - 1];
        int batch = input.rank() == 1 ? 1 : (int) is[0];
        double[] x = values(input);
        int[] t = integerTargets(values(target));
        for (int i = 0; i < t.length; i++) {
            if (t[i] < -1 || t[i] >= classes) {
                throw new IllegalArgumentException("MultiLabelMarginLoss: Target " + t[i] + " is out of bounds for "
                        + classes + " classes (at target position " + i + "; valid: 0.." + (classes - 1)
                        + ", -1 ends a sample's targets)");
            }
        }
        double[] loss = new double[batch];
        double[] grad = new double[x.length];
        boolean[] isTarget = new boolean[classes];
        for (int n = 0; n < batch; n++) {
            int base = n * classes;
            java.util.Arrays.fill(isTarget, false);
            int count = 0;
            while (count < classes && t[base + count] >= 0) {
                isTarget[t[base + count]] = true;
                count++;
            }
            double l = 0;
            for (int jj = 0; jj < count; jj++) {
                int j = t[base + jj];
                for (int k = 0; k < classes; k++) {
                    if (isTarget[k]) {
                        continue;
                    }
                    double z = 1 - x[base + j] + x[base + k];
                    if (z > 0) {
                        l += z;
                        grad[base + j] -= 1.0 / classes;
                        grad[base + k] += 1.0 / classes;
                    }
                }
            }
            loss[n] = l / classes;
        }
        long[] outShape = input.rank() == 1 ? new long[0] : new long[] {batch};
        return reducePerSample(loss, grad, outShape, is, input.dataType());
    }
}
