package dev.sparktrain.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Where the replicas compute ({@code train.device}): {@code cpu}, {@code gpu} (one GPU per task from
 * Spark's resource scheduling, {@code train.gpus-per-task}; the job fails before training when the
 * ND4J backend is not CUDA's or Spark gives no GPUs within {@code train.gpu-wait}), or {@code auto}
 * (GPUs when the CUDA backend is there and the job asks Spark for GPUs, else the CPU). {@code gpuBinder}
 * is how a task binds its GPU: {@code nd4j} (ND4J's affinity manager), or {@code record:<dir>}, which
 * records each binding in that directory instead of calling CUDA (tests of the scheduling on fake GPUs).
 */
public record DeviceConfig(String device, int gpusPerTask, String gpuBinder, Duration gpuWait) {
    public static final Set<String> DEVICES = Set.of("auto", "cpu", "gpu");
    public static final String ND4J_BINDER = "nd4j";
    public static final String RECORD_BINDER = "record:";

    /** Checked as the config file is, with its messages. */
    public DeviceConfig {
        device = Check.choice("train.device", device.toLowerCase(Locale.ROOT), DEVICES);
        Check.range("train.gpus-per-task", gpusPerTask, 1, 64);
        if (!gpuBinder.equals(ND4J_BINDER) && !(gpuBinder.startsWith(RECORD_BINDER)
                && gpuBinder.length() > RECORD_BINDER.length())) {
            throw ConfigException.badValue("train.gpu-binder", "nd4j or record:<directory>", "'" + gpuBinder + "'");
        }
        if (gpuWait.isNegative() || gpuWait.isZero()) {
            throw ConfigException.badValue("train.gpu-wait", "a positive duration (2m, 90s)", gpuWait.toString());
        }
    }

    /** The CPU, as before GPUs existed. */
    public static DeviceConfig cpu() {
        return new DeviceConfig("cpu", 1, ND4J_BINDER, Duration.ofMinutes(2));
    }

    /** True when tasks record their binding instead of calling CUDA (the CPU backend computes). */
    public boolean fakeGpus() {
        return gpuBinder.startsWith(RECORD_BINDER);
    }

    static DeviceConfig read(ConfigReader r) {
        return new DeviceConfig(r.string("train.device"), r.intValue("train.gpus-per-task"),
                r.string("train.gpu-binder").trim(), r.duration("train.gpu-wait"));
    }
}
