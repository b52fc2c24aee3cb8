package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * A loss function with a torch.nn loss module's definition, arguments and defaults (fixed at
 * construction, immutable). {@code forward} computes the value and the gradients with respect to
 * the inputs, in the inputs' dtype (float32 or float64), without modifying them.
 *
 * <p>Inputs and target follow PyTorch's call: most losses take {@code (input, target)}; pair losses
 * {@code (x1, x2, target)}; TripletMarginLoss {@code (anchor, positive, negative)} with a null target;
 * CTCLoss {@code (log_probs, input_lengths, target_lengths)} with {@code targets} as the target.
 * Bad input (shape mismatch, class out of range, negative probabilities, ...) throws
 * IllegalArgumentException naming both shapes or the bad value.
 */
public interface Loss {

    /** PyTorch's class name, e.g. "CrossEntropyLoss". */
    String name();

    /** Number of tensor inputs before the target. */
    int arity();

    Reduction reduction();

    LossValue forward(List<INDArray> inputs, INDArray target);

    /** For single-input losses: {@code forward(List.of(input), target)}. */
    default LossValue forward(INDArray input, INDArray target) {
        return forward(List.of(input), target);
    }
}
