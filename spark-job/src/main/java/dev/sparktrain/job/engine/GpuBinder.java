package dev.sparktrain.job.engine;

import dev.sparktrain.config.DeviceConfig;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** How a task makes a GPU address the device of its thread. */
interface GpuBinder {

    /** Binds {@code address} (one of {@code assigned}, what Spark gave the task) for {@code task}'s thread. */
    void bind(String address, String[] assigned, TaskContext task);

    /** {@code nd4j}, or {@code record:<directory>} (see {@link DeviceConfig#gpuBinder()}). */
    static GpuBinder of(String binder) {
        if (binder.startsWith(DeviceConfig.RECORD_BINDER)) {
            return new Recording(Path.of(binder.substring(DeviceConfig.RECORD_BINDER.length())));
        }
        return (address, assigned, task) -> {
            int device;
            try {
                device = Integer.parseInt(address.trim());
            } catch (NumberFormatException e) {
                throw new IllegalStateException("GPU address '" + address + "' from Spark is not a CUDA device "
                        + "number (the discovery script must print nvidia-smi's indices)", e);
            }
            Nd4j.getAffinityManager().unsafeSetDevice(device);
        };
    }

    /**
     * Calls no CUDA: appends "bind" and, when the task ends, "release" lines (stage, partition, attempt, the
     * addresses Spark assigned, the address bound, executor, JVM, thread, the JVM's clock) to a file per
     * executor JVM in a directory every executor can write (a test's, on one machine).
     */
    record Recording(Path dir) implements GpuBinder {
        @Override
        public void bind(String address, String[] assigned, TaskContext task) {
            String executor = SparkEnv.get() == null ? "?" : SparkEnv.get().executorId();
            String common = String.format("stage=%d partition=%d attempt=%d assigned=%s bound=%s executor=%s pid=%d thread=%s",
                    task.stageId(), task.partitionId(), task.attemptNumber(), String.join(",", assigned), address,
                    executor, ProcessHandle.current().pid(), Thread.currentThread().getName());
            Path file = dir.resolve("executor-" + executor + "-" + ProcessHandle.current().pid() + ".log");
            write(file, "bind " + common + " t=" + System.nanoTime());
            task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener)
                    t -> write(file, "release " + common + " t=" + System.nanoTime()));
        }

        private static synchronized void write(Path file, String line) {
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record a GPU binding in " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
