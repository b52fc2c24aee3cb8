package dev.sparktrain.eval;

import java.util.Locale;

/** What a model predicts, decided by its loss and its number of outputs. */
public enum TargetKind {
    /** One class of {@code outputs} (softmax/cross-entropy, NLL, multi-margin, KL divergence): the largest output. */
    MULTICLASS,
    /** One output, the probability (or logit) of the positive class (BCE, BCE with logits, soft margin, hinge). */
    BINARY,
    /** Several independent yes/no outputs (BCE family with more than one output), each thresholded. */
    MULTILABEL,
    /** Numeric targets (MSE, L1, smooth L1, Poisson NLL): no accuracy; MSE, MAE, R². */
    REGRESSION,
    /** Losses over pairs, triplets or sequences: the loss only. */
    LOSS_ONLY;

    /** The name in reports: multiclass, binary, multilabel, regression, loss-only. */
    public String text() {
        return name().toLowerCase(Locale.ROOT).replace("_", "-");
    }

    /** Whether the kind has classes, a confusion matrix and an accuracy. */
    public boolean classification() {
        return this == MULTICLASS || this == BINARY || this == MULTILABEL;
    }
}
