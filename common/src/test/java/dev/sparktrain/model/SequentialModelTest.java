package dev.sparktrain.model;

import dev.sparktrain.config.ConfigException;
import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.run.TrainingRun;
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
        return c.model().spec(channels, size, size, c.data().classes(), 1);
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
        IllegalArgumentException conv = assertThrows(IllegalArgumentException.class,
                () -> new Replica(spec("model { type = sequential, layers = [{type = conv2d, out_channels = 4, "
                        + "kernel_size = 5}, {type = flatten}, {type = linear, out_features = 10}] }", 1, 4, "float32")));
        assertTrue(conv.getMessage().contains("model.layers[0] (conv2d) cannot apply to input [1, 4, 4]")
                && conv.getMessage().contains("[4, 0, 0]"), conv.getMessage());
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                () -> new Replica(spec("model { type = sequential, layers = [{type = conv2d, out_channels = 4, "
                        + "kernel_size = 3}, {type = linear, out_features = 10}] }", 1, 8, "float32")));
        assertTrue(flat.getMessage().contains("model.layers[1] (linear) expects flat input [features], found [4, 6, 6]"),
                flat.getMessage());
        IllegalArgumentException classes = assertThrows(IllegalArgumentException.class,
                () -> new Replica(spec("model { type = sequential, layers = [{type = flatten}, "
                        + "{type = linear, out_features = 3}] }", 1, 8, "float32")));
        assertTrue(classes.getMessage().contains("out_features 3 but data.classes is 10"), classes.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new Replica(spec("model { type = sequential, layers = [{type = conv3d}, "
                        + "{type = linear, out_features = 10}] }", 1, 8, "float32")));
        assertTrue(unknown.getMessage().contains("unknown layer type 'conv3d'"), unknown.getMessage());
        // a run names the config key
        JobConfig c = ConfigLoader.parse("model { type = sequential, layers = [{type = conv3d}, "
                + "{type = linear, out_features = 10}] }", List.of());
        ConfigException run = assertThrows(ConfigException.class,
                () -> TrainingRun.replica(c.model().spec(1, 8, 8, 10, 1), c));
        assertEquals(unknown.getMessage() + " (conf key model.layers)", run.getMessage());
    }

    /**
     * Every config layer type in one model, checked by DL4J's GradientCheckUtil in double precision:
     * central differences with h = 1e-6 on every parameter, relative error below 1e-4 (ReLU-family kinks
     * and softmax make 1e-4 the usual bound), absolute differences below 1e-8 ignored. Dropout is
     * inactive here (p = 0; tested on its own below). Batch norm's running mean and variance are
     * DL4J parameters but not gradients (DL4J returns their moving-average deltas): excluded.
     */
    @Test
    void aModelWithEveryLayerTypePassesAGradientCheck() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            // 2x9x9 -> conv s2 p1 -> 3x5x5 -> avgpool 2/1 -> 3x4x4 -> conv k2 d2 (no bias) -> 4x2x2 -> maxpool 2/1
            // -> 4x1x1 -> flatten 4 -> centered -> parameter_list 4x5, 5x6 -> parameter_dict a: 6x8 -> ... -> 10
            String every = "model { type = sequential, layers = ["
                    + "{type = conv2d, out_channels = 3, kernel_size = 3, padding = 1, stride = 2}, {type = batchnorm},"
                    + "{type = tanh}, {type = avgpool2d, kernel_size = 2, stride = 1}, {type = conv2d, out_channels = 4,"
                    + " kernel_size = 2, dilation = 2, bias = false}, {type = elu}, {type = centered, per_example = true},"
                    + "{type = maxpool2d, kernel_size = 2, stride = 1}, {type = flatten}, {type = centered},"
                    + "{type = parameter_list, shapes = [[4, 5], [5, 6]]}, {type = leaky_relu, negative_slope = 0.1},"
                    + "{type = parameter_dict, params { a = [6, 8], b = [6, 3] }, choice = a},"
                    + "{type = dropout, p = 0.0}, {type = linear, out_features = 6}, {type = sigmoid},"
                    + "{type = linear, out_features = 7}, {type = relu}, {type = softmax},"
                    + "{type = linear, out_features = 10}] }";
            Replica r = new Replica(spec(every, 2, 9, "float64"));
            String summary = ModelSummary.of(r, Set.of()).render();
            assertTrue(summary.contains("(4): Conv2d(3, 4, kernel_size=(2, 2), stride=(1, 1), dilation=(2, 2), bias=False)")
                    && summary.contains("(12): ParameterDict(a: 6x8, b: 6x3; choice=a)"), summary);
            List<ModelSummary.Row> rows = ModelSummary.of(r, Set.of()).rows();
            assertEquals(List.of(-1L, 4L, 1L, 1L), rows.get(7).outputShape());
            assertEquals("8", rows.get(8).name());
            assertEquals("Flatten(start_dim=1, end_dim=-1)", rows.get(8).module());
            assertEquals(List.of(-1L, 4L), rows.get(8).outputShape());
            assertEquals("9", rows.get(9).name());
            assertEquals(List.of(-1L, 4L), rows.get(9).outputShape(), "centered after flatten: flat, as in PyTorch");
            Nd4j.getRandom().setSeed(5);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2 * 9 * 9);
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

    @Test
    void dropoutZeroesAndRescalesInTrainingAndIsTheIdentityInEval() {
        // nn.Dropout(p=0.25): each activation zeroed with probability p, the others scaled by 1/(1-p)
        Replica r = new Replica(Sequential.input(1, 1, 4000).flatten().dropout(0.25).linear(2).build());
        Nd4j.getRandom().setSeed(8);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 4000).addi(0.5);
        INDArray train = r.network().feedForward(x, true).get(1);
        INDArray kept = train.neq(0).castTo(DataType.FLOAT);
        double zeroed = 1 - kept.meanNumber().doubleValue();
        assertEquals(0.25, zeroed, 0.02, "fraction zeroed of 8,000");
        INDArray expected = x.mul(kept).divi(0.75);
        assertTrue(train.equalsWithEps(expected, 1e-5), "kept activations scaled by 1/(1-p)");
        assertEquals(x, r.network().feedForward(x, false).get(1), "eval mode: identity");
        assertEquals(r.network().output(x, false), r.network().output(x, false));
    }
}
