package dev.sparktrain.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

/**
 * {@code torch.optim.RMSprop}'s {@code _single_tensor_rmsprop} (PyTorch 1.13). With
 * {@code g = (maximize ? -grad : grad) + weight_decay * p}:
 * <pre>
 *   v   = alpha * v + (1 - alpha) * g * g                          (square_avg)
 *   gav = alpha * gav + (1 - alpha) * g, only if centered           (grad_avg)
 *   avg = sqrt(centered ? v - gav * gav : v) + eps
 *   momentum > 0:  buf = momentum * buf + g / avg; p -= lr * buf    (momentum_buffer)
 *   else:          p -= lr * g / avg
 * </pre>
 * Buffers start as zeros. The step count is incremented (torch keeps it, it enters no formula).
 */
public final class RmspropRule implements Algorithm {
    public static final String SQUARE_AVG = "square_avg";
    public static final String GRAD_AVG = "grad_avg";
    public static final String MOMENTUM_BUFFER = "momentum_buffer";

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    public List<HyperParam> hyperParams() {
        return List.of(HyperParam.number("alpha", 0.99), HyperParam.number("eps", 1e-8),
                HyperParam.number("weight_decay", 0), HyperParam.number("momentum", 0),
                HyperParam.flag("centered", false), HyperParam.flag("maximize", false));
    }

    /** torch checks alpha &gt;= 0 only: alpha &gt; 1 passes. */
    @Override
    public void validate(HyperParams h) {
        Algorithm.check(0.0 <= h.lr(), "lr", "Invalid learning rate: ", h.lr());
        Algorithm.check(0.0 <= h.number("eps"), "eps", "Invalid epsilon value: ", h.number("eps"));
        Algorithm.check(0.0 <= h.number("momentum"), "momentum", "Invalid momentum value: ", h.number("momentum"));
        Algorithm.check(0.0 <= h.number("weight_decay"), "weight_decay", "Invalid weight_decay value: ", h.number("weight_decay"));
        Algorithm.check(0.0 <= h.number("alpha"), "alpha", "Invalid alpha value: ", h.number("alpha"));
    }

    @Override
    public void update(INDArray param, INDArray grad, ParamState state, HyperParams h) {
        UpdateRules.nextStep(state);
        INDArray g = UpdateRules.effectiveGrad(param, grad, h.flag("maximize"), h.number("weight_decay"));
        double alpha = h.number("alpha");
        INDArray squareAvg = UpdateRules.zerosBuffer(state, SQUARE_AVG, param);
        squareAvg.muli(alpha).addi(g.mul(1 - alpha).muli(g));

        INDArray avg;
        if (h.flag("centered")) {
            INDArray gradAvg = UpdateRules.zerosBuffer(state, GRAD_AVG, param);
            gradAvg.muli(alpha).addi(g.mul(1 - alpha));
            avg = Transforms.sqrt(squareAvg.add(gradAvg.neg().muli(gradAvg)), false);
        } else {
            avg = Transforms.sqrt(squareAvg, true);
        }
        avg.addi(h.number("eps"));

        double momentum = h.number("momentum");
        if (momentum > 0) {
            INDArray buf = UpdateRules.zerosBuffer(state, MOMENTUM_BUFFER, param);
            buf.muli(momentum).addi(g.div(avg));
            param.addi(buf.mul(-h.lr()));
        } else {
            param.addi(g.mul(-h.lr()).divi(avg));
        }
    }
}
