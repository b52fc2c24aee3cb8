package dev.sparktrain.optim.schedule;

import java.util.Map;

/**
 * {@code torch.optim.lr_scheduler.StepLR(optimizer, step_size, gamma=0.1)}: every {@code step_size}
 * epochs each group's lr is multiplied by {@code gamma}, so {@code lr = initial_lr * gamma^(epoch //
 * step_size)}. Computed as PyTorch's chainable get_lr(): the current lr, times gamma when
 * {@code last_epoch > 0 && last_epoch % step_size == 0}.
 */
public final class StepLR extends AbstractLrScheduler {
    /** PyTorch's default gamma. */
    public static final double DEFAULT_GAMMA = 0.1;

    private int stepSize;
    private double gamma;

    /** StepLR with PyTorch's default gamma 0.1. */
    public StepLR(ScheduleTarget target, int stepSize) {
        this(target, stepSize, DEFAULT_GAMMA);
    }

    public StepLR(ScheduleTarget target, int stepSize, double gamma) {
        super(target);
        this.stepSize = stepSize;
        this.gamma = gamma;
        start();
    }

    @Override
    double[] chainedLr() {
        if (lastEpoch == 0 || lastEpoch % stepSize != 0) {
            return currentLrs();
        }
        return scaledLrs(gamma);
    }

    @Override
    double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = lrs[i] * StrictMath.pow(gamma, Math.floorDiv(lastEpoch, stepSize));
        }
        return lrs;
    }

    @Override
    void writeState(Map<String, Object> out) {
        out.put("step_size", stepSize);
        out.put("gamma", gamma);
    }

    @Override
    Runnable prepareOwn(StateReader in) {
        int size = in.getInt("step_size", stepSize);
        double g = in.getDouble("gamma", gamma);
        return () -> {
            stepSize = size;
            gamma = g;
        };
    }
}
