package dev.sparktrain.optim;

import dev.sparktrain.config.OptimizerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;
import java.util.Set;

/**
 * {@code torch.optim.Adam} (not amsgrad): with g = grad + weight_decay * p and t the step,
 * {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2},
 * {@code p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}.
 */
final class Adam implements Optimizer {
    static final String EXP_AVG = "exp_avg";
    static final String EXP_AVG_SQ = "exp_avg_sq";

    private final OptimizerConfig config;
    private final long numParams;
    private INDArray expAvg;
    private INDArray expAvgSq;
    private long step;

    Adam(OptimizerConfig config, long numParams) {
        this.config = config;
        this.numParams = numParams;
    }

    @Override
    public void step(INDArray params, INDArray grad) {
        if (expAvg == null) {
            expAvg = Nd4j.zeros(params.dataType(), params.length());
            expAvgSq = Nd4j.zeros(params.dataType(), params.length());
        }
        step++;
        INDArray g = grad;
        if (config.weightDecay() != 0) {
            g = grad.add(params.mul(config.weightDecay()));
        }
        double b1 = config.beta1();
        double b2 = config.beta2();
        expAvg.muli(b1).addi(g.mul(1 - b1));
        expAvgSq.muli(b2).addi(g.mul(g).muli(1 - b2));
        double biasCorrection1 = 1 - Math.pow(b1, step);
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(b2, step));
        double stepSize = config.lr() / biasCorrection1;
        INDArray denom = Transforms.sqrt(expAvgSq, true).divi(biasCorrection2Sqrt).addi(config.eps());
        params.subi(expAvg.div(denom).muli(stepSize));
    }

    @Override
    public OptimizerState state() {
        if (expAvg == null) {
            return new OptimizerState(step, Map.of());
        }
        return new OptimizerState(step, Map.of(EXP_AVG, expAvg, EXP_AVG_SQ, expAvgSq));
    }

    @Override
    public void loadState(OptimizerState state) {
        StateBuffers.check("Adam", state, Set.of(EXP_AVG, EXP_AVG_SQ), numParams);
        boolean hasAvg = state.buffers().containsKey(EXP_AVG);
        if (hasAvg != state.buffers().containsKey(EXP_AVG_SQ)) {
            throw new IllegalArgumentException("Adam state must hold both exp_avg and exp_avg_sq, found "
                    + state.buffers().keySet());
        }
        expAvg = hasAvg ? state.buffers().get(EXP_AVG).dup() : null;
        expAvgSq = hasAvg ? state.buffers().get(EXP_AVG_SQ).dup() : null;
        step = state.step();
    }

    @Override
    public OptimizerConfig config() {
        return config;
    }
}
