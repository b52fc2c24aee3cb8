package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * A loss evaluated at one point: {@code value} (a scalar for mean/sum/batchmean; PyTorch's unreduced
 * shape for none) and {@code gradients}, one per input in order: the gradient of the SUM of
 * {@code value}'s elements with respect to that input (what {@code loss.sum().backward()} gives;
 * for a scalar value, simply {@code loss.backward()}), or null for inputs without a gradient (e.g.
 * CTC's lengths).
 */
public record LossValue(INDArray value, List<INDArray> gradients) {

    public LossValue {
        gradients = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(gradients));
    }

    public double scalar() {
        if (value.length() != 1) {
            throw new IllegalStateException("loss value has shape " + java.util.Arrays.toString(value.shape())
                    + "; a scalar needs reduction mean, sum or batchmean");
        }
        return value.getDouble(0);
    }
}
