package dev.sparktrain.model;

import dev.sparktrain.config.ConfigException;
import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Models described as a layer list in the job config, like nn.Sequential. */
class SequentialModelTest {
    /** PyTorch's tutorial Net as an nn.Sequential. */
    static final String TUTORIAL = "model { type = sequential, layers = ["
            + "{type = conv2d, out_channels = 6, kernel_size = 5}, {type = relu}, {type = maxpool2d, kernel_size = 2},"
            + "{type = conv2d, out_channels = 16, kernel_size = 5}, {type = relu}, {type = maxpool2d, kernel_size = 2},"
            + "{type = flatten}, {type = linear, out_features = 120}, {type = relu},"
            + "{type = linear, out_features = 84}, {type = relu}, {type = linear, out_features = 10}] }";

    private static ModelSpec spec(String hocon, int channels, int size, String dtype) {
        JobConfig c = ConfigLoader.parse(hocon + "\nmodel.dtype = " + dtype, List.of());
        return ModelSpec.of(c.model(), channels, size, size, c.data().classes(), 1);
    }

    @Test
    void theTutorialNetAsASequentialHasPyTorchsParametersAndNames() {
        Replica r = new Replica(spec(TUTORIAL, 1, 32, "float32"));
        assertEquals(61_706, r.numParams());
        assertEquals(List.of("0.bias", "0.weight", "3.bias", "3.weight", "7.weight", "7.bias", "9.weight", "9.bias",
                "11.weight", "11.bias"), r.layout().segments().stream().map(ParamLayout.Segment::name).toList());
        String text = ModelSummary.of(r, Set.of()).render();
        assertTrue(text.contains("(0): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))") && text.contains("(1): ReLU()")
                && text.contains("(7): Linear(in_features=400, out_features=120, bias=True)"), text);
    }

    @Test
    void wrongShapesFailBeforeTrainingNamingBothShapes() {
        ConfigException conv = assertThrows(ConfigException.class,
                () -> new Replica(spec("model { type = sequential, layers = [{type = conv2d, out_channels = 4, "
                        + "kernel_size = 5}, {type = flatten}, {type = linear, out_features = 10}] }", 1, 4, "float32")));
        assertTrue(conv.getMessage().contains("model.layers[0] (conv2d) cannot apply to input [1, 4, 4]")
                && conv.getMessage().contains("[4, 0, 0]"), conv.getMessage());
        ConfigException flat = assertThrows(ConfigException.class,
                () -> new Replica(spec("model { type = sequential, layers = [{type = conv2d, out_channels = 4, "
                        + "kernel_size = 3}, {type = linear, out_features = 10}] }", 1, 8, "float32")));
        assertTrue(flat.getMessage().contains("model.layers[1] (linear) expects flat input [features], found [4, 6, 6]"),
                flat.getMessage());
        ConfigException classes = assertThrows(ConfigException.class,
                () -> new Replica(spec("model { type = sequential, layers = [{type = flatten}, "
                        + "{type = linear, out_features = 3}] }", 1, 8, "float32")));
        assertTrue(classes.getMessage().contains("out_features 3 but data.classes is 10"), classes.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> new Replica(spec("model { type = sequential, layers = [{type = conv3d}, "
                        + "{type = linear, out_features = 10}] }", 1, 8, "float32")));
        assertTrue(unknown.getMessage().contains("unknown layer type 'conv3d'"), unknown.getMessage());
    }

    @Test
    void aModelWithEveryLayerTypePassesAGradientCheck() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            String every = "model { type = sequential, layers = ["
                    + "{type = conv2d, out_channels = 3, kernel_size = 3, padding = 1, stride = 1}, {type = batchnorm},"
                    + "{type = tanh}, {type = avgpool2d, kernel_size = 2}, {type = conv2d, out_channels = 4, kernel_size = 2,"
                    + " dilation = 1, bias = false}, {type = elu}, {type = maxpool2d, kernel_size = 2, stride = 1},"
                    + "{type = flatten}, {type = linear, out_features = 8}, {type = leaky_relu, negative_slope = 0.1},"
                    + "{type = dropout, p = 0.0}, {type = linear, out_features = 6}, {type = sigmoid},"
                    + "{type = linear, out_features = 7}, {type = relu}, {type = softmax},"
                    + "{type = linear, out_features = 10}] }";
            Replica r = new Replica(spec(every, 2, 8, "float64"));
            Nd4j.getRandom().setSeed(5);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2 * 8 * 8);
            INDArray y = Nd4j.zeros(DataType.DOUBLE, 3, 10);
            for (int i = 0; i < 3; i++) {
                y.putScalar(i, (i * 3) % 10, 1.0);
            }
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(r.network()).input(x)
                    .labels(y).epsilon(1e-6).maxRelError(1e-4).minAbsoluteError(1e-8)
                    .callEachIter(net -> Nd4j.getRandom().setSeed(12345))
                    // batch norm's running mean and variance are buffers in PyTorch, not parameters
                    .excludeParams(Set.of("1_mean", "1_log10stdev"))
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
            assertTrue(ok, "gradient check of a model with every layer type");
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }
}
