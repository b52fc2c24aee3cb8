package dev.sparktrain.job.engine;

import dev.sparktrain.config.ConfigException;
import dev.sparktrain.config.DeviceConfig;
import dev.sparktrain.model.NativeBackend;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

/**
 * The driver's side of {@code train.device}: what the job asks Spark for, and, once Spark runs, which
 * device the tasks use, checked before any training (see {@link DeviceConfig}).
 */
public final class Devices {
    private static final Logger LOG = LoggerFactory.getLogger(Devices.class);
    static final String TASK_GPUS = "spark.task.resource.gpu.amount";
    static final String EXECUTOR_GPUS = "spark.executor.resource.gpu.amount";

    private Devices() {
    }

    /**
     * With {@code train.device = gpu}: asks for {@code gpus-per-task} GPUs per task and as many per
     * executor, unless spark-submit set them. Call before the SparkContext starts.
     */
    public static void request(DeviceConfig device, SparkConf conf) {
        if (device.device().equals("gpu")) {
            conf.setIfMissing(TASK_GPUS, String.valueOf(device.gpusPerTask()));
            conf.setIfMissing(EXECUTOR_GPUS, String.valueOf(device.gpusPerTask()));
        }
    }

    /** Decisions already taken for a SparkContext: a run checks once, before its first Spark job. */
    private static final Map<SparkContext, Map<List<Object>, Boolean>> DECIDED =
            Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * The tasks' device: the CPU, or GPUs after checking the CUDA backend, the master and the resource
     * settings, and that {@code workers} tasks get GPUs within {@code train.gpu-wait}. Decided once per
     * SparkContext, device settings and workers (the first call runs the check, before any data job).
     */
    public static TaskDevice choose(DeviceConfig device, JavaSparkContext sc, int workers, int threads) {
        Map<List<Object>, Boolean> decided = DECIDED.computeIfAbsent(sc.sc(), c -> new ConcurrentHashMap<>());
        List<Object> key = List.of(device, workers);
        Boolean gpu = decided.get(key);
        if (gpu == null) {
            gpu = decide(device, sc, workers);
            decided.put(key, gpu);
        }
        return gpu ? new TaskDevice(true, threads, device.gpuBinder()) : TaskDevice.cpu(threads);
    }

    private static boolean decide(DeviceConfig device, JavaSparkContext sc, int workers) {
        boolean cuda = NativeBackend.cudaAvailable() || device.fakeGpus();
        boolean local = sc.master().startsWith("local");
        boolean asked = sc.getConf().getDouble(TASK_GPUS, 0) > 0;
        String why = null;
        switch (device.device()) {
            case "cpu":
                return false;
            case "auto":
                if (!cuda) {
                    why = "the job jar's ND4J backend is the CPU one";
                } else if (local) {
                    why = "Spark's local mode schedules no GPUs";
                } else if (!asked) {
                    why = TASK_GPUS + " is not set";
                }
                if (why != null) {
                    LOG.info("train.device = auto: training on the CPU ({})", why);
                    return false;
                }
                LOG.info("train.device = auto: training on GPUs ({}, {} = {})", NativeBackend.cudaAvailable()
                        ? "CUDA backend" : "fake GPUs of train.gpu-binder " + device.gpuBinder(), TASK_GPUS,
                        sc.getConf().get(TASK_GPUS));
                break;
            default: // gpu
                if (!cuda) {
                    throw new ConfigException("train.device = gpu, but this job jar's ND4J backend is the CPU one "
                            + "(no " + NativeBackend.CUDA_BACKEND + " on the classpath): submit the CUDA build "
                            + "(mvn -Pcuda -DskipTests package: sparktrain-job-cuda-11.6.jar) with the CUDA natives "
                            + "jar (scripts/cuda-natives.sh), or set train.device = cpu");
                }
                if (local) {
                    throw new ConfigException("train.device = gpu, but Spark's local mode (" + sc.master()
                            + ") does not schedule GPUs: run on a cluster whose workers announce GPUs, or set "
                            + "train.device = cpu");
                }
                if (!asked) {
                    throw new ConfigException("train.device = gpu, but the SparkContext was started without "
                            + TASK_GPUS + ": set it and " + EXECUTOR_GPUS + " (the command line does this itself)");
                }
        }
        probe(sc, workers, device);
        return true;
    }

    /** Runs {@code workers} tasks that each report the GPUs Spark gave them; fails when none come in time. */
    private static void probe(JavaSparkContext sc, int workers, DeviceConfig device) {
        JavaFutureAction<List<String>> job = sc.parallelize(IntStream.range(0, workers).boxed().toList(), workers)
                .map(i -> {
                    ResourceInformation gpus = TaskContext.get().resources().get("gpu").getOrElse(() -> null);
                    return gpus == null ? "" : String.join(",", gpus.addresses());
                }).collectAsync();
        List<String> seen;
        try {
            seen = job.get(device.gpuWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            job.cancel(true);
            throw new ConfigException("train.device = gpu: no executor with GPUs ran a task within train.gpu-wait = "
                    + device.gpuWait().toSeconds() + " s (asked for " + sc.getConf().get(EXECUTOR_GPUS, "?")
                    + " GPU(s) per executor and " + sc.getConf().get(TASK_GPUS) + " per task): do the workers "
                    + "announce that many GPUs (spark.worker.resource.gpu.amount and discoveryScript, "
                    + "scripts/gpu-discovery.sh)?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for GPU executors", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the GPU check job failed: " + e.getCause(), e.getCause());
        }
        List<Integer> without = new ArrayList<>();
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i).isEmpty()) {
                without.add(i);
            }
        }
        if (!without.isEmpty()) {
            throw new ConfigException("train.device = gpu, but Spark gave tasks " + without + " of the GPU check no GPU");
        }
        LOG.info("train.device = gpu: the check's {} tasks got GPUs {}", workers, seen);
    }
}
