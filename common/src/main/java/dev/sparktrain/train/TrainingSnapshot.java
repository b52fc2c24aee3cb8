package dev.sparktrain.train;

import dev.sparktrain.optim.OptimizerState;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * The driver's whole training state after {@code epochsDone} epochs: what a checkpoint holds and a
 * resumed run starts from.
 */
public record TrainingSnapshot(int epochsDone, long globalStep, INDArray params, OptimizerState optimizerState,
                               long seed, String configJson, List<EpochMetrics> history) {

    public TrainingSnapshot {
        history = List.copyOf(history);
    }

    public static TrainingSnapshot fresh(INDArray params, long seed, String configJson) {
        return new TrainingSnapshot(0, 0, params, OptimizerState.empty(), seed, configJson, List.of());
    }

    public EpochMetrics last() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }
}
