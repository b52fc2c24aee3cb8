package dev.sparktrain.loss;

import dev.sparktrain.config.ConfigException;
import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.data.ArrayDataset;
import dev.sparktrain.model.GradientSum;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.Replica;
import dev.sparktrain.model.ReplicaTest;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Losses chosen in the job config, and that the configured cross_entropy is DL4J's softmax + MCXENT. */
class LossConfigTest {

    @Test
    void aLossIsANameOrAnObjectWithPyTorchArguments() {
        assertNull(ConfigLoader.parse("", List.of()).model().loss());
        assertEquals(Map.of("type", "cross_entropy"), ConfigLoader.parse("loss = cross_entropy", List.of()).model().loss());
        assertEquals(Map.of("type", "smooth_l1", "beta", 0.5),
                ConfigLoader.parse("loss { type = smooth_l1, beta = 0.5 }", List.of()).model().loss());
    }

    @Test
    void unknownLossesAndArgumentsAreNamed() {
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("loss = focal", List.of()));
        assertTrue(unknown.getMessage().contains("unknown loss 'focal'") && unknown.getMessage().contains("cross_entropy")
                && unknown.getMessage().contains("conf key loss"), unknown.getMessage());
        ConfigException arg = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("loss { type = mse, beta = 1 }", List.of()));
        assertTrue(arg.getMessage().contains("loss mse has no argument(s) [beta]"), arg.getMessage());
        ConfigException value = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("loss { type = smooth_l1, reduction = average }", List.of()));
        assertTrue(value.getMessage().contains("average is not a valid value for reduction"), value.getMessage());
    }

    @Test
    void configuredCrossEntropyTrainsLikeTheBuiltInSoftmaxCrossEntropy() {
        ModelSpec builtIn = ReplicaTest.lenet("float64");
        ModelSpec configured = new ModelSpec(builtIn.type(), builtIn.hidden(), builtIn.dtype(), 1, 28, 28, 10,
                builtIn.seed(), Map.of("type", "cross_entropy"));
        Replica a = new Replica(builtIn);
        Replica b = new Replica(configured);
        assertEquals(a.params(), b.params());
        ArrayDataset data = ReplicaTest.randomData(16, 5);
        DataSet batch = data.batch(java.util.stream.IntStream.range(0, 16).toArray(), 10, DataType.DOUBLE);
        GradientSum ga = a.gradientSum(batch);
        GradientSum gb = b.gradientSum(batch);
        assertEquals(ga.lossSum(), gb.lossSum(), 1e-9 * Math.abs(ga.lossSum()));
        double scale = ga.gradient().amaxNumber().doubleValue();
        assertTrue(ga.gradient().sub(gb.gradient()).amaxNumber().doubleValue() / scale < 1e-9);
        assertEquals(a.evaluate(batch).lossSum(), b.evaluate(batch).lossSum(), 1e-6);
        assertEquals(a.evaluate(batch).accuracy(), b.evaluate(batch).accuracy());
    }
}
