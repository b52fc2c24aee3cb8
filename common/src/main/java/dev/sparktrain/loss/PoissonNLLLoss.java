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
        requireSameShape(input, target);
        double[] x = values(input);
        double[] y = values(target);
        double[] loss = new double[x.length];
        double[] grad = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            if (logInput) {
                double e = Math.exp(x[i]);
                loss[i] = e - y[i] * x[i];
                grad[i] = e - y[i];
            } else {
                loss[i] = x[i] - y[i] * Math.log(x[i] + eps);
                grad[i] = 1 - y[i] / (x[i] + eps);
            }
            if (full && y[i] > 1) {
                loss[i] += y[i] * Math.log(y[i]) - y[i] + 0.5 * Math.log(2 * Math.PI * y[i]);
            }
        }
        return reduceElementwise(loss, grad, input.shape(), input.dataType());
    }
}
