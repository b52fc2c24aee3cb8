package dev.sparktrain.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

/**
 * {@code torch.optim.RAdam}'s {@code _single_tensor_radam} (PyTorch 1.13), which has no maximize. With
 * t = the incremented step and {@code g = grad + weight_decay * p}:
 * <pre>
 *   m = beta1 * m + (1 - beta1) * g;  v = beta2 * v + (1 - beta2) * g * g
 *   m_hat = m / (1 - beta1^t)
 *   rho_inf = 2 / (1 - beta2) - 1;  rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
 *   rho_t &gt; 5:  rect = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
 *               p -= m_hat * lr * (sqrt(1 - beta2^t) / (sqrt(v) + eps)) * rect
 *   else:        p -= m_hat * lr
 * </pre>
 * Buffers exp_avg and exp_avg_sq start as zeros.
 */
public final class RAdamRule implements Algorithm {
    public static final String EXP_AVG = "exp_avg";
    public static final String EXP_AVG_SQ = "exp_avg_sq";

    @Override
    public String name() {
        return "radam";
    }

    @Override
    public List<HyperParam> hyperParams() {
        return List.of(HyperParam.pair("betas", 0.9, 0.999), HyperParam.number("eps", 1e-8),
                HyperParam.number("weight_decay", 0));
    }

    @Override
    public void validate(HyperParams h) {
        AdamRule.validateAdam(h);
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
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        INDArray g = UpdateRules.effectiveGrad(param, grad, false, h.number("weight_decay"));
        INDArray expAvg = UpdateRules.zerosBuffer(state, EXP_AVG, param);
        INDArray expAvgSq = UpdateRules.zerosBuffer(state, EXP_AVG_SQ, param);
        expAvg.muli(beta1).addi(g.mul(1 - beta1));
        expAvgSq.muli(beta2).addi(g.mul(1 - beta2).muli(g));
        INDArray corrected = expAvg.div(biasCorrection1);
        double rhoInf = 2 / (1 - beta2) - 1;
        double rhoT = rhoInf - 2 * step * Math.pow(beta2, step) / biasCorrection2;
        if (rhoT > 5.) {
            double rect = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
            INDArray adaptiveLr = Transforms.sqrt(expAvgSq, true).addi(h.number("eps")).rdivi(Math.sqrt(biasCorrection2));
            param.subi(corrected.muli(h.lr()).muli(adaptiveLr).muli(rect));
        } else {
            param.subi(corrected.muli(h.lr()));
        }
    }
}
