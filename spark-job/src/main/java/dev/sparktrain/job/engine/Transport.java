package dev.sparktrain.job.engine;

import dev.sparktrain.config.ConfigException;
import dev.sparktrain.config.TrainConfig;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.Locale;

/**
 * Which transport carries the rounds (train.transport): the driver (every parameter byte through
 * it) or the collective (tasks meet among themselves, see {@link CollectiveRounds}). {@code collective}
 * is checked before any work: it needs at least two tasks, all P of them running at once (barrier
 * mode), no dynamic allocation, and no encryption asked of Spark (the mesh is authenticated, not
 * encrypted). {@code auto} picks the collective where the cost model says it wins and its needs are
 * met, and says which and why.
 */
public final class Transport {
    /** Below this many parameters a round is latency, not bandwidth: the driver's path is as fast. */
    static final long AUTO_MIN_PARAMS = 1_000_000;
    /** From this many executors the driver's link carries P times what each executor's carries. */
    static final int AUTO_MIN_WORKERS = 4;

    /** The choice and why it was made. */
    public record Choice(boolean collective, String why) {
    }

    private Transport() {
    }

    /**
     * The transport for {@code train} on {@code sc} for a model of {@code params} parameters (-1 when
     * not known yet: only an explicit {@code collective} is checked then). Throws a
     * {@link ConfigException} naming the setting to change when {@code collective} cannot run.
     */
    public static Choice choose(TrainConfig train, JavaSparkContext sc, long params) {
        return choose(train, sc, () -> params);
    }

    /** As {@link #choose(TrainConfig, JavaSparkContext, long)}, counting the parameters only when auto needs them. */
    public static Choice choose(TrainConfig train, JavaSparkContext sc, java.util.function.LongSupplier countParams) {
        String mode = train.transport();
        if (mode.equals("driver")) {
            return new Choice(false, "train.transport = driver");
        }
        boolean explicit = mode.equals("collective");
        int workers = train.workers();
        String refusal = refusal(train, sc);
        if (refusal != null) {
            if (explicit) {
                throw new ConfigException("train.transport = collective " + refusal);
            }
            return new Choice(false, "train.transport = auto: the driver, as collective " + refusal);
        }
        if (explicit) {
            return new Choice(true, "train.transport = collective");
        }
        boolean local = sc.master().startsWith("local");
        long params = local || workers < AUTO_MIN_WORKERS ? -1 : countParams.getAsLong();
        if (local || workers < AUTO_MIN_WORKERS || (params >= 0 && params < AUTO_MIN_PARAMS)) {
            return new Choice(false, String.format(Locale.ROOT, "train.transport = auto: the driver (%s)",
                    local ? "local mode: every task is in the driver's JVM"
                            : workers < AUTO_MIN_WORKERS ? workers + " workers, fewer than " + AUTO_MIN_WORKERS
                            : String.format(Locale.ROOT, "%,d parameters, fewer than %,d", params, AUTO_MIN_PARAMS)));
        }
        return new Choice(params >= 0, String.format(Locale.ROOT, "train.transport = auto: collective (%d workers, "
                + "%,d parameters: the driver's link would carry %d times an executor's bytes)", workers, params,
                workers));
    }

    /** Why the collective transport cannot run here, or null. */
    private static String refusal(TrainConfig train, JavaSparkContext sc) {
        int workers = train.workers();
        if (workers < 2) {
            return "needs train.workers >= 2 (found " + workers + "): set train.transport = driver";
        }
        String encrypted = RoundsChannel.encryptionAsked(sc.getConf());
        if (encrypted != null) {
            return "connects the tasks over TCP that is authenticated but not encrypted, and " + encrypted
                    + " = true asks Spark for encrypted traffic: set train.transport = driver";
        }
        if (sc.getConf().getBoolean("spark.dynamicAllocation.enabled", false)) {
            return "runs its tasks as one barrier stage, which Spark refuses with spark.dynamicAllocation.enabled "
                    + "= true: set train.transport = driver or turn dynamic allocation off";
        }
        int slots = slots(sc);
        if (slots > 0 && slots < workers) {
            return "runs all " + workers + " tasks at once, and the cluster has " + slots + " task slots: set "
                    + "train.workers <= " + slots + " or train.transport = driver";
        }
        return null;
    }

    /** Task slots: local[N]'s N, or the executors' cores once registered (0 when none is yet). */
    static int slots(JavaSparkContext sc) {
        int taskCpus = Math.max(1, sc.getConf().getInt("spark.task.cpus", 1));
        if (sc.master().startsWith("local")) {
            return ThreadBudget.localCores(sc.master()) / taskCpus;
        }
        int executors = sc.sc().getExecutorMemoryStatus().size() - 1; // without the driver's block manager
        return executors <= 0 ? 0 : sc.defaultParallelism() / taskCpus;
    }
}
