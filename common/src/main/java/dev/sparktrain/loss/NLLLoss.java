package dev.sparktrain.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code torch.nn.NLLLoss(weight=None, ignore_index=-100, reduction='mean')}: {@code -weight[t] * input[t]}
 * per sample, the input holding log-probabilities [C] or [N, C, d1, ...] and the target class indices
 * (integer values in a float or int array) of shape [] or [N, d1, ...]. {@code mean} is the weighted mean
 * (divided by the sum of the targets' class weights); targets equal to ignore_index count nowhere.
 */
public final class NLLLoss extends ClassIndexLossSupport {
    private final INDArray weight;
    private final long ignoreIndex;

    /** PyTorch's defaults: no weight, ignore_index -100, reduction mean. */
    public NLLLoss() {
        this(null, -100, Reduction.MEAN);
    }

    public NLLLoss(Reduction reduction) {
        this(null, -100, reduction);
    }

    /**
     * @param weight      per-class weights [C], or null for none (kept as a copy)
     * @param ignoreIndex a target value that contributes neither loss nor gradient
     * @param reduction   none, mean or sum
     */
    public NLLLoss(INDArray weight, long ignoreIndex, Reduction reduction) {
        super("NLLLoss", reduction);
        this.weight = weight == null ? null : weight.dup();
        this.ignoreIndex = ignoreIndex;
    }

    public INDArray weight() {
        return weight == null ? null : weight.dup();
    }

    public long ignoreIndex() {
        return ignoreIndex;
    }

    @Override
    protected LossValue compute(INDArray input, INDArray target) {
        return classLoss(input, target, weight, ignoreIndex, 0.0, false, false);
    }
}
