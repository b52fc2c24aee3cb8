package dev.sparktrain.config;

import java.util.Set;

/**
 * The training schedule: epochs, per-worker batch, workers, averaging frequency, seed, resume,
 * threads per task, how worker results are combined and how rounds reach the workers on Spark.
 */
public record TrainConfig(int epochs, int batchSize, int workers, int averagingFrequency, long seed,
                          boolean resume, int threadsPerWorker, String aggregation, String rounds, int roundsPort,
                          String transport, java.time.Duration collectiveTimeout) {
    public static final Set<String> AGGREGATIONS = Set.of("tree", "ordered");
    public static final Set<String> ROUNDS = Set.of("auto", "resident", "jobs");
    public static final Set<String> TRANSPORTS = Set.of("auto", "driver", "collective");

    /** Checked as the config file is, with its messages. */
    public TrainConfig {
        Check.positive("train.epochs", epochs);
        Check.positive("train.batch-size", batchSize);
        Check.range("train.workers", workers, 1, 4096);
        Check.positive("train.averaging-frequency", averagingFrequency);
        Check.range("train.threads-per-worker", threadsPerWorker, 0, 1024);
        aggregation = Check.choice("train.aggregation", aggregation.toLowerCase(java.util.Locale.ROOT), AGGREGATIONS);
        rounds = Check.choice("train.rounds", rounds.toLowerCase(java.util.Locale.ROOT), ROUNDS);
        Check.range("train.rounds-port", roundsPort, 0, 65535);
        transport = Check.choice("train.transport", transport.toLowerCase(java.util.Locale.ROOT), TRANSPORTS);
        if (collectiveTimeout.isNegative() || collectiveTimeout.isZero()) {
            throw ConfigException.badValue("train.collective-timeout", "a positive duration (30s, 2m)",
                    collectiveTimeout.toString());
        }
    }

    /** With Spark's treeAggregate and the default round transport (auto, any free port). */
    public TrainConfig(int epochs, int batchSize, int workers, int averagingFrequency, long seed, boolean resume,
                       int threadsPerWorker) {
        this(epochs, batchSize, workers, averagingFrequency, seed, resume, threadsPerWorker, "tree", "auto", 0,
                "auto", java.time.Duration.ofMinutes(2));
    }

    /** True when every round is one synchronous SGD step over the global minibatch. */
    public boolean synchronous() {
        return averagingFrequency == 1;
    }

    /** True when worker results are summed in partition order (bit-reproducible). */
    public boolean orderedAggregation() {
        return "ordered".equals(aggregation);
    }

    static TrainConfig read(ConfigReader r) {
        return new TrainConfig(
                r.intValue("train.epochs"),
                r.intValue("train.batch-size"),
                r.intValue("train.workers"),
                r.intValue("train.averaging-frequency"),
                r.integer("train.seed"),
                r.bool("train.resume"),
                r.intValue("train.threads-per-worker"),
                r.string("train.aggregation"),
                r.string("train.rounds"),
                r.intValue("train.rounds-port"),
                r.string("train.transport"),
                r.duration("train.collective-timeout"));
    }
}
