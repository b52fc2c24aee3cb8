package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code torch.nn.BCEWithLogitsLoss(weight=None, reduction='mean', pos_weight=None)}: sigmoid and binary
 * cross entropy in one numerically stable formula,
 * {@code weight * ((1 - t) x + (1 + (pw - 1) t) * log(1 + exp(-x)))}; the gradient is
 * {@code weight * ((pw t + 1 - t) * sigmoid(x) - pw t)}. Target of the input's shape; weight and pos_weight
 * broadcastable to it (pos_weight usually [C], one per class along the last dimension).
 */
public final class BCEWithLogitsLoss extends SingleLossSupport {
    private final INDArray weight;
    private final INDArray posWeight;

    /** PyTorch's defaults: no weight, reduction mean, no pos_weight. */
    public BCEWithLogitsLoss() {
        this(null, Reduction.MEAN, null);
    }

    public BCEWithLogitsLoss(Reduction reduction) {
        this(null, reduction, null);
    }

    /**
     * @param weight    rescaling weight broadcastable to the input, or null (kept as a copy)
     * @param posWeight weight of positive examples broadcastable to the input, or null (kept as a copy)
     */
    public BCEWithLogitsLoss(INDArray weight, Reduction reduction, INDArray posWeight) {
        super("BCEWithLogitsLoss", reduction, false);
        this.weight = weight == null ? null : weight.dup();
        this.posWeight = posWeight == null ? null : posWeight.dup();
    }

    public INDArray weight() {
        return weight == null ? null : weight.dup();
    }

    public INDArray posWeight() {
        return posWeight == null ? null : posWeight.dup();
    }

    @Override
    protected LossValue compute(INDArray input, INDArray target) {
        requireSameShape(input, target);
        double[] x = values(input);
        double[] y = values(target);
        double[] w = weight == null ? null : broadcastTo(weight, input.shape(), "weight");
        double[] pw = posWeight == null ? null : broadcastTo(posWeight, input.shape(), "pos_weight");
        double[] loss = new double[x.length];
        double[] grad = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double maxVal = Math.max(-x[i], 0);
            // log(1 + exp(-x)) computed as PyTorch does
            double softplusNeg = Math.log(Math.exp(-maxVal) + Math.exp(-x[i] - maxVal)) + maxVal;
            double sig = 1 / (1 + Math.exp(-x[i]));
            double l;
            double g;
            if (pw == null) {
                l = (1 - y[i]) * x[i] + softplusNeg;
                g = sig - y[i];
            } else {
                double logWeight = (pw[i] - 1) * y[i] + 1;
                l = (1 - y[i]) * x[i] + logWeight * softplusNeg;
                double t = pw[i] * y[i];
                g = (t + 1 - y[i]) * sig - t;
            }
            double wi = w == null ? 1 : w[i];
            loss[i] = wi * l;
            grad[i] = wi * g;
        }
        return reduceElementwise(loss, grad, input.shape(), input.dataType());
    }
}
