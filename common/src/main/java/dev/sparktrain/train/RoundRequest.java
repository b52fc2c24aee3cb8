package dev.sparktrain.train;

import dev.sparktrain.optim.OptimizerSpec;
import dev.sparktrain.optim.StateDict;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;

/**
 * What the driver sends every worker for one round: the parameters and which minibatches to run
 * ({@code steps()} of them from {@code firstStep()} of {@code epoch()}). The mode is the type:
 * {@link Synchronous} (one minibatch, gradient sums back) or {@link Averaging} (k inner optimizer
 * steps from the driver's optimizer state, parameter deltas and states back).
 */
public sealed interface RoundRequest extends Serializable permits RoundRequest.Synchronous, RoundRequest.Averaging {

    int epoch();

    int firstStep();

    int steps();

    INDArray params();

    /** Synchronous SGD: the gradient sum of minibatch {@code firstStep} at {@code params}. */
    record Synchronous(int epoch, int firstStep, INDArray params) implements RoundRequest {
        @Override
        public int steps() {
            return 1;
        }
    }

    /**
     * Parameter averaging: {@code steps} inner steps of {@code optimizer} from the driver's state
     * {@code innerState}. With a per-step lr schedule, {@code stepLrs[i]} and {@code stepMomenta[i]}
     * are the scheduled groups' lr and momentum for inner step i; without one both are null.
     */
    record Averaging(int epoch, int firstStep, int steps, INDArray params, OptimizerSpec optimizer,
                     StateDict innerState, double[][] stepLrs, double[][] stepMomenta) implements RoundRequest {
        public Averaging {
            if (steps < 1 || optimizer == null || innerState == null) {
                throw new IllegalArgumentException("an averaging round needs steps >= 1, an optimizer and its state");
            }
            if ((stepLrs == null) != (stepMomenta == null)) {
                throw new IllegalArgumentException("per-step lrs and momenta come together");
            }
        }

        /** Without a per-step schedule. */
        public Averaging(int epoch, int firstStep, int steps, INDArray params, OptimizerSpec optimizer,
                         StateDict innerState) {
            this(epoch, firstStep, steps, params, optimizer, innerState, null, null);
        }
    }

    /** A synchronous-mode request: one minibatch, gradient sums back. */
    static Synchronous synchronous(int epoch, int step, INDArray params) {
        return new Synchronous(epoch, step, params);
    }
}
