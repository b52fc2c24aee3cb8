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
        Check.choice("early-stopping.monitor", monitor, MONITORS);
        Check.nonNegative("early-stopping.patience", patience);
        Check.number("early-stopping.min-delta", minDelta, 0, Double.MAX_VALUE, false);
    }

    /** Off. */
    public static final EarlyStoppingConfig OFF = new EarlyStoppingConfig("val_loss", 0, 0);

    public boolean enabled() {
        return patience > 0;
    }

    static EarlyStoppingConfig read(ConfigReader r) {
        return new EarlyStoppingConfig(r.string("early-stopping.monitor"), r.intValue("early-stopping.patience"),
                r.number("early-stopping.min-delta"));
    }
}
