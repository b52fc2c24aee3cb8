package dev.sparktrain.config;

import java.time.Duration;
import java.util.Set;

/**
 * How a run joins its experiment: where its parameters start ({@code train.init}, and the optimizer
 * state with {@code train.init-optimizer}), whether unchanged data skips it, the promotion gate
 * ({@code promote.*}) and when another run's lock counts as stale ({@code lock.stale-after}).
 */
public record ExperimentConfig(String init, boolean initOptimizer, boolean skipIfUnchanged, String promoteMetric,
                               double promoteMinDelta, boolean forcePromote, Duration lockStaleAfter) {
    public static final String SCRATCH = "scratch";
    public static final String LATEST = "latest";
    public static final String PRODUCTION = "production";
    public static final Set<String> PROMOTE_METRICS = Set.of("val_accuracy", "val_loss");

    /** Checked as the config file is, with its messages. */
    public ExperimentConfig {
        init = Check.nonBlank("train.init", init.trim(), "scratch, latest, production, or a run directory, "
                + "model.zip or checkpoint");
        if (Set.of(SCRATCH, LATEST, PRODUCTION).contains(init.toLowerCase(java.util.Locale.ROOT))) {
            init = init.toLowerCase(java.util.Locale.ROOT);
        }
        if (initOptimizer && init.equals(SCRATCH)) {
            throw ConfigException.badValue("train.init-optimizer", "false when train.init = scratch (there is no "
                    + "optimizer state to carry)", true);
        }
        promoteMetric = Check.choice("promote.metric", promoteMetric.toLowerCase(java.util.Locale.ROOT),
                PROMOTE_METRICS);
        Check.number("promote.min-delta", promoteMinDelta, 0, Double.MAX_VALUE, false);
        if (lockStaleAfter.isNegative() || lockStaleAfter.isZero()) {
            throw ConfigException.badValue("lock.stale-after", "a positive duration (2h, 30m, 90s)", lockStaleAfter);
        }
    }

    /** Metrics that improve downwards. */
    public boolean lowerIsBetter() {
        return promoteMetric.equals("val_loss");
    }

    static ExperimentConfig read(ConfigReader r) {
        Duration stale = r.duration("lock.stale-after");
        return new ExperimentConfig(r.string("train.init"), r.bool("train.init-optimizer"),
                r.bool("train.skip-if-unchanged"), r.string("promote.metric"), r.number("promote.min-delta"),
                r.bool("promote.force"), stale);
    }
}
