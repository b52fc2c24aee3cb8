package dev.sparktrain.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.Set;

/** Checks a loaded state against what an optimizer expects, before anything changes. */
final class StateBuffers {
    private StateBuffers() {
    }

    static void check(String optimizer, OptimizerState state, Set<String> allowed, long numParams) {
        for (Map.Entry<String, INDArray> e : state.buffers().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw new IllegalArgumentException(optimizer + " state has unexpected buffer '" + e.getKey()
                        + "'; expected only " + allowed);
            }
            if (e.getValue().length() != numParams) {
                throw new IllegalArgumentException(optimizer + " state buffer '" + e.getKey() + "' has "
                        + e.getValue().length() + " elements, but the model has " + numParams + " parameters");
            }
        }
        if (state.step() < 0) {
            throw new IllegalArgumentException(optimizer + " state has a negative step count: " + state.step());
        }
    }
}
