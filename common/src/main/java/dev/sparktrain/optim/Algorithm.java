package dev.sparktrain.optim;

import java.io.Serializable;
import java.util.List;

/**
 * One torch.optim algorithm: its name ({@code optimizer.type}), its hyper-parameters with torch's
 * names and defaults (which are also its config keys), torch's constructor checks with torch's
 * messages, and its update of one parameter tensor, exactly as torch's {@code _single_tensor_<algo>}
 * of PyTorch 1.13 computes it (including the step count, which it increments). Stateless: everything
 * it keeps lives in {@link ParamState}. Adding an optimizer is one class implementing this and one
 * line in {@link AlgorithmRegistrations}.
 */
public interface Algorithm extends Serializable {

    /** Its {@code optimizer.type}, lower case. */
    String name();

    /** Its hyper-parameters but lr (which every algorithm has), with torch's defaults. */
    List<HyperParam> hyperParams();

    /** Throws IllegalArgumentException with torch's message for the first invalid value, as torch's constructor. */
    void validate(HyperParams h);

    /** Whether a cycling momentum (OneCycleLR) is beta1 of {@code betas} rather than {@code momentum}. */
    default boolean usesBetas() {
        return false;
    }

    /**
     * Updates {@code param} in place (it may be a view into the flat vector). {@code grad} is the
     * gradient of the mean loss for this tensor and must not be modified. Buffers are created in
     * {@code state} at the first step, with the dtype of {@code param}.
     */
    void update(org.nd4j.linalg.api.ndarray.INDArray param, org.nd4j.linalg.api.ndarray.INDArray grad,
                ParamState state, HyperParams h);

    /** torch's checks, as its constructors word them ({@code Invalid learning rate: -0.1}), of parameter {@code param}. */
    static void check(boolean valid, String param, String message, double value) {
        if (!valid) {
            throw new HyperParamException(param, message + PyRepr.of(value));
        }
    }
}
