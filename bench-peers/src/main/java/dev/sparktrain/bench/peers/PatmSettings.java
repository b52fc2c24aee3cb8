package dev.sparktrain.bench.peers;

import org.deeplearning4j.spark.api.RDDTrainingApproach;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;

/**
 * One PATM benchmark run, from {@code --key value} arguments; every key and its default is in
 * {@link Options}. Checked at construction, messages naming the argument and the value found.
 *
 * @param mode               shipped or repaired (see {@link Dl4jSetup})
 * @param batchPerWorker     DL4J's batchSizePerWorker; the global minibatch is workers x this
 * @param workers            Spark's local[workers] and PATM's number of workers
 * @param averagingFrequency minibatches each worker fits between two parameter averagings
 * @param prefetch           workerPrefetchNumBatches
 * @param approach           export (DL4J's default: the RDD is saved once as minibatch files, reused per epoch) or direct
 * @param epochs             epochs; one RESULT line each
 * @param lr                 Adam's learning rate
 * @param seed               weight initialization, data order and PATM's splits
 * @param trainLimit         use the first N training examples (0 = all 60,000): for smoke runs
 * @param dataDir            folder of the Fashion-MNIST IDX .gz files
 * @param workDir            scratch folder (PATM's export directory); deleted after the run
 * @param workerStats        collect DL4J's training stats and print each epoch's median worker fit time
 *                           per minibatch and worker setup time per averaging round (a STATS line)
 */
public record PatmSettings(Dl4jSetup mode, int batchPerWorker, int workers, int averagingFrequency, int prefetch,
                           RDDTrainingApproach approach, int epochs, double lr, long seed, int trainLimit,
                           String dataDir, String workDir, boolean workerStats) {

    public PatmSettings {
        positive("batch-per-worker", batchPerWorker);
        positive("workers", workers);
        positive("averaging-frequency", averagingFrequency);
        positive("epochs", epochs);
        if (prefetch < 0) {
            throw new IllegalArgumentException("--prefetch must be 0 or more, found " + prefetch);
        }
        if (!(lr > 0)) {
            throw new IllegalArgumentException("--lr must be positive, found " + lr);
        }
        if (trainLimit < 0) {
            throw new IllegalArgumentException("--train-limit must be 0 (all) or positive, found " + trainLimit);
        }
    }

    /** The run's name in result lines: patm-shipped or patm-repaired. */
    public String peer() {
        return "patm-" + mode.label();
    }

    public int globalBatch() {
        return batchPerWorker * workers;
    }

    /** From {@code --key value} arguments (picocli); an unknown key or a malformed value is an IllegalArgumentException. */
    public static PatmSettings parse(String... args) {
        Options o = new Options();
        try {
            new CommandLine(o).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new PatmSettings(Dl4jSetup.parse(o.mode), o.batchPerWorker, o.workers, o.averagingFrequency, o.prefetch,
                approach(o.approach), o.epochs, o.lr, o.seed, o.trainLimit, o.dataDir, o.workDir, o.workerStats);
    }

    /** The arguments and their defaults. */
    @Command(name = "PatmBenchmark")
    static final class Options {
        @Option(names = "--mode", defaultValue = "shipped")
        String mode;
        @Option(names = "--batch-per-worker", defaultValue = "32")
        int batchPerWorker;
        @Option(names = "--workers", defaultValue = "2")
        int workers;
        @Option(names = "--averaging-frequency", defaultValue = "5") // DL4J's default and its examples' setting
        int averagingFrequency;
        @Option(names = "--prefetch", defaultValue = "2")
        int prefetch;
        @Option(names = "--approach", defaultValue = "export")
        String approach;
        @Option(names = "--epochs", defaultValue = "2")
        int epochs;
        @Option(names = "--lr", defaultValue = "0.001")
        double lr;
        @Option(names = "--seed", defaultValue = "42")
        long seed;
        @Option(names = "--train-limit", defaultValue = "0")
        int trainLimit;
        @Option(names = "--data-dir", defaultValue = "/usr/share/datasets/fashion-mnist")
        String dataDir;
        @Option(names = "--work-dir", defaultValue = "runs/bench-peers/patm-work")
        String workDir;
        @Option(names = "--worker-stats", defaultValue = "false", arity = "1")
        boolean workerStats;
    }

    private static RDDTrainingApproach approach(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "export" -> RDDTrainingApproach.Export;
            case "direct" -> RDDTrainingApproach.Direct;
            default -> throw new IllegalArgumentException("--approach must be export or direct, found '" + s + "'");
        };
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("--" + key + " must be positive, found " + value);
        }
    }
}
