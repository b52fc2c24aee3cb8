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
        requireSameShape(input, target);
        double[] x = values(input);
        double[] y = values(target);
        double[] loss = new double[x.length];
        double[] grad = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            loss[i] = Math.abs(d);
            grad[i] = Math.signum(d);
        }
        return reduceElementwise(loss, grad, input.shape(), input.dataType());
    }
}
