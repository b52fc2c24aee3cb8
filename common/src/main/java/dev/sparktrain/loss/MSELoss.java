package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code torch.nn.MSELoss(reduction='mean')}: {@code (input - target)^2} per element; input and target of
 * the same shape.
 */
public final class MSELoss extends SingleLossSupport {

    /** PyTorch's default: reduction mean. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        super("MSELoss", reduction, false);
    }

    @Override
    protected LossValue compute(INDArray input, INDArray target) {
        return pointwise(input, target, (x, y, loss, grad, i) -> {
            double d = x - y;
            loss[i] = d * d;
            grad[i] = 2 * d;
        });
    }
}
