package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code torch.nn.SoftMarginLoss(reduction='mean')}: {@code log(1 + exp(-target * input))} per element,
 * targets usually +1 / -1; target of the input's shape.
 */
public final class SoftMarginLoss extends SingleLossSupport {

    /** PyTorch's default: reduction mean. */
    public SoftMarginLoss() {
        this(Reduction.MEAN);
    }

    public SoftMarginLoss(Reduction reduction) {
        super("SoftMarginLoss", reduction, false);
    }

    @Override
    protected LossValue compute(INDArray input, INDArray target) {
        return pointwise(input, target, (x, y, loss, grad, i) -> {
            double z = Math.exp(-y * x);
            loss[i] = Math.log1p(z);
            grad[i] = -y * z / (1 + z);
        });
    }
}
