package dev.sparktrain.train;

import dev.sparktrain.config.OptimizerConfig;
import dev.sparktrain.optim.OptimizerState;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;

/**
 * What the driver sends every worker for one round: the parameters, which minibatches to run
 * ({@code steps} of them from {@code firstStep} of {@code epoch}), and, in parameter-averaging mode,
 * the optimizer and its state for the inner steps ({@code innerState} is null in synchronous mode).
 */
public record RoundRequest(int epoch, int firstStep, int steps, INDArray params, OptimizerConfig optimizer,
                           OptimizerState innerState) implements Serializable {

    public boolean synchronous() {
        return innerState == null;
    }
}
