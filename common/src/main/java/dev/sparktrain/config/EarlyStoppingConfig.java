package dev.sparktrain.config;

import java.util.Set;

/**
 * {@code early-stopping}: stop when {@code monitor} has not improved by more than {@code minDelta}
 * for {@code patience} epochs; {@code patience} 0 turns it off. Checked here, so a Java caller gets
 * the config file's messages.
 */
public record EarlyStoppingConfig(String monitor, int patience, double minDelta) {
    public static final Set<String> MONITORS = Set.of("val_loss", "val_accuracy", "train_loss");

    public EarlyStoppingConfig {
        if (!MONITORS.contains(monitor)) {
            throw ConfigException.badValue("early-stopping.monitor", "one of " + new java.util.TreeSet<>(MONITORS),
                    "'" + monitor + "'");
        }
        if (patience < 0) {
            throw ConfigException.badValue("early-stopping.patience", "a non-negative integer (0 = off)", patience);
        }
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw ConfigException.badValue("early-stopping.min-delta", "a finite number >= 0", minDelta);
        }
    }

    /** Off. */
    public static final EarlyStoppingConfig OFF = new EarlyStoppingConfig("val_loss", 0, 0);

    public boolean enabled() {
        return patience > 0;
    }

    static EarlyStoppingConfig read(ConfigReader r) {
        return new EarlyStoppingConfig(r.string("early-stopping.monitor"), r.nonNegativeInt("early-stopping.patience"),
                r.number("early-stopping.min-delta", 0, Double.MAX_VALUE, false));
    }
}
