package dev.sparktrain.train;

import dev.sparktrain.optim.StateDict;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * The driver's whole training state after {@code epochsDone} epochs and, inside the next epoch,
 * {@code position} (null at an epoch's end): what a checkpoint holds and a resumed run starts from.
 * {@code optimizerState} is null before the optimizer exists (a fresh run); {@code schedulerState} is
 * empty without a scheduler.
 */
public record TrainingSnapshot(int epochsDone, long globalStep, INDArray params, StateDict optimizerState,
                               Map<String, Object> schedulerState, long seed, String configJson,
                               List<EpochMetrics> history, EpochPosition position) {

    public TrainingSnapshot {
        schedulerState = schedulerState == null ? Map.of() : schedulerState;
        history = List.copyOf(history);
    }

    /** At the end of epoch {@code epochsDone}. */
    public TrainingSnapshot(int epochsDone, long globalStep, INDArray params, StateDict optimizerState,
                            Map<String, Object> schedulerState, long seed, String configJson,
                            List<EpochMetrics> history) {
        this(epochsDone, globalStep, params, optimizerState, schedulerState, seed, configJson, history, null);
    }

    /** Whether this state is inside an epoch (a mid-epoch checkpoint's) rather than at an epoch's end. */
    public boolean midEpoch() {
        return position != null;
    }

    public static TrainingSnapshot fresh(INDArray params, long seed, String configJson) {
        return new TrainingSnapshot(0, 0, params, null, Map.of(), seed, configJson, List.of());
    }

    public EpochMetrics last() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }
}
