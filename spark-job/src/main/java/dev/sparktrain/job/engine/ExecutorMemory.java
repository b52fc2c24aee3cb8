package dev.sparktrain.job.engine;

import dev.sparktrain.config.ConfigException;
import dev.sparktrain.config.TrainConfig;
import org.apache.spark.SparkConf;

import java.util.Locale;

/**
 * The executors' native memory where a cluster manager kills a container over its memory (YARN,
 * Kubernetes): ND4J allocates its arrays off the JVM heap, in the part of the container Spark calls
 * {@code spark.executor.memoryOverhead}, which the heap settings do not bound. So that an executor
 * fails with ND4J's own out-of-memory error, not a container killed with exit 143 and no message,
 * JavaCPP's limits ({@code org.bytedeco.javacpp.maxbytes}, {@code maxphysicalbytes}) follow the
 * executor's settings, and a run whose replicas cannot fit in them is refused before any work.
 */
public final class ExecutorMemory {
    private static final long MIB = 1L << 20;
    /** The JVM's own native memory beside ND4J's (threads, metaspace, code, network buffers). */
    static final long RESERVE = 128 * MIB;
    /** Spark's defaults for the overhead: a tenth of the heap, at least 384 MiB. */
    private static final double OVERHEAD_FACTOR = 0.10;
    private static final long OVERHEAD_MIN = 384 * MIB;

    private ExecutorMemory() {
    }

    /** Whether the master's executors run in containers killed over their memory. */
    static boolean contained(SparkConf conf) {
        String master = conf.get("spark.master", "");
        return master.startsWith("yarn") || master.startsWith("k8s://");
    }

    /**
     * Before the context starts: JavaCPP's limits on the executors from {@code spark.executor.memory}
     * and {@code spark.executor.memoryOverhead} (ND4J's arrays within the overhead less the JVM's own
     * native memory; the process within the container), appended to spark.executor.extraJavaOptions.
     * Only on YARN and Kubernetes, and never over limits the options already give.
     */
    public static void limit(SparkConf conf) {
        if (!contained(conf)) {
            return;
        }
        String opts = conf.get("spark.executor.extraJavaOptions", "");
        if (opts.contains("javacpp.maxbytes") || opts.contains("javacpp.maxphysicalbytes")) {
            return;
        }
        long heap = heap(conf);
        long overhead = overhead(conf, heap);
        conf.set("spark.executor.extraJavaOptions", (opts + " -Dorg.bytedeco.javacpp.maxbytes=" + offHeap(overhead)
                + " -Dorg.bytedeco.javacpp.maxphysicalbytes=" + (heap + overhead)).trim());
    }

    /**
     * Refuses a run whose tasks cannot fit in an executor's native memory: each task holds its replica's
     * parameters, its gradient and the gradient sum it returns ({@code params} of {@code bytesPerParam}
     * each), and a minibatch's activations and their gradients ({@code activationsPerExample} values
     * per example, as the layers' output shapes give them, times the per-worker batch size; 0 when the
     * model's shapes are unknown). DL4J's workspaces and the native libraries' own buffers come on top,
     * so the estimate is a floor.
     */
    public static void check(SparkConf conf, TrainConfig train, long params, int bytesPerParam,
                             long activationsPerExample) {
        if (!contained(conf)) {
            return;
        }
        int taskCpus = Math.max(1, conf.getInt("spark.task.cpus", 1));
        int tasks = Math.max(1, Math.min(train.workers(), conf.getInt("spark.executor.cores", 1) / taskCpus));
        long weights = params * bytesPerParam * 3;
        long activations = activationsPerExample * train.batchSize() * bytesPerParam * 2;
        long need = (weights + activations) * tasks;
        long heap = heap(conf);
        long overhead = overhead(conf, heap);
        long allowed = offHeap(overhead);
        if (need > allowed) {
            long raise = (need + RESERVE + MIB - 1) / MIB;
            String acts = activationsPerExample > 0 ? String.format(Locale.ROOT, " + %,d activations per example x "
                    + "%d examples x %d bytes x 2 (a minibatch's activations and their gradients)",
                    activationsPerExample, train.batchSize(), bytesPerParam) : " (activations not counted)";
            throw new ConfigException(String.format(Locale.ROOT, "an executor needs at least %,d MiB of native memory "
                    + "for ND4J: %d task(s) x (%,d parameters x %d bytes x 3 (parameters, gradient, gradient sum)%s), "
                    + "and spark.executor.memoryOverhead = %,d MiB leaves it %,d MiB beside the JVM's own: set "
                    + "spark.executor.memoryOverhead to at least %dm (or fewer cores per executor)", need / MIB, tasks,
                    params, bytesPerParam, acts, overhead / MIB, allowed / MIB, raise));
        }
    }

    private static long offHeap(long overhead) {
        return Math.max(64 * MIB, overhead - RESERVE);
    }

    static long heap(SparkConf conf) {
        return conf.getSizeAsBytes("spark.executor.memory", "1g");
    }

    static long overhead(SparkConf conf, long heap) {
        if (conf.contains("spark.executor.memoryOverhead")) {
            return conf.getSizeAsMb("spark.executor.memoryOverhead") * MIB; // Spark reads a bare number as MiB
        }
        double factor = conf.getDouble("spark.executor.memoryOverheadFactor", OVERHEAD_FACTOR);
        return Math.max(OVERHEAD_MIN, (long) (factor * heap));
    }
}
