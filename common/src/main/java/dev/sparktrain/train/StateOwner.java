package dev.sparktrain.train;

import dev.sparktrain.eval.Evaluation;
import dev.sparktrain.optim.OptimizerSpec;
import dev.sparktrain.optim.StateDict;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An engine whose workers keep the parameters and the optimizer state between rounds and step the
 * optimizer themselves (the collective transport): the driver sends {@link RoundControl}s and gets
 * back the loss sums, and gathers the state only when it needs it (a checkpoint, an epoch's end).
 * If the workers lose the state (an executor dies), any call throws {@link StateLost}; the run then
 * goes back to its last checkpoint and {@link #load}s it again.
 */
public interface StateOwner {

    /** Gives the workers the state to train from: a fresh start, a resumed checkpoint, or after a loss. */
    void load(INDArray params, OptimizerSpec optimizer, StateDict optimizerState);

    /** One round on every worker; a {@link RoundResult.Stepped} with the shards' sums. */
    RoundResult.Stepped round(RoundControl control);

    /** The parameters now, gathered from the workers. */
    INDArray params();

    /** The optimizer's state dict now, gathered from the workers (the same form the driver's optimizer gives). */
    StateDict optimizerState();

    /** Validation loss and accuracy sums over the whole validation set at the current parameters. */
    Evaluation evaluate();

    /** The workers lost the training state; the run must go back to a checkpoint. */
    final class StateLost extends RuntimeException {
        private final int recoveries;

        /** {@code recoveries}: how many times a run may go back for such losses before it fails. */
        public StateLost(String message, int recoveries, Throwable cause) {
            super(message, cause);
            this.recoveries = recoveries;
        }

        public int recoveries() {
            return recoveries;
        }
    }
}
