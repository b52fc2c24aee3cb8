package dev.sparktrain.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code torch.optim.Adagrad}'s {@code _single_tensor_adagrad} (PyTorch 1.13), dense gradients.
 * With t = the incremented step and {@code g = (maximize ? -grad : grad) + weight_decay * p}:
 * <pre>
 *   clr = lr / (1 + (t - 1) * lr_decay)
 *   sum = sum + g * g                  (sum, initial_accumulator_value everywhere before the first step)
 *   p  -= clr * g / (sqrt(sum) + eps)
 * </pre>
 * torch creates "sum" in the constructor; here it is created at the first update, from the group's
 * initial_accumulator_value.
 */
public final class AdagradRule implements UpdateRule {
    public static final String SUM = "sum";

    @Override
    public void update(INDArray param, INDArray grad, ParamState state, HyperParams h) {
        long step = UpdateRules.nextStep(state);
        INDArray g = UpdateRules.effectiveGrad(param, grad, h.maximize(), h.weightDecay());
        double clr = h.lr() / (1 + (step - 1) * h.lrDecay());

        INDArray sum = state.buffer(SUM);
        if (sum == null) {
            sum = Nd4j.zeros(param.dataType(), param.shape()).assign(h.initialAccumulatorValue());
            state.put(SUM, sum);
        }
        sum.addi(g.mul(g));
        INDArray std = Transforms.sqrt(sum, true).addi(h.eps());
        param.addi(g.mul(-clr).divi(std));
    }
}
