package dev.sparktrain.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.TreeMap;

/**
 * One parameter tensor's optimizer state, as in PyTorch's {@code optimizer.state[p]}: its own step
 * count and named buffers (momentum_buffer, exp_avg, exp_avg_sq, max_exp_avg_sq, square_avg,
 * grad_avg, sum). Mutable; owned by the optimizer.
 */
public final class ParamState {
    private long step;
    private final Map<String, INDArray> buffers = new TreeMap<>();

    public long step() {
        return step;
    }

    public void setStep(long step) {
        this.step = step;
    }

    /** The buffer, or null before the rule created it. */
    public INDArray buffer(String name) {
        return buffers.get(name);
    }

    public void put(String name, INDArray buffer) {
        buffers.put(name, buffer);
    }

    public Map<String, INDArray> buffers() {
        return buffers;
    }
}
