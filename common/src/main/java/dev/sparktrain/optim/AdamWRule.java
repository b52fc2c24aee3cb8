package dev.sparktrain.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * {@code torch.optim.AdamW}'s {@code _single_tensor_adamw} (PyTorch 1.13): decoupled weight decay,
 * {@code p *= 1 - lr * weight_decay}, then {@link AdamRule}'s update with
 * {@code g = maximize ? -grad : grad} (no L2 term in g). Same buffers as Adam (amsgrad included).
 */
public final class AdamWRule implements Algorithm {
    @Override
    public String name() {
        return "adamw";
    }

    /** As Adam's, but weight decay 0.01 by default (decoupled). */
    @Override
    public List<HyperParam> hyperParams() {
        return List.of(HyperParam.pair("betas", 0.9, 0.999), HyperParam.number("eps", 1e-8),
                HyperParam.number("weight_decay", 1e-2), HyperParam.flag("amsgrad", false), HyperParam.flag("maximize", false));
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
        double weightDecay = h.number("weight_decay");
        if (weightDecay != 0) { // torch multiplies by 1 - lr * 0 = 1 too: the same values
            param.muli(1 - h.lr() * weightDecay);
        }
        INDArray g = UpdateRules.effectiveGrad(param, grad, h.flag("maximize"), 0);
        AdamRule.moments(param, g, state, h, step);
    }
}
