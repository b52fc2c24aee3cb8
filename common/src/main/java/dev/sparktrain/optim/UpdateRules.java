package dev.sparktrain.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/** The gradient prologue and state helpers the {@link Algorithm}s share. */
final class UpdateRules {
    private UpdateRules() {
    }

    /**
     * torch's common first lines, {@code g = grad if not maximize else -grad} then, where
     * {@code weightDecay != 0}, {@code g = g + weightDecay * param}; in {@code param}'s dtype.
     * The result may be {@code grad} itself: callers only read it.
     */
    static INDArray effectiveGrad(INDArray param, INDArray grad, boolean maximize, double weightDecay) {
        if (!Arrays.equals(param.shape(), grad.shape())) {
            throw new IllegalArgumentException("gradient shape " + Arrays.toString(grad.shape())
                    + " differs from the parameter's " + Arrays.toString(param.shape()));
        }
        INDArray g = grad.dataType() == param.dataType() ? grad : grad.castTo(param.dataType());
        if (maximize) {
            g = g.neg();
        }
        if (weightDecay != 0) {
            g = g.add(param.mul(weightDecay));
        }
        return g;
    }

    /** The buffer {@code name} of {@code state}, created as zeros shaped and typed like {@code param} if absent. */
    static INDArray zerosBuffer(ParamState state, String name, INDArray param) {
        INDArray buf = state.buffer(name);
        if (buf == null) {
            buf = Nd4j.zeros(param.dataType(), param.shape());
            state.put(name, buf);
        }
        return buf;
    }

    /** Increments the state's step count and returns the new value. */
    static long nextStep(ParamState state) {
        long step = state.step() + 1;
        state.setStep(step);
        return step;
    }
}
