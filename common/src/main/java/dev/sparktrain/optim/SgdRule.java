package dev.sparktrain.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code torch.optim.SGD}'s {@code _single_tensor_sgd} (PyTorch 1.13). With
 * {@code g = (maximize ? -grad : grad) + weight_decay * p}:
 * <pre>
 *   if momentum != 0:
 *       buf = clone(g)                             at the first step (no dampening applied)
 *       buf = momentum * buf + (1 - dampening) * g after
 *       g   = nesterov ? g + momentum * buf : buf
 *   p -= lr * g
 * </pre>
 * Buffer: {@code momentum_buffer}, only while momentum != 0 (torch stores None otherwise; here it is
 * absent). torch's SGD keeps no step count: {@link ParamState#step()} is ours, incremented at every
 * update so that all rules count alike.
 */
public final class SgdRule implements UpdateRule {
    public static final String MOMENTUM_BUFFER = "momentum_buffer";

    @Override
    public void update(INDArray param, INDArray grad, ParamState state, HyperParams h) {
        INDArray d = UpdateRules.effectiveGrad(param, grad, h.maximize(), h.weightDecay());
        double momentum = h.momentum();
        if (momentum != 0) {
            INDArray buf = state.buffer(MOMENTUM_BUFFER);
            if (buf == null) {
                buf = d.dup();
                state.put(MOMENTUM_BUFFER, buf);
            } else {
                buf.muli(momentum).addi(d.mul(1 - h.dampening()));
            }
            d = h.nesterov() ? d.add(buf.mul(momentum)) : buf;
        }
        param.addi(d.mul(-h.lr()));
        UpdateRules.nextStep(state);
    }
}
