package dev.sparktrain.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One algorithm's update of one parameter tensor, exactly as torch.optim's {@code _single_tensor_<algo>}
 * functions of PyTorch 1.13 compute it (including the state's step count, incremented by the rule).
 * Stateless: everything it keeps lives in {@link ParamState}.
 */
public interface UpdateRule {

    /**
     * Updates {@code param} in place (it may be a view into the flat vector). {@code grad} is the
     * gradient of the mean loss for this tensor and must not be modified. Buffers are created in
     * {@code state} at the first step, with the dtype of {@code param}.
     */
    void update(INDArray param, INDArray grad, ParamState state, HyperParams h);
}
