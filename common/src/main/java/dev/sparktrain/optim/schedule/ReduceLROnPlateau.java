package dev.sparktrain.optim.schedule;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code torch.optim.lr_scheduler.ReduceLROnPlateau} ({@link PlateauOptions} holds PyTorch's defaults):
 * {@link #step(double) step(metric)} once per epoch. A metric is better than {@code best} when it is
 * {@code < best * (1 - threshold)} (min, rel), {@code < best - threshold} (min, abs),
 * {@code > best * (1 + threshold)} (max, rel) or {@code > best + threshold} (max, abs); {@code best}
 * starts at +inf (min) or -inf (max). Otherwise {@code num_bad_epochs} grows; during a cooldown the
 * cooldown counter drops and bad epochs are ignored. When {@code num_bad_epochs > patience} each
 * group's lr becomes {@code max(lr * factor, min_lr)} if that lowers it by more than {@code eps}, and
 * a cooldown of {@code cooldown} epochs starts. Unlike the other schedulers, construction does not step
 * or touch the lr; {@link #lastLr()} is the target's lr until the first step.
 */
public final class ReduceLROnPlateau implements LrScheduler {
    private final ScheduleTarget target;
    private double factor;
    private double[] minLrs;
    private int patience;
    private int cooldown;
    private int cooldownCounter;
    private String mode;
    private double threshold;
    private String thresholdMode;
    private double best;
    private int numBadEpochs;
    private double eps;
    private int lastEpoch;
    private double[] lastLr;

    /** ReduceLROnPlateau with PyTorch's defaults. */
    public ReduceLROnPlateau(ScheduleTarget target) {
        this(target, PlateauOptions.defaults());
    }

    public ReduceLROnPlateau(ScheduleTarget target, PlateauOptions o) {
        this.target = java.util.Objects.requireNonNull(target, "target");
        if (o.factor >= 1.0) {
            throw new IllegalArgumentException("Factor should be < 1.0.");
        }
        int n = target.groupCount();
        if (o.minLrs != null && o.minLrs.length != n) {
            throw new IllegalArgumentException("expected " + n + " min_lrs, got " + o.minLrs.length);
        }
        checkModes(o.mode, o.thresholdMode);
        factor = o.factor;
        minLrs = o.minLrs != null ? o.minLrs.clone() : filled(n, o.minLr);
        patience = o.patience;
        cooldown = o.cooldown;
        mode = o.mode;
        threshold = o.threshold;
        thresholdMode = o.thresholdMode;
        eps = o.eps;
        best = modeWorse();
        cooldownCounter = 0;
        numBadEpochs = 0;
        lastEpoch = 0;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    private static void checkModes(String mode, String thresholdMode) {
        if (!"min".equals(mode) && !"max".equals(mode)) {
            throw new IllegalArgumentException("mode " + mode + " is unknown!");
        }
        if (!"rel".equals(thresholdMode) && !"abs".equals(thresholdMode)) {
            throw new IllegalArgumentException("threshold mode " + thresholdMode + " is unknown!");
        }
    }

    private double modeWorse() {
        return "min".equals(mode) ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** PyTorch needs a metric here; so does this class. */
    @Override
    public void step() {
        throw new UnsupportedOperationException("ReduceLROnPlateau steps on a metric: call step(metric)");
    }

    /** {@code scheduler.step(metrics)}. */
    @Override
    public void step(double metric) {
        lastEpoch = lastEpoch + 1;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            reduceLr();
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        lastLr = currentLrs();
    }

    private boolean isBetter(double a, double best) {
        if ("min".equals(mode) && "rel".equals(thresholdMode)) {
            return a < best * (1. - threshold);
        } else if ("min".equals(mode)) {
            return a < best - threshold;
        } else if ("rel".equals(thresholdMode)) {
            return a > best * (threshold + 1.);
        }
        return a > best + threshold;
    }

    private void reduceLr() {
        for (int i = 0; i < target.groupCount(); i++) {
            double oldLr = target.lr(i);
            double newLr = Py.max(oldLr * factor, minLrs[i]);
            if (oldLr - newLr > eps) {
                target.setLr(i, newLr);
            }
        }
    }

    private double[] currentLrs() {
        double[] lrs = new double[target.groupCount()];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = target.lr(i);
        }
        return lrs;
    }

    @Override
    public double[] lastLr() {
        return lastLr != null ? lastLr.clone() : currentLrs();
    }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("factor", factor);
        out.put("min_lrs", StateReader.toList(minLrs));
        out.put("patience", patience);
        out.put("cooldown", cooldown);
        out.put("cooldown_counter", cooldownCounter);
        out.put("mode", mode);
        out.put("threshold", threshold);
        out.put("threshold_mode", thresholdMode);
        out.put("best", best);
        out.put("num_bad_epochs", numBadEpochs);
        out.put("mode_worse", modeWorse());
        out.put("eps", eps);
        out.put("last_epoch", lastEpoch);
        if (lastLr != null) {
            out.put("_last_lr", StateReader.toList(lastLr));
        }
        return out;
    }

    /** Keys present replace fields (PyTorch's update); mode_worse follows the mode as in PyTorch. */
    @Override
    public void loadStateDict(Map<String, Object> state) {
        StateReader in = new StateReader(state, "ReduceLROnPlateau");
        in.checkGroups(target.groupCount(), "min_lrs", "_last_lr");
        double f = in.getDouble("factor", factor);
        double[] mins = in.getDoubles("min_lrs", minLrs);
        int pat = in.getInt("patience", patience);
        int cool = in.getInt("cooldown", cooldown);
        int counter = in.getInt("cooldown_counter", cooldownCounter);
        String m = in.getString("mode", mode);
        double th = in.getDouble("threshold", threshold);
        String thMode = in.getString("threshold_mode", thresholdMode);
        double b = in.getDouble("best", best);
        int bad = in.getInt("num_bad_epochs", numBadEpochs);
        double e = in.getDouble("eps", eps);
        int epoch = in.getInt("last_epoch", lastEpoch);
        double[] last = in.getDoubles("_last_lr", lastLr);
        checkModes(m, thMode);
        factor = f;
        minLrs = mins;
        patience = pat;
        cooldown = cool;
        cooldownCounter = counter;
        mode = m;
        threshold = th;
        thresholdMode = thMode;
        best = b;
        numBadEpochs = bad;
        eps = e;
        lastEpoch = epoch;
        lastLr = last;
    }
}
