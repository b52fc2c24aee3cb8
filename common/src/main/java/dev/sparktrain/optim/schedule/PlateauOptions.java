package dev.sparktrain.optim.schedule;

/**
 * ReduceLROnPlateau's arguments with PyTorch's defaults: {@code mode='min', factor=0.1, patience=10,
 * threshold=1e-4, threshold_mode='rel', cooldown=0, min_lr=0, eps=1e-8}. {@code min_lr} takes one
 * value for all groups or one per group. Validation happens in the ReduceLROnPlateau constructor.
 */
public final class PlateauOptions {
    String mode = "min";
    double factor = 0.1;
    int patience = 10;
    double threshold = 1e-4;
    String thresholdMode = "rel";
    int cooldown;
    double[] minLrs;
    double minLr;
    double eps = 1e-8;

    /** PyTorch's defaults. */
    public static PlateauOptions defaults() {
        return new PlateauOptions();
    }

    /** "min" (lower is better) or "max". */
    public PlateauOptions mode(String mode) {
        this.mode = mode;
        return this;
    }

    /** new_lr = lr * factor; must be below 1. */
    public PlateauOptions factor(double factor) {
        this.factor = factor;
        return this;
    }

    /** Epochs without improvement tolerated before reducing. */
    public PlateauOptions patience(int patience) {
        this.patience = patience;
        return this;
    }

    public PlateauOptions threshold(double threshold) {
        this.threshold = threshold;
        return this;
    }

    /** "rel" or "abs". */
    public PlateauOptions thresholdMode(String thresholdMode) {
        this.thresholdMode = thresholdMode;
        return this;
    }

    /** Epochs to wait after a reduction before counting bad epochs again. */
    public PlateauOptions cooldown(int cooldown) {
        this.cooldown = cooldown;
        return this;
    }

    /** One lower bound for every group. */
    public PlateauOptions minLr(double minLr) {
        this.minLr = minLr;
        this.minLrs = null;
        return this;
    }

    /** One lower bound per group. */
    public PlateauOptions minLrs(double... perGroup) {
        this.minLrs = perGroup.clone();
        return this;
    }

    /** Reductions smaller than eps are skipped. */
    public PlateauOptions eps(double eps) {
        this.eps = eps;
        return this;
    }
}
