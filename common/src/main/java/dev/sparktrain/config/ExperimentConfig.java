package dev.sparktrain.config;

import java.time.Duration;
import java.util.Set;

/**
 * How a run joins its experiment: where its parameters start ({@code train.init}, and the optimizer
 * state with {@code train.init-optimizer}), whether unchanged data skips it, the promotion gate
 * ({@code promote.*}) and its lock, a lease: where it is kept ({@code lock.dir}, empty: output.dir),
 * how often its holder renews it ({@code lock.heartbeat}) and when it expires ({@code
 * lock.stale-after}, {@code auto}: 3 heartbeats).
 */
public record ExperimentConfig(String init, boolean initOptimizer, boolean skipIfUnchanged, String promoteMetric,
                               double promoteMinDelta, boolean forcePromote, Duration lockStaleAfter,
                               Duration lockHeartbeat, String lockDir) {
    /** The lock's defaults with its expiry {@code staleAfter} (tests and callers without a config). */
    public ExperimentConfig(String init, boolean initOptimizer, boolean skipIfUnchanged, String promoteMetric,
                            double promoteMinDelta, boolean forcePromote, Duration lockStaleAfter) {
        this(init, initOptimizer, skipIfUnchanged, promoteMetric, promoteMinDelta, forcePromote, lockStaleAfter,
                Duration.ofSeconds(30), "");
    }

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
        if (lockHeartbeat.compareTo(Duration.ofMillis(100)) < 0) {
            throw ConfigException.badValue("lock.heartbeat", "a duration of at least 100ms (30s, 1m)", lockHeartbeat);
        }
        if (lockStaleAfter == null) {
            lockStaleAfter = lockHeartbeat.multipliedBy(3);
        }
        if (lockStaleAfter.compareTo(lockHeartbeat.multipliedBy(2)) < 0) {
            throw ConfigException.badValue("lock.stale-after", "auto or at least 2 x lock.heartbeat = "
                    + lockHeartbeat.multipliedBy(2).toString().substring(2).toLowerCase(java.util.Locale.ROOT)
                    + " (a lease renewed every heartbeat must not expire between two)",
                    lockStaleAfter.toString().substring(2).toLowerCase(java.util.Locale.ROOT));
        }
        lockDir = lockDir == null ? "" : lockDir.trim();
    }

    /** Metrics that improve downwards. */
    public boolean lowerIsBetter() {
        return promoteMetric.equals("val_loss");
    }

    static ExperimentConfig read(ConfigReader r) {
        Duration stale = r.string("lock.stale-after").trim().equalsIgnoreCase("auto") ? null
                : r.duration("lock.stale-after");
        return new ExperimentConfig(r.string("train.init"), r.bool("train.init-optimizer"),
                r.bool("train.skip-if-unchanged"), r.string("promote.metric"), r.number("promote.min-delta"),
                r.bool("promote.force"), stale, r.duration("lock.heartbeat"), r.string("lock.dir"));
    }
}
