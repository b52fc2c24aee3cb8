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
