package dev.sparktrain.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.Serializable;
import java.util.List;

/**
 * Gradient clipping applied before each optimizer step over the trainable parameters:
 * {@code torch.nn.utils.clip_grad_norm_(max_norm, norm_type)} (0 = off) and then
 * {@code clip_grad_value_(clip_value)} (0 = off).
 */
public record Clipping(double maxNorm, double normType, double maxValue) implements Serializable {
    public static final Clipping NONE = new Clipping(0, 2, 0);

    public Clipping {
        if (maxNorm < 0 || maxValue < 0 || !(normType > 0)) {
            throw new IllegalArgumentException("clipping needs max_norm >= 0, norm_type > 0 (or infinity) and "
                    + "clip_value >= 0, found " + maxNorm + ", " + normType + ", " + maxValue);
        }
    }

    /**
     * How a window's partial norm meets the other windows' (ZeRO stage 1, see
     * {@link GroupedOptimizer#window}): given this window's sum of |g|^p (or its largest |g| for the
     * infinity norm), returns the sum (the largest) over all windows. {@link #NONE}: one window.
     */
    @FunctionalInterface
    public interface Across {
        Across NONE = (partial, max) -> partial;

        double combine(double partial, boolean max);
    }

    public boolean active() {
        return maxNorm > 0 || maxValue > 0;
    }

    /**
     * Clips the gradients {@code grads} (views of the trainable parameters' gradients) in place;
     * returns the total norm before clipping (as clip_grad_norm_ does), or NaN when norm clipping is off.
     */
    public double apply(List<INDArray> grads) {
        return apply(grads, Across.NONE);
    }

    /** As {@link #apply(List)}, the total norm taken {@code across} the other windows' gradients too. */
    public double apply(List<INDArray> grads, Across across) {
        double total = Double.NaN;
        if (maxNorm > 0) {
            total = totalNorm(grads, across);
            double coef = maxNorm / (total + 1e-6);
            if (coef < 1) {
                grads.forEach(g -> g.muli(coef));
            }
        }
        if (maxValue > 0) {
            grads.forEach(g -> Transforms.min(Transforms.max(g, -maxValue, false), maxValue, false));
        }
        return total;
    }

    private double totalNorm(List<INDArray> grads, Across across) {
        if (Double.isInfinite(normType)) {
            return across.combine(grads.stream().mapToDouble(g -> g.amaxNumber().doubleValue()).max().orElse(0), true);
        }
        double sum = 0; // (sum over all elements of |g|^p)^(1/p): the norm of the per-tensor norms
        for (INDArray g : grads) {
            sum += normType == 2 ? Math.pow(g.norm2Number().doubleValue(), 2)
                    : Transforms.pow(Transforms.abs(g, true), normType, false).sumNumber().doubleValue();
        }
        return Math.pow(across.combine(sum, false), 1 / normType);
    }
}
