package dev.sparktrain.optim.schedule;

import java.util.Map;

/**
 * {@code torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1/3, end_factor=1.0, total_iters=5)}:
 * the lr is {@code initial_lr * (start_factor + (end_factor - start_factor) * min(epoch, total_iters) /
 * total_iters)}. Stepped without an epoch, PyTorch multiplies the current lr by the recursive factor
 * {@code 1 + (end - start) / (total_iters * start + (epoch - 1) * (end - start))} (times
 * {@code start_factor} at epoch 0, unchanged past {@code total_iters}); so does this class.
 * PyTorch 1.13 requires both factors in [0, 1].
 */
public final class LinearLR extends AbstractLrScheduler {
    /** PyTorch's defaults. */
    public static final double DEFAULT_START_FACTOR = 1.0 / 3;
    public static final double DEFAULT_END_FACTOR = 1.0;
    public static final int DEFAULT_TOTAL_ITERS = 5;

    private double startFactor;
    private double endFactor;
    private int totalIters;

    /** LinearLR with PyTorch's defaults (1/3, 1.0, 5). */
    public LinearLR(ScheduleTarget target) {
        this(target, DEFAULT_START_FACTOR, DEFAULT_END_FACTOR, DEFAULT_TOTAL_ITERS);
    }

    public LinearLR(ScheduleTarget target, double startFactor, double endFactor, int totalIters) {
        super(target);
        if (startFactor > 1.0 || startFactor < 0) {
            throw new IllegalArgumentException("Starting multiplicative factor expected to be between 0 and 1.");
        }
        if (endFactor > 1.0 || endFactor < 0) {
            throw new IllegalArgumentException("Ending multiplicative factor expected to be between 0 and 1.");
        }
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        start();
    }

    @Override
    double[] chainedLr() {
        if (lastEpoch == 0) {
            return scaledLrs(startFactor);
        }
        if (lastEpoch > totalIters) {
            return currentLrs();
        }
        return scaledLrs(1. + Py.div(endFactor - startFactor,
                totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor)));
    }

    @Override
    double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = lrs[i] * (startFactor
                    + Py.div((endFactor - startFactor) * Math.min(totalIters, lastEpoch), totalIters));
        }
        return lrs;
    }

    @Override
    void writeState(Map<String, Object> out) {
        out.put("start_factor", startFactor);
        out.put("end_factor", endFactor);
        out.put("total_iters", totalIters);
    }

    @Override
    Runnable prepareOwn(StateReader in) {
        double s = in.getDouble("start_factor", startFactor);
        double e = in.getDouble("end_factor", endFactor);
        int t = in.getInt("total_iters", totalIters);
        return () -> {
            startFactor = s;
            endFactor = e;
            totalIters = t;
        };
    }
}
