package dev.sparktrain.job.engine;

import dev.sparktrain.config.ConfigException;
import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.TrainConfig;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * On YARN and Kubernetes ND4J's off-heap limits follow the executors' memory settings, and a run
 * whose replicas cannot fit beside the heap is refused naming spark.executor.memoryOverhead; other
 * masters are left as they are.
 */
class ExecutorMemoryTest {
    private static final long MIB = 1L << 20;

    private static SparkConf conf(String master, String... pairs) {
        SparkConf c = new SparkConf(false).setMaster(master);
        for (int i = 0; i < pairs.length; i += 2) {
            c.set(pairs[i], pairs[i + 1]);
        }
        return c;
    }

    private static TrainConfig workers(int n) {
        return ConfigLoader.parse("", List.of("train.workers=" + n)).train();
    }

    @Test
    void onYarnJavaCppsLimitsFollowTheExecutorsMemory() {
        SparkConf yarn = conf("yarn", "spark.executor.memory", "2g", "spark.executor.extraJavaOptions", "-Dx=1");
        ExecutorMemory.limit(yarn);
        // overhead: max(384 MiB, 0.1 x 2 GiB) = 384 MiB; ND4J gets it less 128 MiB; the process heap + overhead
        assertEquals("-Dx=1 -Dorg.bytedeco.javacpp.maxbytes=" + 256 * MIB + " -Dorg.bytedeco.javacpp.maxphysicalbytes="
                + (2048 + 384) * MIB, yarn.get("spark.executor.extraJavaOptions"));

        SparkConf k8s = conf("k8s://https://api:6443", "spark.executor.memory", "8g",
                "spark.executor.memoryOverhead", "3g");
        ExecutorMemory.limit(k8s);
        assertEquals("-Dorg.bytedeco.javacpp.maxbytes=" + (3072 - 128) * MIB + " -Dorg.bytedeco.javacpp.maxphysicalbytes="
                + (8192 + 3072) * MIB, k8s.get("spark.executor.extraJavaOptions"));

        SparkConf given = conf("yarn", "spark.executor.extraJavaOptions", "-Dorg.bytedeco.javacpp.maxbytes=5g");
        ExecutorMemory.limit(given);
        assertEquals("-Dorg.bytedeco.javacpp.maxbytes=5g", given.get("spark.executor.extraJavaOptions"), "the user's");

        SparkConf standalone = conf("spark://host:7077", "spark.executor.memory", "2g");
        ExecutorMemory.limit(standalone);
        assertFalse(standalone.contains("spark.executor.extraJavaOptions"), "no container to be killed in");
    }

    @Test
    void replicasThatCannotFitBesideTheHeapAreRefusedNamingTheSettingAndTheFigure() {
        // 25M float64 parameters x 3 copies = 572 MiB a task, 2 tasks an executor; shapes unknown
        SparkConf yarn = conf("yarn", "spark.executor.memory", "4g", "spark.executor.cores", "2");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ExecutorMemory.check(yarn, workers(8), 25_000_000, 8, 0));
        assertEquals("an executor needs at least 1,144 MiB of native memory for ND4J: 2 task(s) x (25,000,000 "
                + "parameters x 8 bytes x 3 (parameters, gradient, gradient sum) (activations not counted)), and "
                + "spark.executor.memoryOverhead = 409 MiB leaves it 281 MiB beside the JVM's own: set "
                + "spark.executor.memoryOverhead to at least 1273m (or fewer cores per executor)", e.getMessage());
        assertDoesNotThrow(() -> ExecutorMemory.check(conf("yarn", "spark.executor.memory", "4g",
                "spark.executor.cores", "2", "spark.executor.memoryOverhead", "1273m"), workers(8), 25_000_000, 8, 0));
        assertDoesNotThrow(() -> ExecutorMemory.check(conf("spark://h:7077", "spark.executor.cores", "2"),
                workers(8), 25_000_000, 8, 0), "standalone: not checked");
    }

    @Test
    void aMinibatchsActivationsAndTheirGradientsCount() {
        // few parameters, large activations: 1M parameters x 4 bytes x 3 = 11.4 MiB; 500,000 values per
        // example x 64 examples (train.batch-size) x 4 bytes x 2 = 244 MiB; one task: 256 MiB allowed
        SparkConf yarn = conf("yarn", "spark.executor.memory", "1g");
        assertDoesNotThrow(() -> ExecutorMemory.check(yarn, workers(2), 1_000_000, 4, 500_000));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ExecutorMemory.check(yarn, workers(2), 1_000_000, 4, 600_000));
        assertEquals("an executor needs at least 304 MiB of native memory for ND4J: 1 task(s) x (1,000,000 parameters "
                + "x 4 bytes x 3 (parameters, gradient, gradient sum) + 600,000 activations per example x 64 examples "
                + "x 4 bytes x 2 (a minibatch's activations and their gradients)), and spark.executor.memoryOverhead = "
                + "384 MiB leaves it 256 MiB beside the JVM's own: set spark.executor.memoryOverhead to at least 433m "
                + "(or fewer cores per executor)", e.getMessage());
    }

    @Test
    void theActivationsOfAModelComeFromItsLayersOutputShapes() {
        // LeNet-5 on 28x28: conv 6x24x24 (3,456), pool 6x12x12 (864), conv 16x8x8 (1,024), pool 16x4x4 (256),
        // dense 120, dense 84, output 10
        dev.sparktrain.model.ModelSpec lenet = dev.sparktrain.config.ConfigLoader.parse("", List.of("model.type=lenet"))
                .model().spec(1, 28, 28, 10, 1, null);
        long values = dev.sparktrain.job.engine.ReplicaPool.withReplica(lenet,
                dev.sparktrain.job.trainer.SparkBackend::activationsPerExample);
        assertEquals(3_456 + 864 + 1_024 + 256 + 120 + 84 + 10, values);
    }
}
