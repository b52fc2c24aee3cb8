package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code torch.nn.L1Loss(reduction='mean')}: {@code |input - target|} per element (gradient
 * {@code sign(input - target)}, 0 where they are equal); input and target of the same shape.
 */
public final class L1Loss extends SingleLossSupport {

    /** PyTorch's default: reduction mean. */
    public L1Loss() {
        this(Reduction.MEAN);
    }

    public L1Loss(Reduction reduction) {
        super("L1Loss", reduction, false);
    }

    @Override
    protected LossValue compute(INDArray input, INDArray target) {
        return pointwise(input, target, (x, y, loss, grad, i) -> {
            double d = x - y;
            loss[i] = Math.abs(d);
            grad[i] = Math.signum(d);
        });
    }
}
