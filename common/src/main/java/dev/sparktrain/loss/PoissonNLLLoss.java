package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code torch.nn.PoissonNLLLoss(log_input=True, full=False, eps=1e-8, reduction='mean')}: per element
 * {@code exp(input) - target * input} (log_input) or {@code input - target * log(input + eps)}; with full,
 * plus Stirling's term {@code target * log(target) - target + 0.5 * log(2 pi target)} where target > 1
 * (no input gradient). Target of the input's shape.
 */
public final class PoissonNLLLoss extends SingleLossSupport {
    private final boolean logInput;
    private final boolean full;
    private final double eps;

    /** PyTorch's defaults: log_input true, full false, eps 1e-8, reduction mean. */
    public PoissonNLLLoss() {
        this(true, false, 1e-8, Reduction.MEAN);
    }

    public PoissonNLLLoss(Reduction reduction) {
        this(true, false, 1e-8, reduction);
    }

    public PoissonNLLLoss(boolean logInput, boolean full, double eps, Reduction reduction) {
        super("PoissonNLLLoss", reduction, false);
        this.logInput = logInput;
        this.full = full;
        this.eps = eps;
    }

    public boolean logInput() {
        return logInput;
    }

    public boolean full() {
        return full;
    }

    public double eps() {
        return eps;
    }

    @Override
    protected LossValue compute(INDArray input, INDArray target) {
        return pointwise(input, target, (x, y, loss, grad, i) -> {
            if (logInput) {
                double e = Math.exp(x);
                loss[i] = e - y * x;
                grad[i] = e - y;
            } else {
                loss[i] = x - y * Math.log(x + eps);
                grad[i] = 1 - y / (x + eps);
            }
            if (full && y > 1) {
                loss[i] += y * Math.log(y) - y + 0.5 * Math.log(2 * Math.PI * y);
            }
        });
    }
}
