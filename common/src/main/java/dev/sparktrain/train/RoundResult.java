package dev.sparktrain.train;

import dev.sparktrain.optim.StateDict;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;

/**
 * What workers return for one round, summed over workers; the mode is the type: {@link Gradients}
 * (synchronous) or {@link Averages} (parameter averaging), and {@link #zero()} the neutral element.
 */
public sealed interface RoundResult extends Serializable
        permits RoundResult.Empty, RoundResult.Gradients, RoundResult.Averages, RoundResult.Stepped {

    /** Sum of the per-example losses of the round's minibatches. */
    double lossSum();

    /** Examples the round trained on. */
    long count();

    /** Adds the results of two sets of workers (of the same mode). */
    RoundResult plus(RoundResult o);

    static RoundResult zero() {
        return Empty.INSTANCE;
    }

    /** No worker's result yet. */
    enum Empty implements RoundResult {
        INSTANCE;

        @Override
        public double lossSum() {
            return 0;
        }

        @Override
        public long count() {
            return 0;
        }

        @Override
        public RoundResult plus(RoundResult o) {
            return o;
        }
    }

    /** Synchronous mode: the sum of per-example gradients. */
    record Gradients(INDArray sum, double lossSum, long count) implements RoundResult {
        @Override
        public RoundResult plus(RoundResult o) {
            if (o instanceof Empty) {
                return this;
            }
            if (o instanceof Gradients g) {
                return new Gradients(sum.add(g.sum), lossSum + g.lossSum, count + g.count);
            }
            throw mixed(this, o);
        }
    }

    /** Averaging mode: the example-weighted sums of parameter deltas and of inner optimizer states. */
    record Averages(INDArray deltaSum, StateDict stateSum, double lossSum, long count) implements RoundResult {
        @Override
        public RoundResult plus(RoundResult o) {
            if (o instanceof Empty) {
                return this;
            }
            if (o instanceof Averages a) {
                return new Averages(deltaSum.add(a.deltaSum), stateSum.plus(a.stateSum), lossSum + a.lossSum,
                        count + a.count);
            }
            throw mixed(this, o);
        }
    }

    /**
     * A round whose workers stepped the optimizer themselves ({@link StateOwner}): the loss sums and
     * example counts, and the sum of the parameters after the step (finite iff every parameter is).
     */
    record Stepped(double lossSum, long count, double paramsSum) implements RoundResult {
        @Override
        public RoundResult plus(RoundResult o) {
            if (o instanceof Empty) {
                return this;
            }
            if (o instanceof Stepped s) {
                return new Stepped(lossSum + s.lossSum, count + s.count, paramsSum + s.paramsSum);
            }
            throw mixed(this, o);
        }
    }

    private static IllegalStateException mixed(RoundResult a, RoundResult b) {
        return new IllegalStateException("cannot add a " + a.getClass().getSimpleName() + " result to a "
                + b.getClass().getSimpleName() + " result");
    }
}
