package dev.sparktrain.optim.schedule;

import java.util.Map;
import java.util.function.Function;

/**
 * The lr and momentum each group will have over the next k steps of a per-step schedule, computed on
 * a copy of the scheduler (its state loaded into a fresh one over a scratch target), so that workers
 * running k inner steps of parameter averaging follow the same schedule a single process would.
 */
public final class LrLookahead {
    private LrLookahead() {
    }

    /** Row i: the values for step i (row 0: the current ones). */
    public record Values(double[][] lrs, double[][] momenta) {
    }

    public static Values next(int k, ScheduleTarget current, Map<String, Object> schedulerState,
                              Function<ScheduleTarget, LrScheduler> build) {
        int groups = current.groupCount();
        Scratch scratch = new Scratch(groups, current.usesBetas());
        copy(current, scratch);
        LrScheduler copy = build.apply(scratch);
        copy.loadStateDict(schedulerState);
        copy(current, scratch); // constructors may have reset lrs; the live values are what counts
        double[][] lrs = new double[k][groups];
        double[][] momenta = new double[k][groups];
        for (int i = 0; i < k; i++) {
            if (i > 0) {
                copy.step();
            }
            for (int g = 0; g < groups; g++) {
                lrs[i][g] = scratch.lr(g);
                momenta[i][g] = scratch.momentum(g);
            }
        }
        return new Values(lrs, momenta);
    }

    private static void copy(ScheduleTarget from, ScheduleTarget to) {
        for (int g = 0; g < from.groupCount(); g++) {
            to.setLr(g, from.lr(g));
            to.setMomentum(g, from.momentum(g));
        }
    }

    /** A target that only holds numbers. */
    private static final class Scratch implements ScheduleTarget {
        private final double[] lr;
        private final double[] momentum;
        private final boolean betas;

        Scratch(int groups, boolean betas) {
            this.lr = new double[groups];
            this.momentum = new double[groups];
            this.betas = betas;
        }

        @Override
        public int groupCount() {
            return lr.length;
        }

        @Override
        public double lr(int group) {
            return lr[group];
        }

        @Override
        public void setLr(int group, double value) {
            lr[group] = value;
        }

        @Override
        public double momentum(int group) {
            return momentum[group];
        }

        @Override
        public void setMomentum(int group, double value) {
            momentum[group] = value;
        }

        @Override
        public boolean usesBetas() {
            return betas;
        }
    }
}
