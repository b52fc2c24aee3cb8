package dev.sparktrain.train;

import dev.sparktrain.eval.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Where rounds run: in this process, or as Spark jobs over executor-resident shards. */
public interface StepExecutor extends AutoCloseable {

    /** Minibatch steps per epoch (the same on every shard). */
    int stepsPerEpoch();

    /** Runs one round on every shard and returns the sum of the shards' results. */
    RoundResult round(RoundRequest request);

    /** Validation loss and accuracy sums over the whole validation set at {@code params}. */
    Evaluation evaluate(INDArray params);

    /**
     * Present when this executor's workers keep the parameters and optimizer state ({@link StateOwner}):
     * the loop then sends control only and calls neither {@link #round} nor {@link #evaluate}.
     */
    default java.util.Optional<StateOwner> stateOwner() {
        return java.util.Optional.empty();
    }

    @Override
    default void close() {
    }
}
