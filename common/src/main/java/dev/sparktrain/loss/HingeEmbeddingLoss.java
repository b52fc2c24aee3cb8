package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code torch.nn.HingeEmbeddingLoss(margin=1.0, reduction='mean')}: per element {@code input} where
 * target is 1 and {@code max(0, margin - input)} where target is -1 (PyTorch's formula adds both terms for
 * any other target value). Target of the input's shape.
 */
public final class HingeEmbeddingLoss extends SingleLossSupport {
    private final double margin;

    /** PyTorch's defaults: margin 1.0, reduction mean. */
    public HingeEmbeddingLoss() {
        this(1.0, Reduction.MEAN);
    }

    public HingeEmbeddingLoss(Reduction reduction) {
        this(1.0, reduction);
    }

    public HingeEmbeddingLoss(double margin, Reduction reduction) {
        super("HingeEmbeddingLoss", reduction, false);
        this.margin = margin;
    }

    public double margin() {
        return margin;
    }

    @Override
    protected LossValue compute(INDArray input, INDArray target) {
        return pointwise(input, target, (x, y, loss, grad, i) -> {
            double l = 0;
            double g = 0;
            if (y != 1) {
                double m = margin - x;
                if (m >= 0) {
                    l += m;
                    g -= 1;
                }
            }
            if (y != -1) {
                l += x;
                g += 1;
            }
            loss[i] = l;
            grad[i] = g;
        });
    }
}
