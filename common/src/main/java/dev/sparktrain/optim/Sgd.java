package dev.sparktrain.optim;

import dev.sparktrain.config.OptimizerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code torch.optim.SGD}: with g = grad + weight_decay * p, the momentum buffer is g at the first
 * step and {@code momentum * buf + (1 - dampening) * g} after; the update direction is {@code buf},
 * or {@code g + momentum * buf} with Nesterov; {@code p -= lr * direction}.
 */
final class Sgd implements Optimizer {
    static final String MOMENTUM_BUFFER = "momentum_buffer";

    private final OptimizerConfig config;
    private final long numParams;
    private INDArray momentumBuffer;
    private long step;

    Sgd(OptimizerConfig config, long numParams) {
        this.config = config;
        this.numParams = numParams;
    }

    @Override
    public void step(INDArray params, INDArray grad) {
        INDArray d = grad.dup();
        if (config.weightDecay() != 0) {
            d.addi(params.mul(config.weightDecay()));
        }
        double momentum = config.momentum();
        if (momentum != 0) {
            if (momentumBuffer == null) {
                momentumBuffer = d.dup();
            } else {
                momentumBuffer.muli(momentum).addi(d.mul(1 - config.dampening()));
            }
            if (config.nesterov()) {
                d.addi(momentumBuffer.mul(momentum));
            } else {
                d = momentumBuffer;
            }
        }
        params.subi(d.mul(config.lr()));
        step++;
    }

    @Override
    public OptimizerState state() {
        Map<String, INDArray> buffers = new HashMap<>();
        if (momentumBuffer != null) {
            buffers.put(MOMENTUM_BUFFER, momentumBuffer);
        }
        return new OptimizerState(step, buffers);
    }

    @Override
    public void loadState(OptimizerState state) {
        StateBuffers.check("SGD", state, Set.of(MOMENTUM_BUFFER), numParams);
        INDArray buf = state.buffers().get(MOMENTUM_BUFFER);
        momentumBuffer = buf == null ? null : buf.dup();
        step = state.step();
    }

    @Override
    public OptimizerConfig config() {
        return config;
    }
}
