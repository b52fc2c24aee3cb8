package dev.sparktrain.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

/**
 * {@code torch.optim.NAdam}'s {@code _single_tensor_nadam} (PyTorch 1.13), which has no maximize or
 * amsgrad. With t = the incremented step and {@code g = grad + weight_decay * p}:
 * <pre>
 *   mu      = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay))
 *   mu_next = beta1 * (1 - 0.5 * 0.96^((t + 1) * momentum_decay))
 *   mu_product      *= mu
 *   mu_product_next  = mu_product * mu * mu_next            (1.13 multiplies by mu twice, as here)
 *   m = beta1 * m + (1 - beta1) * g;  v = beta2 * v + (1 - beta2) * g * g
 *   denom = sqrt(v / (1 - beta2^t)) + eps
 *   p += -lr * (1 - mu) / (1 - mu_product) * g / denom
 *   p += -lr * mu_next / (1 - mu_product_next) * m / denom
 * </pre>
 * torch keeps {@code mu_product} as a float32 scalar tensor (its default dtype) whatever the
 * parameters' dtype, so its products are rounded to float32 here too; the state holds it as the
 * buffer {@code mu_product}, every element that scalar. Buffers exp_avg and exp_avg_sq start as zeros.
 */
public final class NAdamRule implements Algorithm {
    public static final String EXP_AVG = "exp_avg";
    public static final String EXP_AVG_SQ = "exp_avg_sq";
    public static final String MU_PRODUCT = "mu_product";

    @Override
    public String name() {
        return "nadam";
    }

    @Override
    public List<HyperParam> hyperParams() {
        return List.of(HyperParam.pair("betas", 0.9, 0.999), HyperParam.number("eps", 1e-8),
                HyperParam.number("weight_decay", 0), HyperParam.number("momentum_decay", 4e-3));
    }

    @Override
    public void validate(HyperParams h) {
        AdamRule.validateAdam(h);
        Algorithm.check(0.0 <= h.number("momentum_decay"), "momentum_decay", "Invalid momentum_decay value: ", h.number("momentum_decay"));
    }

    @Override
    public boolean usesBetas() {
        return true;
    }

    @Override
    public void update(INDArray param, INDArray grad, ParamState state, HyperParams h) {
        long step = UpdateRules.nextStep(state);
        double beta1 = h.pair("betas")[0];
        double beta2 = h.pair("betas")[1];
        double momentumDecay = h.number("momentum_decay");
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        INDArray g = UpdateRules.effectiveGrad(param, grad, false, h.number("weight_decay"));
        double mu = beta1 * (1. - 0.5 * Math.pow(0.96, step * momentumDecay));
        double muNext = beta1 * (1. - 0.5 * Math.pow(0.96, (step + 1) * momentumDecay));
        INDArray muProductBuffer = state.buffer(MU_PRODUCT);
        if (muProductBuffer == null) {
            muProductBuffer = param.ulike().assign(1.0);
            state.put(MU_PRODUCT, muProductBuffer);
        }
        float muProduct = (float) muProductBuffer.getDouble(0) * (float) mu;
        float muProductNext = muProduct * (float) mu * (float) muNext;
        muProductBuffer.assign(muProduct);
        INDArray expAvg = UpdateRules.zerosBuffer(state, EXP_AVG, param);
        INDArray expAvgSq = UpdateRules.zerosBuffer(state, EXP_AVG_SQ, param);
        expAvg.muli(beta1).addi(g.mul(1 - beta1));
        expAvgSq.muli(beta2).addi(g.mul(1 - beta2).muli(g));
        INDArray denom = Transforms.sqrt(expAvgSq.div(biasCorrection2), false).addi(h.number("eps"));
        param.addi(g.mul(-h.lr() * (1. - mu) / (1. - muProduct)).divi(denom));
        param.addi(expAvg.mul(-h.lr() * muNext / (1. - muProductNext)).divi(denom));
    }
}
