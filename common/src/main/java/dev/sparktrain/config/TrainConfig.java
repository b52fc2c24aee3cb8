package dev.sparktrain.config;

import java.util.Set;

/**
 * The training schedule: epochs, per-worker batch, workers, averaging frequency, seed, resume,
 * threads per task and how worker results are combined.
 */
public record TrainConfig(int epochs, int batchSize, int workers, int averagingFrequency, long seed,
                          boolean resume, int threadsPerWorker, String aggregation) {
    public static final Set<String> AGGREGATIONS = Set.of("tree", "ordered");

    public TrainConfig {
        if (!AGGREGATIONS.contains(aggregation)) {
            throw ConfigException.badValue("train.aggregation", "one of " + AGGREGATIONS, "'" + aggregation + "'");
        }
    }

    /** With Spark's treeAggregate, the default. */
    public TrainConfig(int epochs, int batchSize, int workers, int averagingFrequency, long seed, boolean resume,
                       int threadsPerWorker) {
        this(epochs, batchSize, workers, averagingFrequency, seed, resume, threadsPerWorker, "tree");
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
                r.positiveInt("train.epochs"),
                r.positiveInt("train.batch-size"),
                (int) r.integer("train.workers", 1, 4096),
                r.positiveInt("train.averaging-frequency"),
                r.integer("train.seed", Long.MIN_VALUE, Long.MAX_VALUE),
                r.bool("train.resume"),
                (int) r.integer("train.threads-per-worker", 0, 1024),
                r.choice("train.aggregation", AGGREGATIONS));
    }
}
