package dev.sparktrain.train;

import dev.sparktrain.optim.StateDict;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * The driver's whole training state after {@code epochsDone} epochs: what a checkpoint holds and a
 * resumed run starts from. {@code optimizerState} is null before the optimizer exists (a fresh run);
 * {@code schedulerState} is empty without a scheduler.
 */
public record TrainingSnapshot(int epochsDone, long globalStep, INDArray params, StateDict optimizerState,
                               Map<String, Object> schedulerState, long seed, String configJson,
                               List<EpochMetrics> history) {

    public TrainingSnapshot {
        schedulerState = schedulerState == null ? Map.of() : schedulerState;
        history = List.copyOf(history);
    }

    public static TrainingSnapshot fresh(INDArray params, long seed, String configJson) {
        return new TrainingSnapshot(0, 0, params, null, Map.of(), seed, configJson, List.of());
    }

    public EpochMetrics last() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }
}
