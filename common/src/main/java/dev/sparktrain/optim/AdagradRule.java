package dev.sparktrain.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

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
public final class AdagradRule implements Algorithm {
    public static final String SUM = "sum";

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    public List<HyperParam> hyperParams() {
        return List.of(HyperParam.number("lr_decay", 0), HyperParam.number("weight_decay", 0),
                HyperParam.number("initial_accumulator_value", 0), HyperParam.number("eps", 1e-10),
                HyperParam.flag("maximize", false));
    }

    @Override
    public void validate(HyperParams h) {
        Algorithm.check(0.0 <= h.lr(), "lr", "Invalid learning rate: ", h.lr());
        Algorithm.check(0.0 <= h.number("lr_decay"), "lr_decay", "Invalid lr_decay value: ", h.number("lr_decay"));
        Algorithm.check(0.0 <= h.number("weight_decay"), "weight_decay", "Invalid weight_decay value: ", h.number("weight_decay"));
        Algorithm.check(0.0 <= h.number("initial_accumulator_value"), "initial_accumulator_value", "Invalid initial_accumulator_value value: ",
                h.number("initial_accumulator_value"));
        Algorithm.check(0.0 <= h.number("eps"), "eps", "Invalid epsilon value: ", h.number("eps"));
    }

    @Override
    public void update(INDArray param, INDArray grad, ParamState state, HyperParams h) {
        long step = UpdateRules.nextStep(state);
        INDArray g = UpdateRules.effectiveGrad(param, grad, h.flag("maximize"), h.number("weight_decay"));
        double clr = h.lr() / (1 + (step - 1) * h.number("lr_decay"));

        INDArray sum = state.buffer(SUM);
        if (sum == null) {
            sum = Nd4j.zeros(param.dataType(), param.shape()).assign(h.number("initial_accumulator_value"));
            state.put(SUM, sum);
        }
        sum.addi(g.mul(g));
        INDArray std = Transforms.sqrt(sum, true).addi(h.number("eps"));
        param.addi(g.mul(-clr).divi(std));
    }
}
