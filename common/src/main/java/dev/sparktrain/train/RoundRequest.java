package dev.sparktrain.train;

import dev.sparktrain.optim.OptimizerSpec;
import dev.sparktrain.optim.StateDict;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;

/**
 * What the driver sends every worker for one round: the parameters, which minibatches to run
 * ({@code steps} of them from {@code firstStep} of {@code epoch}), and, in parameter-averaging mode,
 * the optimizer spec and the driver's optimizer state for the inner steps ({@code innerState} is null
 * in synchronous mode). With a per-step lr schedule, {@code stepLrs[i]} and {@code stepMomenta[i]}
 * are the scheduled groups' lr and momentum for inner step i (else null).
 */
public record RoundRequest(int epoch, int firstStep, int steps, INDArray params, OptimizerSpec optimizer,
                           StateDict innerState, double[][] stepLrs, double[][] stepMomenta) implements Serializable {

    /** A synchronous-mode request: one minibatch, gradient sums back. */
    public static RoundRequest synchronous(int epoch, int step, INDArray params) {
        return new RoundRequest(epoch, step, 1, params, null, null, null, null);
    }

    public boolean synchronous() {
        return innerState == null;
    }
}
