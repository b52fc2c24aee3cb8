package dev.sparktrain.model;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java API (Sequential builder, Zoo factories) gives the models the job config gives. */
class SequentialApiTest {

    private static ModelSpec fromConfig(String hocon, int channels, int h, int w, String extra) {
        JobConfig c = ConfigLoader.parse(hocon + "\n" + extra, List.of());
        return c.model().spec(channels, h, w, c.data().classes(), c.train().seed());
    }

    private static void assertSameModel(ModelSpec config, ModelSpec java, long inputs) {
        assertEquals(config, java, "one layer description for both paths");
        Replica a = new Replica(config);
        Replica b = new Replica(java);
        assertEquals(a.numParams(), b.numParams());
        assertEquals(ModelSummary.of(a, Set.of()).render(), ModelSummary.of(b, Set.of()).render());
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, inputs);
        assertEquals(a.network().output(x, false), b.network().output(x, false));
    }

    @Test
    void theTutorialNetFromJavaIsTheConfigsAndHas61706Parameters() {
        ModelSpec java = Sequential.input(1, 32, 32).conv2d(6, 5).relu().maxpool2d(2).conv2d(16, 5).relu()
                .maxpool2d(2).flatten().linear(120).relu().linear(84).relu().linear(10).build();
        assertSameModel(fromConfig(SequentialModelTest.TUTORIAL, 1, 32, 32, ""), java, 32 * 32);
        assertEquals(61_706, new Replica(java).numParams());
    }

    @Test
    void everyOptionAndTheCustomLayersGiveTheConfigsModel() {
        String hocon = "model { type = sequential, dtype = float64, layers = ["
                + "{type = conv2d, out_channels = 4, kernel_size = 3, stride = 2, padding = 1, dilation = 1, bias = false},"
                + "{type = batchnorm, eps = 0.001, momentum = 0.2}, {type = leaky_relu, negative_slope = 0.2},"
                + "{type = avgpool2d, kernel_size = 2, stride = 1, padding = 0}, {type = dropout, p = 0.25},"
                + "{type = flatten}, {type = centered, per_example = true}, {type = linear, out_features = 4},"
                + "{type = parameter_list, shapes = [[4, 4], [4, 3]]}, {type = elu},"
                + "{type = parameter_dict, params { a = [3, 5], b = [3, 2] }, choice = a}, {type = sigmoid},"
                + "{type = linear, out_features = 10, bias = false}] }";
        Map<String, int[]> dict = new LinkedHashMap<>();
        dict.put("a", new int[]{3, 5});
        dict.put("b", new int[]{3, 2});
        ModelSpec java = Sequential.input(1, 9, 9).conv2d(4, 3, 2, 1, 1, false).batchnorm(0.001, 0.2)
                .leakyRelu(0.2).avgpool2d(2, 1, 0).dropout(0.25).flatten().centered(true).linear(4)
                .parameterList(new int[]{4, 4}, new int[]{4, 3}).elu().parameterDict(dict, "a").sigmoid()
                .linear(10, false).dtype("float64").build();
        assertSameModel(fromConfig(hocon, 1, 9, 9, ""), java, 81);
    }

    @Test
    void zooFactoriesGiveTheZoosModels() {
        // the CIFAR tutorial's Net (3x32x32, here 2 classes): 456 + 2,416 + 48,120 + 10,164 + 170
        assertEquals(61_326, new Replica(Zoo.lenet(3, 32, 32, 2)).numParams());
        assertEquals(fromConfig("model.type = lenet", 1, 32, 32, ""), Zoo.lenet(1, 32, 32, 10));
        assertEquals(ReplicaTest.lenet("float64"), Zoo.lenet(1, 28, 28, 10).withSeed(7).withDtype("float64"));
        assertEquals(61_706, ModelSummary.of(new Replica(Zoo.lenet(1, 32, 32, 10)), Set.of()).totalParams());
        // mlp(784, 256, 128, 10): 784*256+256 + 256*128+128 + 128*10+10
        Replica mlp = new Replica(Zoo.mlp(784, 256, 128, 10));
        assertEquals(235_146, mlp.numParams());
        Replica config = new Replica(fromConfig("model { type = mlp, hidden = [256, 128] }", 1, 28, 28, ""));
        assertEquals(config.layout().segments().stream().map(ParamLayout.Segment::name).toList(),
                mlp.layout().segments().stream().map(ParamLayout.Segment::name).toList());
        assertEquals(config.params(), mlp.params(), "same seed, same initial weights");
        assertTrue(ModelSummary.of(mlp, Set.of()).render().contains("(fc1): Linear(in_features=784, out_features=256"));
    }

    @Test
    void javaModelsFailAtBuildNamingTheLayerAndBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sequential.input(1, 8, 8).conv2d(4, 3).linear(10).build());
        assertTrue(e.getMessage().contains("model.layers[1] (linear) expects flat input [features], found [4, 6, 6]"),
                e.getMessage());
        IllegalArgumentException last = assertThrows(IllegalArgumentException.class,
                () -> Sequential.input(1, 8, 8).flatten().linear(10).relu().build());
        assertTrue(last.getMessage().contains("the last layer must be linear(classes)"), last.getMessage());
    }
}
