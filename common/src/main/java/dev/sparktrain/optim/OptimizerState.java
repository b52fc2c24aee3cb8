package dev.sparktrain.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An optimizer's state as data: buffers keyed by stable names ("momentum_buffer", "exp_avg",
 * "exp_avg_sq", as in PyTorch's state_dict) and the number of steps taken. Immutable snapshot.
 */
public record OptimizerState(long step, Map<String, INDArray> buffers) implements Serializable {

    public OptimizerState {
        TreeMap<String, INDArray> copy = new TreeMap<>();
        buffers.forEach((k, v) -> copy.put(k, v.dup()));
        buffers = Collections.unmodifiableMap(copy);
    }

    public static OptimizerState empty() {
        return new OptimizerState(0, Map.of());
    }

    /** Element-wise sum of two states with the same step (used to average replica states). */
    public OptimizerState plus(OptimizerState other) {
        if (buffers.isEmpty()) {
            return other;
        }
        if (other.buffers.isEmpty()) {
            return this;
        }
        if (!buffers.keySet().equals(other.buffers.keySet())) {
            throw new IllegalStateException("cannot add optimizer states with buffers " + buffers.keySet()
                    + " and " + other.buffers.keySet());
        }
        TreeMap<String, INDArray> sum = new TreeMap<>();
        buffers.forEach((k, v) -> sum.put(k, v.add(other.buffers.get(k))));
        return new OptimizerState(Math.max(step, other.step), sum);
    }

    /** Every buffer multiplied by {@code factor}. */
    public OptimizerState times(double factor) {
        TreeMap<String, INDArray> scaled = new TreeMap<>();
        buffers.forEach((k, v) -> scaled.put(k, v.mul(factor)));
        return new OptimizerState(step, scaled);
    }
}
