package dev.sparktrain.optim.schedule;

import java.util.Map;

/**
 * {@code torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max, eta_min=0)}: the lr follows
 * {@code eta_min + (initial_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2}, continuing as a cosine
 * (back up) past {@code T_max}. Stepped without an epoch, PyTorch uses the recursive form, reproduced
 * here term for term:
 * <ul>
 *   <li>epoch 0: unchanged;</li>
 *   <li>first step resumed at {@code epoch > 0}: the closed form;</li>
 *   <li>{@code (epoch - 1 - T_max) % (2 T_max) == 0}:
 *       {@code lr + (base_lr - eta_min) * (1 - cos(pi / T_max)) / 2};</li>
 *   <li>otherwise {@code (1 + cos(pi epoch / T_max)) / (1 + cos(pi (epoch - 1) / T_max)) * (lr - eta_min)
 *       + eta_min}.</li>
 * </ul>
 */
public final class CosineAnnealingLR extends AbstractLrScheduler {
    private int tMax;
    private double etaMin;

    /** CosineAnnealingLR with PyTorch's default eta_min 0. */
    public CosineAnnealingLR(ScheduleTarget target, int tMax) {
        this(target, tMax, 0.0);
    }

    public CosineAnnealingLR(ScheduleTarget target, int tMax, double etaMin) {
        super(target);
        this.tMax = tMax;
        this.etaMin = etaMin;
        start();
    }

    @Override
    double[] chainedLr() {
        if (lastEpoch == 0) {
            return currentLrs();
        }
        if (stepCount == 1 && lastEpoch > 0) {
            return closedFormLr();
        }
        double[] lrs = currentLrs();
        if ((lastEpoch - 1 - tMax) % (2 * tMax) == 0) {
            for (int i = 0; i < lrs.length; i++) {
                lrs[i] = lrs[i] + (baseLrs[i] - etaMin) * (1 - StrictMath.cos(Math.PI / tMax)) / 2;
            }
            return lrs;
        }
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = Py.div(1 + StrictMath.cos(Math.PI * lastEpoch / tMax),
                    1 + StrictMath.cos(Math.PI * (lastEpoch - 1) / tMax)) * (lrs[i] - etaMin) + etaMin;
        }
        return lrs;
    }

    @Override
    double[] closedFormLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = etaMin + (baseLrs[i] - etaMin) * (1 + StrictMath.cos(Math.PI * lastEpoch / tMax)) / 2;
        }
        return lrs;
    }

    @Override
    void writeState(Map<String, Object> out) {
        out.put("T_max", tMax);
        out.put("eta_min", etaMin);
    }

    @Override
    Runnable prepareOwn(StateReader in) {
        int t = in.getInt("T_max", tMax);
        double eta = in.getDouble("eta_min", etaMin);
        return () -> {
            tMax = t;
            etaMin = eta;
        };
    }
}
