package dev.sparktrain.optim;

import dev.sparktrain.config.OptimizerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A PyTorch-style optimizer over one flat parameter vector. Not thread-safe. */
public interface Optimizer {

    /**
     * One update, in place: {@code params} becomes the new parameters. {@code grad} is the gradient
     * of the mean loss of the global minibatch; it is not modified.
     */
    void step(INDArray params, INDArray grad);

    /** A copy of the state (what PyTorch's state_dict()['state'] holds, plus the step count). */
    OptimizerState state();

    /** Replaces the state; checks buffer names and sizes before changing anything. */
    void loadState(OptimizerState state);

    OptimizerConfig config();
}
