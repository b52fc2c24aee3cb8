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
        requireSameShape(input, target);
        double[] x = values(input);
        double[] y = values(target);
        double[] loss = new double[x.length];
        double[] grad = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            loss[i] = d * d;
            grad[i] = 2 * d;
        }
        return reduceElementwise(loss, grad, input.shape(), input.dataType());
    }
}
