package dev.sparktrain.optim.schedule;

import java.util.Map;

/**
 * A learning-rate scheduler with torch.optim.lr_scheduler's semantics (PyTorch 1.13). Constructing
 * one applies its initial lr to the target, as PyTorch's constructors do (they call step() once).
 * {@link #step()} advances one epoch or one iteration, whichever the user schedules by.
 */
public interface LrScheduler {

    /** scheduler.step(). */
    void step();

    /** ReduceLROnPlateau's scheduler.step(metrics); other schedulers ignore the metric. */
    default void step(double metric) {
        step();
    }

    /** scheduler.get_last_lr(): the lr of each group after the last step. */
    double[] lastLr();

    /** scheduler.state_dict(): plain values (numbers, booleans, lists, maps), JSON-serializable. */
    Map<String, Object> stateDict();

    /** scheduler.load_state_dict(); checks what it can before changing anything. */
    void loadStateDict(Map<String, Object> state);
}
