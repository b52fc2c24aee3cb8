package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code torch.nn.SmoothL1Loss(reduction='mean', beta=1.0)}: with {@code d = input - target},
 * {@code 0.5 d^2 / beta} where {@code |d| < beta}, else {@code |d| - 0.5 beta}; beta 0 is L1Loss.
 * Input and target of the same shape.
 */
public final class SmoothL1Loss extends SingleLossSupport {
    private final double beta;

    /** PyTorch's defaults: reduction mean, beta 1.0. */
    public SmoothL1Loss() {
        this(Reduction.MEAN, 1.0);
    }

    public SmoothL1Loss(Reduction reduction) {
        this(reduction, 1.0);
    }

    /** @param beta the threshold between the squared and the linear part, at least 0 */
    public SmoothL1Loss(Reduction reduction, double beta) {
        super("SmoothL1Loss", reduction, false);
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("SmoothL1Loss: beta must be a non-negative finite number, got " + beta);
        }
        this.beta = beta;
    }

    public double beta() {
        return beta;
    }

    @Override
    protected LossValue compute(INDArray input, INDArray target) {
        return pointwise(input, target, (x, y, loss, grad, i) -> {
            double d = x - y;
            double z = Math.abs(d);
            if (beta == 0) {
                loss[i] = z;
                grad[i] = Math.signum(d);
            } else if (z < beta) {
                loss[i] = 0.5 * z * z / beta;
                grad[i] = d / beta;
            } else {
                loss[i] = z - 0.5 * beta;
                grad[i] = d > beta ? 1 : d < -beta ? -1 : d / beta;
            }
        });
    }
}
