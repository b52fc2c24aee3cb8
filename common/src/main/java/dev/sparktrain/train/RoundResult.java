package dev.sparktrain.train;

import dev.sparktrain.optim.StateDict;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;

/**
 * What workers return for one round, summed over workers: {@code sum} is the gradient sum
 * (synchronous mode) or the example-weighted sum of parameter deltas (averaging mode);
 * {@code stateSum} the example-weighted sum of inner optimizer states (null in synchronous mode).
 */
public record RoundResult(INDArray sum, StateDict stateSum, double lossSum, long count) implements Serializable {

    /** The neutral element of {@link #plus}. */
    public static RoundResult zero() {
        return new RoundResult(null, null, 0, 0);
    }

    public RoundResult plus(RoundResult o) {
        if (o.sum == null) {
            return this;
        }
        if (sum == null) {
            return o;
        }
        StateDict state = stateSum == null ? o.stateSum : o.stateSum == null ? stateSum : stateSum.plus(o.stateSum);
        return new RoundResult(sum.add(o.sum), state, lossSum + o.lossSum, count + o.count);
    }
}
