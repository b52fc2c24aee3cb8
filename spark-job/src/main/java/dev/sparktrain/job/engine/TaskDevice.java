package dev.sparktrain.job.engine;

import dev.sparktrain.model.NativeBackend;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

import java.io.Serializable;

/**
 * Where a task computes, decided on the driver ({@link Devices}) and applied by each task before it
 * touches ND4J: on the CPU, its thread budget; on a GPU, the first GPU address Spark assigned the task
 * ({@code TaskContext.resources().get("gpu")}), bound with {@code binder} (ND4J's affinity manager, or a
 * recording one for tests on fake GPUs). The thread budget is skipped when the backend is CUDA's.
 */
public record TaskDevice(boolean gpu, int threads, String binder) implements Serializable {
    /** The key of the replica pool for work on the CPU. */
    public static final String CPU = "cpu";

    public static TaskDevice cpu(int threads) {
        return new TaskDevice(false, threads, "nd4j");
    }

    /**
     * Binds this task's device; returns the replica pool's key for it: {@code cpu}, or {@code gpu:<address>}
     * (replicas are built on, and kept for, one device).
     */
    public String enter() {
        if (!gpu) {
            ThreadBudget.apply(threads);
            return CPU;
        }
        TaskContext task = TaskContext.get();
        if (task == null) {
            throw new IllegalStateException("train.device = gpu: a GPU is bound inside a Spark task only");
        }
        ResourceInformation gpus = task.resources().get("gpu").getOrElse(() -> null);
        if (gpus == null || gpus.addresses().length == 0) {
            throw new IllegalStateException("train.device = gpu, but Spark gave task " + task.partitionId()
                    + " of stage " + task.stageId() + " no GPU (spark.task.resource.gpu.amount "
                    + "and spark.executor.resource.gpu.amount must be set)");
        }
        String address = gpus.addresses()[0];
        GpuBinder.of(binder).bind(address, gpus.addresses(), task);
        if (!NativeBackend.cudaAvailable()) {
            ThreadBudget.apply(threads); // fake GPUs: the CPU backend computes
        }
        return "gpu:" + address;
    }
}
