package dev.sparktrain.loss;

import java.util.Locale;

/** PyTorch's {@code reduction} argument. BATCHMEAN exists for KLDivLoss only. */
public enum Reduction {
    NONE, MEAN, SUM, BATCHMEAN;

    /** From PyTorch's spelling ("none", "mean", "sum", "batchmean"); errors name the value. */
    public static Reduction parse(String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(value + " is not a valid value for reduction "
                    + "(expected none, mean, sum, or batchmean for kl_div)", e);
        }
    }
}
