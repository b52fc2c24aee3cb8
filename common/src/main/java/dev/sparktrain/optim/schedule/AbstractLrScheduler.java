package dev.sparktrain.optim.schedule;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * PyTorch 1.13's {@code _LRScheduler}: the schedulers whose {@code step()} advances {@code last_epoch}
 * and sets each group's lr from the chainable {@code get_lr()}, which (except OneCycleLR) computes the
 * new lr from the group's current lr, not from a closed form, so rounding matches PyTorch step by step.
 *
 * <p>A subclass sets its own fields and then calls {@link #start()}, PyTorch's constructor tail with
 * {@code last_epoch=-1}: every group gets {@code initial_lr} (setdefault, see {@link GroupParams}),
 * {@code base_lrs} are those values, and one step is taken ({@code _step_count} 1, {@code last_epoch} 0).
 */
abstract class AbstractLrScheduler implements LrScheduler {
    final ScheduleTarget target;
    final GroupParams groups;
    double[] baseLrs;
    int lastEpoch = -1;
    int stepCount;
    double[] lastLr;

    AbstractLrScheduler(ScheduleTarget target) {
        this.target = Objects.requireNonNull(target, "target");
        this.groups = GroupParams.of(target);
    }

    /** The tail of _LRScheduler.__init__(optimizer, last_epoch=-1). */
    final void start() {
        int n = target.groupCount();
        baseLrs = new double[n];
        for (int i = 0; i < n; i++) {
            baseLrs[i] = groups.setDefault(i, "initial_lr", target.lr(i));
        }
        lastEpoch = -1;
        initialStep();
    }

    /** {@code _initial_step()}: resets the step count and steps once. */
    final void initialStep() {
        stepCount = 0;
        step();
    }

    /** {@code step()}: {@code last_epoch += 1}, then the chainable get_lr(). */
    @Override
    public void step() {
        stepCount++;
        lastEpoch++;
        apply(chainedLr());
    }

    /**
     * The deprecated {@code step(epoch)} (SequentialLR calls {@code step(0)} at a milestone):
     * {@code last_epoch = epoch}, then the closed form where the scheduler has one, else get_lr().
     */
    final void stepTo(int epoch) {
        stepCount++;
        lastEpoch = epoch;
        double[] closed = closedFormLr();
        apply(closed != null ? closed : chainedLr());
    }

    /** PyTorch's {@code get_lr()} at the current {@link #lastEpoch}. */
    abstract double[] chainedLr();

    /** PyTorch's {@code _get_closed_form_lr()}, or null where the scheduler has none. */
    double[] closedFormLr() {
        return null;
    }

    /** The groups' current lrs ({@code [group['lr'] for group in optimizer.param_groups]}). */
    final double[] currentLrs() {
        double[] lrs = new double[target.groupCount()];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = target.lr(i);
        }
        return lrs;
    }

    /** Each group's current lr times {@code factor}. */
    final double[] scaledLrs(double factor) {
        double[] lrs = currentLrs();
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = lrs[i] * factor;
        }
        return lrs;
    }

    private void apply(double[] values) {
        for (int i = 0; i < values.length && i < target.groupCount(); i++) {
            target.setLr(i, values[i]);
        }
        lastLr = currentLrs();
    }

    @Override
    public double[] lastLr() {
        return lastLr.clone();
    }

    /** The scheduler's own hyperparameters and counters, under PyTorch's attribute names. */
    abstract void writeState(Map<String, Object> out);

    /** Reads the scheduler's own fields from a state without changing anything; the result assigns them. */
    abstract Runnable prepareOwn(StateReader in);

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> out = new LinkedHashMap<>();
        writeState(out);
        out.put("base_lrs", StateReader.toList(baseLrs));
        out.put("last_epoch", lastEpoch);
        out.put("_step_count", stepCount);
        out.put("_last_lr", StateReader.toList(lastLr));
        return out;
    }

    @Override
    public void loadStateDict(Map<String, Object> state) {
        prepareLoad(state).run();
    }

    /** Validates a whole state (group counts first) and returns what applies it. */
    final Runnable prepareLoad(Map<String, Object> state) {
        StateReader in = new StateReader(state, getClass().getSimpleName());
        in.checkGroups(target.groupCount(), "base_lrs", "_last_lr");
        double[] base = in.getDoubles("base_lrs", baseLrs);
        int epoch = in.getInt("last_epoch", lastEpoch);
        int count = in.getInt("_step_count", stepCount);
        double[] last = in.getDoubles("_last_lr", lastLr);
        Runnable own = prepareOwn(in);
        return () -> {
            baseLrs = base;
            lastEpoch = epoch;
            stepCount = count;
            lastLr = last;
            own.run();
        };
    }
}
