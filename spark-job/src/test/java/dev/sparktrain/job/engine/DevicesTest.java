package dev.sparktrain.job.engine;

import dev.sparktrain.config.ConfigException;
import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.DeviceConfig;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * train.device on the driver: what the job asks Spark for, and the failures before training when GPUs
 * cannot be had (the CUDA backend missing, local mode); auto falls back to the CPU. The GPU path itself
 * runs on a standalone cluster with fake GPUs (scripts/gpu-cluster-test.sh).
 */
class DevicesTest {
    @TempDir
    Path dir;

    private static DeviceConfig device(String... overrides) {
        return ConfigLoader.parse("", List.of(overrides)).device();
    }

    @Test
    void gpuAsksSparkForGpusPerTaskAndPerExecutorUnlessSparkSubmitSaidOtherwise() {
        SparkConf conf = new SparkConf(false);
        Devices.request(device("train.device=gpu", "train.gpus-per-task=2"), conf);
        assertEquals("2", conf.get("spark.task.resource.gpu.amount"));
        assertEquals("2", conf.get("spark.executor.resource.gpu.amount"));

        SparkConf given = new SparkConf(false).set("spark.executor.resource.gpu.amount", "4");
        Devices.request(device("train.device=gpu"), given);
        assertEquals("1", given.get("spark.task.resource.gpu.amount"));
        assertEquals("4", given.get("spark.executor.resource.gpu.amount"), "spark-submit's value wins");

        SparkConf auto = new SparkConf(false);
        Devices.request(device("train.device=auto"), auto);
        Devices.request(device("train.device=cpu"), auto);
        assertFalse(auto.contains("spark.task.resource.gpu.amount"), "auto and cpu ask for nothing");
    }

    @Test
    void gpuWithoutTheCudaBackendFailsNamingTheCudaBuild() {
        ConfigException e = assertThrows(ConfigException.class, () -> Devices.choose(device("train.device=gpu"),
                SharedSpark.context(), 2, 1));
        assertTrue(e.getMessage().contains("train.device = gpu, but this job jar's ND4J backend is the CPU one")
                && e.getMessage().contains("mvn -Pcuda") && e.getMessage().contains("sparktrain-job-cuda-11.6.jar"),
                e.getMessage());
    }

    @Test
    void gpuInLocalModeFailsSayingLocalModeSchedulesNoGpus() {
        ConfigException e = assertThrows(ConfigException.class, () -> Devices.choose(device("train.device=gpu",
                "train.gpu-binder=\"record:" + dir + "\""), SharedSpark.context(), 2, 1));
        assertTrue(e.getMessage().contains("local mode (local[2]) does not schedule GPUs"), e.getMessage());
    }

    @Test
    void autoFallsBackToTheCpuAndTrainsThere() throws Exception {
        TaskDevice d = Devices.choose(device("train.device=auto"), SharedSpark.context(), 2, 3);
        assertFalse(d.gpu());
        assertEquals(TaskDevice.cpu(3), d);
        TaskDevice fake = Devices.choose(device("train.device=auto", "train.gpu-binder=\"record:" + dir + "\""),
                SharedSpark.context(), 2, 1);
        assertFalse(fake.gpu(), "even with a (fake) CUDA backend, local mode stays on the CPU");
    }

    @Test
    void badDeviceSettingsAreNamed() {
        assertTrue(assertThrows(ConfigException.class, () -> device("train.device=tpu")).getMessage()
                .contains("train.device"));
        assertTrue(assertThrows(ConfigException.class, () -> device("train.gpu-binder=cuda")).getMessage()
                .contains("nd4j or record:<directory>"));
        assertTrue(assertThrows(ConfigException.class, () -> device("train.gpus-per-task=0")).getMessage()
                .contains("train.gpus-per-task"));
        String wait = assertThrows(ConfigException.class, () -> device("train.gpu-wait=soon")).getMessage();
        assertTrue(wait.contains("train.gpu-wait") && wait.contains("a duration") && wait.contains("soon"), wait);
        assertTrue(assertThrows(ConfigException.class, () -> device("train.gpu-wait=0s")).getMessage()
                .contains("a positive duration"));
    }
}
