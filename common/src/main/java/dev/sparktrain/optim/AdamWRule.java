package dev.sparktrain.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code torch.optim.AdamW}'s {@code _single_tensor_adamw} (PyTorch 1.13): decoupled weight decay,
 * {@code p *= 1 - lr * weight_decay}, then {@link AdamRule}'s update with
 * {@code g = maximize ? -grad : grad} (no L2 term in g). Same buffers as Adam (amsgrad included).
 */
public final class AdamWRule implements UpdateRule {

    @Override
    public void update(INDArray param, INDArray grad, ParamState state, HyperParams h) {
        long step = UpdateRules.nextStep(state);
        if (h.weightDecay() != 0) { // torch multiplies by 1 - lr * 0 = 1 too: the same values
            param.muli(1 - h.lr() * h.weightDecay());
        }
        INDArray g = UpdateRules.effectiveGrad(param, grad, h.maximize(), 0);
        AdamRule.moments(param, g, state, h, step);
    }
}
