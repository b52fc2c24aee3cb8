package dev.sparktrain.job.engine;

import dev.sparktrain.model.NativeBackend;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * ND4J's native thread pools (libnd4j's, OpenMP's and OpenBLAS's) default to every core of the
 * machine. With several tasks per executor that oversubscribes the cores, so each task sets the
 * budget its share of the cores allows before touching ND4J.
 */
public final class ThreadBudget {
    /**
     * OpenMP's wait policy, read once when the native library loads. Its default lets idle OpenMP
     * threads spin, which on an executor running several tasks takes the cores the other tasks'
     * threads need (measured on 2 cores, two StepProfile processes of one ND4J thread each, LeNet at batch
     * 64: 20-22 ms a step each with OpenMP's default policy, 16-17 ms with PASSIVE).
     */
    public static final String OMP_WAIT_POLICY = "OMP_WAIT_POLICY";
    private static final java.util.concurrent.atomic.AtomicBoolean WARNED = new java.util.concurrent.atomic.AtomicBoolean();
    private static volatile int applied = -1;
    private static final ThreadLocal<Integer> THREAD_OMP = ThreadLocal.withInitial(() -> -1);

    private ThreadBudget() {
    }

    /**
     * Threads per task: {@code configured} when positive; in local mode the cores divided among the
     * concurrent tasks; on a cluster {@code spark.task.cpus} (the cores Spark reserves per task).
     */
    public static int threadsPerTask(int configured, String master, int workers, int taskCpus) {
        if (configured > 0) {
            return configured;
        }
        if (master.startsWith("local")) {
            int cores = localCores(master);
            int concurrent = Math.max(1, Math.min(workers, cores / Math.max(1, taskCpus)));
            return Math.max(1, cores / concurrent);
        }
        return Math.max(1, taskCpus);
    }

    /**
     * Warns once when tasks share this JVM (local mode, several workers) and OMP_WAIT_POLICY was not
     * set before it started (executors on a cluster get it from spark.executorEnv).
     */
    public static void checkWaitPolicy(String master, int workers) {
        if (master.startsWith("local") && workers > 1 && System.getenv(OMP_WAIT_POLICY) == null
                && WARNED.compareAndSet(false, true)) {
            org.slf4j.LoggerFactory.getLogger(ThreadBudget.class).warn("OMP_WAIT_POLICY is not set: the {} tasks of "
                    + "this JVM will slow each other down with spinning OpenMP threads; start it with "
                    + "OMP_WAIT_POLICY=PASSIVE (the scripts in scripts/ do)", workers);
        }
    }

    static int localCores(String master) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[(\\d+|\\*)").matcher(master);
        if (m.lookingAt() && !m.group(1).equals("*")) {
            return Integer.parseInt(m.group(1));
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Applies the budget to this thread and this JVM's ND4J. libnd4j's and OpenBLAS's pools are
     * per JVM; OpenMP's thread count is per calling thread, so every task thread must set its own.
     * Cheap when nothing changes.
     */
    public static void apply(int threads) {
        NativeBackend.configure();
        if (applied != threads) {
            synchronized (ThreadBudget.class) {
                Nd4j.getEnvironment().setMaxThreads(threads);
                Nd4j.getEnvironment().setMaxMasterThreads(threads);
                Nd4j.factory().blas().setMaxThreads(threads);
                applied = threads;
            }
        }
        if (THREAD_OMP.get() != threads) {
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
            THREAD_OMP.set(threads);
        }
    }
}
