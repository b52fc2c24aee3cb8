package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code torch.nn.CrossEntropyLoss(weight=None, ignore_index=-100, reduction='mean', label_smoothing=0.0)}:
 * log-softmax over the class dimension (dim 1, or dim 0 for an unbatched [C] input) followed by the
 * negative log likelihood.
 *
 * <p>Input: logits [C] or [N, C, d1, ...]. Target: class indices (integer values in a float or int array)
 * of shape [] or [N, d1, ...], or class probabilities of the input's shape (chosen, as PyTorch does, when
 * the shapes are equal). With class indices, {@code mean} is the weighted mean (divided by the sum of the
 * targets' class weights) and targets equal to ignore_index count nowhere; label smoothing mixes in
 * {@code label_smoothing / C} of the (weighted) uniform distribution. With probabilities, {@code mean}
 * divides by the number of samples (N * d1 * ...), ignore_index does not apply, and label smoothing
 * replaces the target by {@code target * (1 - ls) + ls / C}.
 */
public final class CrossEntropyLoss extends ClassIndexLossSupport {
    private final INDArray weight;
    private final long ignoreIndex;
    private final double labelSmoothing;

    /** PyTorch's defaults: no weight, ignore_index -100, reduction mean, label_smoothing 0. */
    public CrossEntropyLoss() {
        this(null, -100, Reduction.MEAN, 0.0);
    }

    public CrossEntropyLoss(Reduction reduction) {
        this(null, -100, reduction, 0.0);
    }

    /**
     * @param weight         per-class weights [C], or null for none (kept as a copy)
     * @param ignoreIndex    a class-index target value that contributes neither loss nor gradient
     * @param reduction      none, mean or sum
     * @param labelSmoothing in [0, 1]
     */
    public CrossEntropyLoss(INDArray weight, long ignoreIndex, Reduction reduction, double labelSmoothing) {
        super("CrossEntropyLoss", reduction);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: label_smoothing must be between 0.0 and 1.0, got "
                    + labelSmoothing);
        }
        this.weight = weight == null ? null : weight.dup();
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
    }

    public INDArray weight() {
        return weight == null ? null : weight.dup();
    }

    public long ignoreIndex() {
        return ignoreIndex;
    }

    public double labelSmoothing() {
        return labelSmoothing;
    }

    @Override
    protected LossValue compute(INDArray input, INDArray target) {
        return classLoss(input, target, weight, ignoreIndex, labelSmoothing, true, true);
    }
}
