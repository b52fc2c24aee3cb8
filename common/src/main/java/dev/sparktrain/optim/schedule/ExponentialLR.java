package dev.sparktrain.optim.schedule;

import java.util.Map;

/**
 * {@code torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma)} (no default): each group's lr is
 * multiplied by {@code gamma} every epoch, {@code lr = initial_lr * gamma^epoch}, computed as PyTorch's
 * chainable get_lr() (current lr times gamma, unchanged at epoch 0).
 */
public final class ExponentialLR extends AbstractLrScheduler {
    private double gamma;

    public ExponentialLR(ScheduleTarget target, double gamma) {
        super(target);
        this.gamma = gamma;
        start();
    }

    @Override
    double[] chainedLr() {
        return lastEpoch == 0 ? currentLrs() : scaledLrs(gamma);
    }

    @Override
    double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = lrs[i] * StrictMath.pow(gamma, lastEpoch);
        }
        return lrs;
    }

    @Override
    void writeState(Map<String, Object> out) {
        out.put("gamma", gamma);
    }

    @Override
    Runnable prepareOwn(StateReader in) {
        double g = in.getDouble("gamma", gamma);
        return () -> gamma = g;
    }
}
