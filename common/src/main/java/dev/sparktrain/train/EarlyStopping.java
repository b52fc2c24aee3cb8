package dev.sparktrain.train;

import dev.sparktrain.config.EarlyStoppingConfig;

import java.util.List;
import java.util.Locale;

/**
 * Stops a run when a monitored metric has not improved by more than {@code minDelta} for
 * {@code patience} epochs (the callbacks of Keras and Lightning): {@code val_loss} and
 * {@code train_loss} must fall, {@code val_accuracy} must rise. It reads the run's whole metrics
 * history every epoch, so a resumed run stops where an uninterrupted one would.
 */
public final class EarlyStopping implements TrainingListener {
    private final String monitor;
    private final int patience;
    private final double minDelta;

    /** From the {@code early-stopping} config (checked there), which must be enabled (patience &gt; 0). */
    public EarlyStopping(EarlyStoppingConfig config) {
        if (!config.enabled()) {
            throw new IllegalArgumentException("early stopping needs a patience of at least 1, found "
                    + config.patience());
        }
        this.monitor = config.monitor();
        this.patience = config.patience();
        this.minDelta = config.minDelta();
    }

    /** Keras's and Lightning's arguments: the metric, the epochs to wait, the least improvement. */
    public EarlyStopping(String monitor, int patience, double minDelta) {
        this(new EarlyStoppingConfig(monitor, patience, minDelta));
    }
    @Override
    public void onEpochEnd(EpochEvent event) {
        List<EpochMetrics> history = event.snapshot().history();
        int sinceBest = epochsSinceImprovement(history);
        if (sinceBest >= patience) {
            EpochMetrics last = history.get(history.size() - 1);
            event.stop(String.format(Locale.ROOT, "early stopping: %s did not improve by more than %s for %d epoch%s "
                            + "(best %.4f at epoch %d, now %.4f)", monitor, minDelta, sinceBest, sinceBest == 1 ? "" : "s",
                    value(history.get(history.size() - 1 - sinceBest)), history.size() - sinceBest, value(last)));
        }
    }

    /** Epochs since the last one that improved on the best so far (by more than minDelta). */
    int epochsSinceImprovement(List<EpochMetrics> history) {
        double best = Double.NaN;
        int bestIndex = -1;
        for (int i = 0; i < history.size(); i++) {
            double v = value(history.get(i));
            if (bestIndex < 0 || improves(v, best)) {
                best = v;
                bestIndex = i;
            }
        }
        return history.size() - 1 - bestIndex;
    }

    private boolean improves(double v, double best) {
        return monitor.equals("val_accuracy") ? v > best + minDelta : v < best - minDelta;
    }

    private double value(EpochMetrics m) {
        return switch (monitor) {
            case "val_loss" -> m.valLoss();
            case "val_accuracy" -> m.valAccuracy();
            default -> m.trainLoss();
        };
    }
}
