package dev.sparktrain.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

/**
 * {@code torch.optim.Adam}'s {@code _single_tensor_adam} (PyTorch 1.13). With t = the incremented
 * step and {@code g = (maximize ? -grad : grad) + weight_decay * p} (L2 penalty on the gradient):
 * <pre>
 *   m = beta1 * m + (1 - beta1) * g                       (exp_avg)
 *   v = beta2 * v + (1 - beta2) * g * g                   (exp_avg_sq)
 *   vmax = max(vmax, v), used instead of v with amsgrad   (max_exp_avg_sq)
 *   p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * Buffers start as zeros; max_exp_avg_sq exists only with amsgrad.
 */
public final class AdamRule implements Algorithm {
    public static final String EXP_AVG = "exp_avg";
    public static final String EXP_AVG_SQ = "exp_avg_sq";
    public static final String MAX_EXP_AVG_SQ = "max_exp_avg_sq";

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public List<HyperParam> hyperParams() {
        return List.of(HyperParam.pair("betas", 0.9, 0.999), HyperParam.number("eps", 1e-8),
                HyperParam.number("weight_decay", 0), HyperParam.flag("amsgrad", false), HyperParam.flag("maximize", false));
    }

    @Override
    public void validate(HyperParams h) {
        validateAdam(h);
    }

    /** Adam's and AdamW's checks (and NAdam's and RAdam's but for their own extras). */
    static void validateAdam(HyperParams h) {
        double[] betas = h.pair("betas");
        Algorithm.check(0.0 <= h.lr(), "lr", "Invalid learning rate: ", h.lr());
        Algorithm.check(0.0 <= h.number("eps"), "eps", "Invalid epsilon value: ", h.number("eps"));
        Algorithm.check(0.0 <= betas[0] && betas[0] < 1.0, "betas", "Invalid beta parameter at index 0: ", betas[0]);
        Algorithm.check(0.0 <= betas[1] && betas[1] < 1.0, "betas", "Invalid beta parameter at index 1: ", betas[1]);
        Algorithm.check(0.0 <= h.number("weight_decay"), "weight_decay", "Invalid weight_decay value: ", h.number("weight_decay"));
    }

    @Override
    public boolean usesBetas() {
        return true;
    }

    @Override
    public void update(INDArray param, INDArray grad, ParamState state, HyperParams h) {
        long step = UpdateRules.nextStep(state);
        INDArray g = UpdateRules.effectiveGrad(param, grad, h.flag("maximize"), h.number("weight_decay"));
        moments(param, g, state, h, step);
    }

    /** The moment updates and the bias-corrected step shared with AdamW, {@code g} already prepared. */
    static void moments(INDArray param, INDArray g, ParamState state, HyperParams h, long step) {
        INDArray expAvg = UpdateRules.zerosBuffer(state, EXP_AVG, param);
        INDArray expAvgSq = UpdateRules.zerosBuffer(state, EXP_AVG_SQ, param);
        double beta1 = h.pair("betas")[0];
        double beta2 = h.pair("betas")[1];
        expAvg.muli(beta1).addi(g.mul(1 - beta1));
        expAvgSq.muli(beta2).addi(g.mul(1 - beta2).muli(g));

        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        double stepSize = h.lr() / biasCorrection1;
        double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);

        INDArray second = expAvgSq;
        if (h.flag("amsgrad")) {
            second = UpdateRules.zerosBuffer(state, MAX_EXP_AVG_SQ, param);
            Transforms.max(second, expAvgSq, false);
        }
        INDArray denom = Transforms.sqrt(second, true).divi(biasCorrection2Sqrt).addi(h.number("eps"));
        param.addi(expAvg.mul(-stepSize).divi(denom));
    }
}
