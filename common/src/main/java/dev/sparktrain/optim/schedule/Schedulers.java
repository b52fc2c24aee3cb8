package dev.sparktrain.optim.schedule;

import java.util.List;
import java.util.Map;

/**
 * Factories for the schedulers, with PyTorch's argument defaults, and {@link #fromSpec} to build one
 * from a map using PyTorch's argument names.
 */
public final class Schedulers {
    private Schedulers() {
    }

    /** StepLR(step_size, gamma=0.1). */
    public static StepLR stepLR(ScheduleTarget target, int stepSize) {
        return new StepLR(target, stepSize);
    }

    public static StepLR stepLR(ScheduleTarget target, int stepSize, double gamma) {
        return new StepLR(target, stepSize, gamma);
    }

    /** MultiStepLR(milestones, gamma=0.1). */
    public static MultiStepLR multiStepLR(ScheduleTarget target, int[] milestones) {
        return new MultiStepLR(target, milestones);
    }

    public static MultiStepLR multiStepLR(ScheduleTarget target, int[] milestones, double gamma) {
        return new MultiStepLR(target, milestones, gamma);
    }

    /** ExponentialLR(gamma). */
    public static ExponentialLR exponentialLR(ScheduleTarget target, double gamma) {
        return new ExponentialLR(target, gamma);
    }

    /** CosineAnnealingLR(T_max, eta_min=0). */
    public static CosineAnnealingLR cosineAnnealingLR(ScheduleTarget target, int tMax) {
        return new CosineAnnealingLR(target, tMax);
    }

    public static CosineAnnealingLR cosineAnnealingLR(ScheduleTarget target, int tMax, double etaMin) {
        return new CosineAnnealingLR(target, tMax, etaMin);
    }

    /** LinearLR(start_factor=1/3, end_factor=1.0, total_iters=5). */
    public static LinearLR linearLR(ScheduleTarget target) {
        return new LinearLR(target);
    }

    public static LinearLR linearLR(ScheduleTarget target, double startFactor, double endFactor, int totalIters) {
        return new LinearLR(target, startFactor, endFactor, totalIters);
    }

    /** OneCycleLR; see {@link OneCycleOptions} for the arguments and defaults. */
    public static OneCycleLR oneCycleLR(ScheduleTarget target, OneCycleOptions options) {
        return new OneCycleLR(target, options);
    }

    /** ReduceLROnPlateau with PyTorch's defaults. */
    public static ReduceLROnPlateau reduceLROnPlateau(ScheduleTarget target) {
        return new ReduceLROnPlateau(target);
    }

    public static ReduceLROnPlateau reduceLROnPlateau(ScheduleTarget target, PlateauOptions options) {
        return new ReduceLROnPlateau(target, options);
    }

    /** SequentialLR over schedulers already built on {@code target}. */
    public static SequentialLR sequentialLR(ScheduleTarget target, List<? extends LrScheduler> schedulers,
            int[] milestones) {
        return new SequentialLR(target, schedulers, milestones);
    }

    /**
     * Builds a scheduler from {@code {"type": ..., args...}} with PyTorch's argument names and defaults:
     * <ul>
     *   <li>"step": step_size, gamma</li>
     *   <li>"multistep": milestones, gamma</li>
     *   <li>"exponential": gamma</li>
     *   <li>"cosine": T_max, eta_min</li>
     *   <li>"linear": start_factor, end_factor, total_iters</li>
     *   <li>"onecycle": max_lr (number or per-group list), total_steps | epochs + steps_per_epoch,
     *       pct_start, anneal_strategy, cycle_momentum, base_momentum, max_momentum, div_factor,
     *       final_div_factor, three_phase</li>
     *   <li>"plateau": mode, factor, patience, threshold, threshold_mode, cooldown, min_lr (number or
     *       list), eps</li>
     *   <li>"sequential": schedulers (list of specs, built in order on the same target), milestones</li>
     * </ul>
     * Required: step_size, milestones, gamma (exponential), T_max, max_lr, schedulers. A null value
     * counts as absent. Unknown or missing keys, and values of the wrong kind, throw
     * IllegalArgumentException naming the key and the type; argument values PyTorch rejects throw
     * IllegalArgumentException with PyTorch's message.
     */
    public static LrScheduler fromSpec(ScheduleTarget target, Map<String, Object> spec) {
        return SchedulerSpec.build(target, spec);
    }
}
