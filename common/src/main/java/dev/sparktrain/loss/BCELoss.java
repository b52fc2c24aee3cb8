package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code torch.nn.BCELoss(weight=None, reduction='mean')}:
 * {@code -weight * (target * log(input) + (1 - target) * log(1 - input))} per element, each log clamped
 * to at least -100 as PyTorch does; the gradient is PyTorch's
 * {@code weight * (input - target) / max(input * (1 - input), 1e-12)}. Input probabilities must lie in
 * [0, 1]; target of the input's shape; weight broadcastable to it.
 */
public final class BCELoss extends SingleLossSupport {
    private static final double EPSILON = 1e-12;
    private final INDArray weight;

    /** PyTorch's defaults: no weight, reduction mean. */
    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    public BCELoss(Reduction reduction) {
        this(null, reduction);
    }

    /** @param weight rescaling weight broadcastable to the input, or null (kept as a copy) */
    public BCELoss(INDArray weight, Reduction reduction) {
        super("BCELoss", reduction, false);
        this.weight = weight == null ? null : weight.dup();
    }

    public INDArray weight() {
        return weight == null ? null : weight.dup();
    }

    @Override
    protected LossValue compute(INDArray input, INDArray target) {
        requireSameShape(input, target);
        double[] x = values(input);
        double[] y = values(target);
        double[] w = weight == null ? null : broadcastTo(weight, input.shape(), "weight");
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] >= 0 && x[i] <= 1)) {
                throw new IllegalArgumentException("BCELoss: all elements of input should be between 0 and 1, got "
                        + x[i] + " at position " + i + " of input shape " + shapeOf(input));
            }
        }
        double[] loss = new double[x.length];
        double[] grad = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double logX = Math.max(Math.log(x[i]), -100);
            double log1mX = Math.max(Math.log1p(-x[i]), -100);
            double wi = w == null ? 1 : w[i];
            loss[i] = wi * ((y[i] - 1) * log1mX - y[i] * logX);
            grad[i] = wi * (x[i] - y[i]) / Math.max((1 - x[i]) * x[i], EPSILON);
        }
        return reduceElementwise(loss, grad, input.shape(), input.dataType());
    }
}
