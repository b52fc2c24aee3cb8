package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code torch.nn.KLDivLoss(reduction='mean', log_target=False)}: the input holds log-probabilities;
 * per element {@code target * (log(target) - input)} (0 where target is 0), or with log_target
 * {@code exp(target) * (target - input)}. Reductions: none, sum, mean (over ALL elements, as PyTorch does,
 * which is not the KL divergence) and batchmean (sum divided by the batch size, input.size(0): the KL
 * divergence per sample). Target of the input's shape.
 */
public final class KLDivLoss extends SingleLossSupport {
    private final boolean logTarget;

    /** PyTorch's defaults: reduction mean, log_target false. */
    public KLDivLoss() {
        this(Reduction.MEAN, false);
    }

    public KLDivLoss(Reduction reduction) {
        this(reduction, false);
    }

    public KLDivLoss(Reduction reduction, boolean logTarget) {
        super("KLDivLoss", reduction, true);
        this.logTarget = logTarget;
    }

    public boolean logTarget() {
        return logTarget;
    }

    @Override
    protected LossValue compute(INDArray input, INDArray target) {
        return pointwise(input, target, (x, y, loss, grad, i) -> {
            if (logTarget) {
                double e = Math.exp(y);
                loss[i] = e * (y - x);
                grad[i] = -e;
            } else {
                // xlogy(t, t) - t * x, xlogy(0, .) = 0
                double xlogy = y == 0 ? 0 : y * Math.log(y);
                loss[i] = xlogy - y * x;
                grad[i] = -y;
            }
        });
    }
}
