package dev.sparktrain.train;

import dev.sparktrain.config.SchedulerConfig;
import dev.sparktrain.optim.schedule.LrScheduler;
import dev.sparktrain.optim.schedule.ScheduleTarget;
import dev.sparktrain.optim.schedule.Schedulers;

import java.util.function.Function;

/**
 * A learning-rate scheduler as the driver loop uses it: the live scheduler, the groups it drives,
 * whether it steps per optimizer step (else per epoch, after validation, with the validation loss as
 * its metric), and how to build another one of the same spec over another target (for
 * {@link dev.sparktrain.optim.schedule.LrLookahead}). As in PyTorch, a scheduler drives the groups
 * that existed when it was built; groups added later (add_param_group) keep their own lr.
 */
public record Schedule(LrScheduler scheduler, ScheduleTarget target, boolean perStep,
                       Function<ScheduleTarget, LrScheduler> factory) {

    /** The configured scheduler over the current groups of {@code optimizer}, or null when none is configured. */
    public static Schedule of(SchedulerConfig config, ScheduleTarget optimizer) {
        if (!config.enabled()) {
            return null;
        }
        ScheduleTarget target = new FirstGroups(optimizer, optimizer.groupCount());
        Function<ScheduleTarget, LrScheduler> factory = t -> Schedulers.fromSpec(t, config.spec());
        return new Schedule(factory.apply(target), target, config.perStep(), factory);
    }

    /** The first {@code n} groups of a target. */
    private record FirstGroups(ScheduleTarget all, int n) implements ScheduleTarget {
        @Override
        public int groupCount() {
            return n;
        }

        @Override
        public double lr(int group) {
            return all.lr(group);
        }

        @Override
        public void setLr(int group, double lr) {
            all.setLr(group, lr);
        }

        @Override
        public double momentum(int group) {
            return all.momentum(group);
        }

        @Override
        public void setMomentum(int group, double momentum) {
            all.setMomentum(group, momentum);
        }

        @Override
        public boolean usesBetas() {
            return all.usesBetas();
        }
    }
}
