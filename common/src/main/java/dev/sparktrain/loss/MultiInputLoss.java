package dev.sparktrain.loss;

/**
 * What the losses of several inputs (pair, triplet, CTC) share: a name, a fixed number of inputs
 * and a checked reduction (none, mean or sum).
 */
abstract class MultiInputLoss implements Loss {
    private final String name;
    private final int arity;
    private final Reduction reduction;

    MultiInputLoss(String name, int arity, Reduction reduction) {
        this.name = name;
        this.arity = arity;
        this.reduction = PairLossSupport.checkReduction(name, reduction);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int arity() {
        return arity;
    }

    @Override
    public final Reduction reduction() {
        return reduction;
    }
}
