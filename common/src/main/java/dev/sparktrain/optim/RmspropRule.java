package dev.sparktrain.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

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
public final class RmspropRule implements UpdateRule {
    public static final String SQUARE_AVG = "square_avg";
    public static final String GRAD_AVG = "grad_avg";
    public static final String MOMENTUM_BUFFER = "momentum_buffer";

    @Override
    public void update(INDArray param, INDArray grad, ParamState state, HyperParams h) {
        UpdateRules.nextStep(state);
        INDArray g = UpdateRules.effectiveGrad(param, grad, h.maximize(), h.weightDecay());
        double alpha = h.alpha();
        INDArray squareAvg = UpdateRules.zerosBuffer(state, SQUARE_AVG, param);
        squareAvg.muli(alpha).addi(g.mul(1 - alpha).muli(g));

        INDArray avg;
        if (h.centered()) {
            INDArray gradAvg = UpdateRules.zerosBuffer(state, GRAD_AVG, param);
            gradAvg.muli(alpha).addi(g.mul(1 - alpha));
            avg = Transforms.sqrt(squareAvg.add(gradAvg.neg().muli(gradAvg)), false);
        } else {
            avg = Transforms.sqrt(squareAvg, true);
        }
        avg.addi(h.eps());

        if (h.momentum() > 0) {
            INDArray buf = UpdateRules.zerosBuffer(state, MOMENTUM_BUFFER, param);
            buf.muli(h.momentum()).addi(g.div(avg));
            param.addi(buf.mul(-h.lr()));
        } else {
            param.addi(g.mul(-h.lr()).divi(avg));
        }
    }
}
