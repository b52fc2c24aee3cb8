package dev.sparktrain.optim.schedule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones, gamma=0.1)}: each group's lr is
 * multiplied by {@code gamma} when the epoch reaches a milestone, {@code lr = initial_lr *
 * gamma^bisect_right(milestones, epoch)}. Milestones are counted like PyTorch's {@code Counter}: a
 * milestone listed twice multiplies by {@code gamma^2}. Computed as PyTorch's chainable get_lr().
 * The state's {@code milestones} is the Counter as an object {"epoch": count}.
 */
public final class MultiStepLR extends AbstractLrScheduler {
    /** PyTorch's default gamma. */
    public static final double DEFAULT_GAMMA = 0.1;

    private TreeMap<Integer, Integer> milestones;
    private double gamma;

    /** MultiStepLR with PyTorch's default gamma 0.1. */
    public MultiStepLR(ScheduleTarget target, int[] milestones) {
        this(target, milestones, DEFAULT_GAMMA);
    }

    public MultiStepLR(ScheduleTarget target, int[] milestones, double gamma) {
        super(target);
        this.milestones = counter(milestones);
        this.gamma = gamma;
        start();
    }

    private static TreeMap<Integer, Integer> counter(int[] milestones) {
        TreeMap<Integer, Integer> counts = new TreeMap<>();
        for (int m : milestones) {
            counts.merge(m, 1, Integer::sum);
        }
        return counts;
    }

    @Override
    double[] chainedLr() {
        Integer count = milestones.get(lastEpoch);
        if (count == null) {
            return currentLrs();
        }
        return scaledLrs(StrictMath.pow(gamma, count));
    }

    @Override
    double[] closedFormLr() {
        int passed = 0;
        for (Map.Entry<Integer, Integer> e : milestones.headMap(lastEpoch, true).entrySet()) {
            passed += e.getValue();
        }
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = lrs[i] * StrictMath.pow(gamma, passed);
        }
        return lrs;
    }

    @Override
    void writeState(Map<String, Object> out) {
        Map<String, Object> counts = new LinkedHashMap<>();
        milestones.forEach((m, c) -> counts.put(Integer.toString(m), c));
        out.put("milestones", counts);
        out.put("gamma", gamma);
    }

    @Override
    Runnable prepareOwn(StateReader in) {
        TreeMap<Integer, Integer> m = milestones;
        if (in.has("milestones")) {
            m = readMilestones(in);
        }
        double g = in.getDouble("gamma", gamma);
        TreeMap<Integer, Integer> loaded = m;
        return () -> {
            milestones = loaded;
            gamma = g;
        };
    }

    /** The Counter as {"epoch": count} (as saved), or a plain list of epochs. */
    private static TreeMap<Integer, Integer> readMilestones(StateReader in) {
        Object raw = in.raw("milestones");
        if (raw instanceof List) {
            return counter(in.getInts("milestones", null));
        }
        if (!(raw instanceof Map)) {
            throw in.wrong("milestones", "an object {epoch: count} or a list of epochs");
        }
        TreeMap<Integer, Integer> counts = new TreeMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) raw).entrySet()) {
            Integer count = StateReader.integer(e.getValue());
            Integer epoch;
            try {
                epoch = e.getKey() instanceof Number ? StateReader.integer(e.getKey())
                        : Integer.valueOf(String.valueOf(e.getKey()).trim());
            } catch (NumberFormatException ex) {
                epoch = null;
            }
            if (epoch == null || count == null) {
                throw in.wrong("milestones", "an object {epoch: count} or a list of epochs");
            }
            counts.put(epoch, count);
        }
        return counts;
    }
}
