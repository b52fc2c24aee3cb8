package dev.sparktrain.optim.schedule;

/**
 * OneCycleLR's arguments with PyTorch's defaults: {@code pct_start=0.3, anneal_strategy='cos',
 * cycle_momentum=true, base_momentum=0.85, max_momentum=0.95, div_factor=25, final_div_factor=1e4,
 * three_phase=false}. {@code max_lr}, {@code base_momentum} and {@code max_momentum} take one value for
 * all groups or one per group. The length of the cycle is {@code total_steps}, or else
 * {@code epochs * steps_per_epoch}. Validation happens in the OneCycleLR constructor, in PyTorch's order.
 */
public final class OneCycleOptions {
    Object maxLr;
    Number totalSteps;
    Number epochs;
    Number stepsPerEpoch;
    Number pctStart = 0.3;
    String annealStrategy = "cos";
    boolean cycleMomentum = true;
    Object baseMomentum = 0.85;
    Object maxMomentum = 0.95;
    double divFactor = 25.;
    double finalDivFactor = 1e4;
    boolean threePhase;

    private OneCycleOptions(Object maxLr) {
        this.maxLr = maxLr;
    }

    /** One max_lr for every group. */
    public static OneCycleOptions maxLr(double maxLr) {
        return new OneCycleOptions(maxLr);
    }

    /** One max_lr per group. */
    public static OneCycleOptions maxLrs(double... perGroup) {
        return new OneCycleOptions(perGroup.clone());
    }

    public OneCycleOptions totalSteps(int totalSteps) {
        this.totalSteps = totalSteps;
        return this;
    }

    /** total_steps = epochs * steps_per_epoch (used when total_steps is not set). */
    public OneCycleOptions epochs(int epochs, int stepsPerEpoch) {
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
        return this;
    }

    public OneCycleOptions pctStart(double pctStart) {
        this.pctStart = pctStart;
        return this;
    }

    /** "cos" or "linear". */
    public OneCycleOptions annealStrategy(String annealStrategy) {
        this.annealStrategy = annealStrategy;
        return this;
    }

    public OneCycleOptions cycleMomentum(boolean cycleMomentum) {
        this.cycleMomentum = cycleMomentum;
        return this;
    }

    public OneCycleOptions baseMomentum(double baseMomentum) {
        this.baseMomentum = baseMomentum;
        return this;
    }

    public OneCycleOptions baseMomenta(double... perGroup) {
        this.baseMomentum = perGroup.clone();
        return this;
    }

    public OneCycleOptions maxMomentum(double maxMomentum) {
        this.maxMomentum = maxMomentum;
        return this;
    }

    public OneCycleOptions maxMomenta(double... perGroup) {
        this.maxMomentum = perGroup.clone();
        return this;
    }

    public OneCycleOptions divFactor(double divFactor) {
        this.divFactor = divFactor;
        return this;
    }

    public OneCycleOptions finalDivFactor(double finalDivFactor) {
        this.finalDivFactor = finalDivFactor;
        return this;
    }

    public OneCycleOptions threePhase(boolean threePhase) {
        this.threePhase = threePhase;
        return this;
    }

    /** Spec values as given (an int or a float), so PyTorch's isinstance checks can be reproduced. */
    OneCycleOptions rawSteps(Number totalSteps, Number epochs, Number stepsPerEpoch, Number pctStart) {
        this.totalSteps = totalSteps;
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
        if (pctStart != null) {
            this.pctStart = pctStart;
        }
        return this;
    }

    OneCycleOptions rawMaxLr(Object maxLr) {
        this.maxLr = maxLr;
        return this;
    }

    /** PyTorch's total_steps resolution and checks, with its messages. */
    int resolveTotalSteps() {
        if (totalSteps == null && epochs == null && stepsPerEpoch == null) {
            throw new IllegalArgumentException("You must define either total_steps OR (epochs AND steps_per_epoch)");
        }
        if (totalSteps != null) {
            return positiveInt("total_steps", totalSteps);
        }
        if (epochs == null || stepsPerEpoch == null) {
            throw new IllegalArgumentException("You must define either total_steps OR (epochs AND steps_per_epoch)");
        }
        int e = positiveInt("epochs", epochs);
        return Math.multiplyExact(e, positiveInt("steps_per_epoch", stepsPerEpoch));
    }

    private static int positiveInt(String name, Number value) {
        if (!Py.isInt(value) || value.longValue() <= 0) {
            throw new IllegalArgumentException("Expected positive integer " + name + ", but got " + Py.str(value));
        }
        return Math.toIntExact(value.longValue());
    }

    /** PyTorch's _format_param: a list must have one value per group, a number is repeated. */
    static double[] perGroup(String name, Object value, int groupCount) {
        if (value instanceof double[]) {
            double[] v = (double[]) value;
            if (v.length != groupCount) {
                throw new IllegalArgumentException("expected " + groupCount + " values for " + name + ", got "
                        + v.length);
            }
            return v.clone();
        }
        double[] v = new double[groupCount];
        java.util.Arrays.fill(v, ((Number) value).doubleValue());
        return v;
    }
}
