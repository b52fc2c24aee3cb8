package dev.sparktrain.config;

/** The training schedule: epochs, per-worker batch, workers, averaging frequency, seed, resume. */
public record TrainConfig(int epochs, int batchSize, int workers, int averagingFrequency, long seed,
                          boolean resume, int threadsPerWorker) {

    /** True when every round is one synchronous SGD step over the global minibatch. */
    public boolean synchronous() {
        return averagingFrequency == 1;
    }

    static TrainConfig read(ConfigReader r) {
        return new TrainConfig(
                r.positiveInt("train.epochs"),
                r.positiveInt("train.batch-size"),
                (int) r.integer("train.workers", 1, 4096),
                r.positiveInt("train.averaging-frequency"),
                r.integer("train.seed", Long.MIN_VALUE, Long.MAX_VALUE),
                r.bool("train.resume"),
                (int) r.integer("train.threads-per-worker", 0, 1024));
    }
}
