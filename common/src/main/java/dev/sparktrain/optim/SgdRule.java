package dev.sparktrain.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

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
public final class SgdRule implements Algorithm {
    public static final String MOMENTUM_BUFFER = "momentum_buffer";

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public List<HyperParam> hyperParams() {
        return List.of(HyperParam.number("momentum", 0), HyperParam.number("dampening", 0),
                HyperParam.flag("nesterov", false), HyperParam.number("weight_decay", 0),
                HyperParam.flag("maximize", false));
    }

    /** SGD's {@code lr < 0.0} test lets NaN through, unlike the others' {@code not 0.0 <= lr}. */
    @Override
    public void validate(HyperParams h) {
        Algorithm.check(!(h.lr() < 0.0), "lr", "Invalid learning rate: ", h.lr());
        Algorithm.check(!(h.number("momentum") < 0.0), "momentum", "Invalid momentum value: ", h.number("momentum"));
        Algorithm.check(!(h.number("weight_decay") < 0.0), "weight_decay", "Invalid weight_decay value: ", h.number("weight_decay"));
        if (h.flag("nesterov") && (h.number("momentum") <= 0 || h.number("dampening") != 0)) {
            throw new HyperParamException("nesterov", "Nesterov momentum requires a momentum and zero dampening");
        }
    }

    @Override
    public void update(INDArray param, INDArray grad, ParamState state, HyperParams h) {
        INDArray d = UpdateRules.effectiveGrad(param, grad, h.flag("maximize"), h.number("weight_decay"));
        double momentum = h.number("momentum");
        if (momentum != 0) {
            INDArray buf = state.buffer(MOMENTUM_BUFFER);
            if (buf == null) {
                buf = d.dup();
                state.put(MOMENTUM_BUFFER, buf);
            } else {
                buf.muli(momentum).addi(d.mul(1 - h.number("dampening")));
            }
            d = h.flag("nesterov") ? d.add(buf.mul(momentum)) : buf;
        }
        param.addi(d.mul(-h.lr()));
        UpdateRules.nextStep(state);
    }
}
