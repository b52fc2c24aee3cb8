package dev.sparktrain.bench.peers;

import org.deeplearning4j.spark.api.RDDTrainingApproach;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One PATM benchmark run, from {@code --key value} arguments; every key and its default is in
 * {@link #DEFAULTS}. Checked at construction, messages naming the argument and the value found.
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

    static final Map<String, String> DEFAULTS = defaults();

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

    public static PatmSettings parse(String... args) {
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || !v.containsKey(a.substring(2))) {
                throw new IllegalArgumentException("unknown argument '" + a + "'; known: --" + String.join(", --", v.keySet()));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            v.put(a.substring(2), args[++i]);
        }
        return new PatmSettings(Dl4jSetup.parse(v.get("mode")), integer(v, "batch-per-worker"), integer(v, "workers"),
                integer(v, "averaging-frequency"), integer(v, "prefetch"), approach(v.get("approach")),
                integer(v, "epochs"), number(v, "lr"), longInteger(v, "seed"), integer(v, "train-limit"),
                v.get("data-dir"), v.get("work-dir"), bool(v, "worker-stats"));
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("mode", "shipped");
        d.put("batch-per-worker", "32");
        d.put("workers", "2");
        d.put("averaging-frequency", "5"); // DL4J's default and its examples' setting
        d.put("prefetch", "2");
        d.put("approach", "export");
        d.put("epochs", "2");
        d.put("lr", "0.001");
        d.put("seed", "42");
        d.put("train-limit", "0");
        d.put("data-dir", "/usr/share/datasets/fashion-mnist");
        d.put("work-dir", "runs/bench-peers/patm-work");
        d.put("worker-stats", "false");
        return java.util.Collections.unmodifiableMap(d);
    }

    private static RDDTrainingApproach approach(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "export" -> RDDTrainingApproach.Export;
            case "direct" -> RDDTrainingApproach.Direct;
            default -> throw new IllegalArgumentException("--approach must be export or direct, found '" + s + "'");
        };
    }

    private static int integer(Map<String, String> v, String key) {
        try {
            return Integer.parseInt(v.get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be an integer, found '" + v.get(key) + "'", e);
        }
    }

    private static boolean bool(Map<String, String> v, String key) {
        return switch (v.get(key)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("--" + key + " must be true or false, found '" + v.get(key) + "'");
        };
    }

    private static long longInteger(Map<String, String> v, String key) {
        try {
            return Long.parseLong(v.get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be an integer, found '" + v.get(key) + "'", e);
        }
    }

    private static double number(Map<String, String> v, String key) {
        try {
            return Double.parseDouble(v.get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a number, found '" + v.get(key) + "'", e);
        }
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("--" + key + " must be positive, found " + value);
        }
    }
}
