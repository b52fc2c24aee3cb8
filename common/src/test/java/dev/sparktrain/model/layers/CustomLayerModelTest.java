package dev.sparktrain.model.layers;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.model.GradientSum;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.ModelSummary;
import dev.sparktrain.model.ParamLayout;
import dev.sparktrain.model.Replica;
import dev.sparktrain.model.Sequential;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The custom layers in models: summary, parameter names and counts, shape errors, saving, per-call choice. */
class CustomLayerModelTest {
    /** linear(20 -> 4), centered, the tutorial's parameter dict (linear1) and parameter list, linear(1 -> 3). */
    static Sequential tutorialLayers() {
        return Sequential.input(1, 1, 20).flatten().linear(4).centered().parameterDict("linear1").parameterList()
                .linear(3);
    }

    static INDArray rows(int n, int width, long seed, DataType type) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(type, n, width);
    }

    private static INDArray segment(INDArray flat, ParamLayout.Segment s) {
        return flat.get(NDArrayIndex.interval(s.offset(), s.offset() + s.length()));
    }

    @Test
    void summaryShowsTheCustomLayersWithTheirParameterCounts() {
        Replica r = new Replica(tutorialLayers().build());
        ModelSummary s = ModelSummary.of(r, Set.of());
        String text = s.render();
        assertTrue(text.contains("(2): CenteredLayer()\n"), text);
        assertTrue(text.contains("(3): ParameterDict(linear1: 4x4, linear2: 4x1, linear3: 4x2; choice=linear1)\n"), text);
        assertTrue(text.contains("(4): ParameterList(4x4, 4x4, 4x4, 4x1)\n"), text);
        // parameter dict 16 + 4 + 8 = 28 (unchosen entries included), parameter list 3*16 + 4 = 52
        assertEquals(List.of(84L, 0L, 28L, 52L, 6L), s.rows().stream().map(ModelSummary.Row::params).toList());
        assertEquals(List.of(List.of(-1L, 4L), List.of(-1L, 4L), List.of(-1L, 4L), List.of(-1L, 1L), List.of(-1L, 3L)),
                s.rows().stream().map(ModelSummary.Row::outputShape).toList());
        assertEquals(20 * 4 + 4 + 28 + 52 + 1 * 3 + 3, s.totalParams());
        assertTrue(text.contains("Total params: 170"), text);
    }

    @Test
    void parametersHavePyTorchNamesAndStartLikeTorchRandn() {
        Replica r = new Replica(tutorialLayers().build());
        ParamLayout layout = r.layout();
        assertEquals(List.of("1.weight", "1.bias", "3.params.linear1", "3.params.linear2", "3.params.linear3",
                "4.params.0", "4.params.1", "4.params.2", "4.params.3", "5.weight", "5.bias"),
                layout.segments().stream().map(ParamLayout.Segment::name).toList());
        assertArrayEquals(new long[]{4, 2}, layout.segment("3.params.linear3").shape());
        assertArrayEquals(new long[]{4, 1}, layout.segment("4.params.3").shape());
        // each segment is the layer's own matrix, row-major as PyTorch stores it
        INDArray flat = r.params();
        INDArray w = r.network().getLayer("4").getParam("params.1");
        assertEquals(Nd4j.toFlattened('c', w).reshape(16), segment(flat, layout.segment("4.params.1")));
        // N(0, 1) entries: the 80 of the two custom layers have mean ~0 and std ~1
        INDArray custom = flat.get(NDArrayIndex.interval(layout.segment("3.params.linear1").offset(),
                layout.segment("4.params.3").offset() + 4));
        assertEquals(80, custom.length());
        assertEquals(0, custom.meanNumber().doubleValue(), 0.35);
        assertEquals(1, custom.stdNumber().doubleValue(), 0.3);
        // the model seed decides them
        assertEquals(flat, new Replica(tutorialLayers().build()).params());
        assertNotEquals(flat, new Replica(tutorialLayers().seed(1).build()).params());
        assertEquals(new Replica(tutorialLayers().seed(1).build()).params(), new Replica(tutorialLayers().seed(1).build()).params());
    }

    private static IllegalArgumentException configError(String layers) {
        JobConfig c = ConfigLoader.parse("model { type = sequential, layers = [" + layers + "] }", List.of());
        return assertThrows(IllegalArgumentException.class,
                () -> new Replica(c.model().spec(1, 4, 5, c.data().classes(), 1)));
    }

    @Test
    void wrongShapesFailBeforeTrainingNamingTheLayerAndBothShapes() {
        String tail = ", {type = linear, out_features = 10}";
        IllegalArgumentException width = configError("{type = flatten}, {type = linear, out_features = 5}, "
                + "{type = parameter_list}" + tail);
        assertTrue(width.getMessage().contains("model.layers[2] (parameter_list) expects input [4] (the rows of "
                + "params.0 [4, 4]), found [5]"), width.getMessage());
        IllegalArgumentException dict = configError("{type = flatten}, {type = parameter_dict, params { a = [3, 2] }}" + tail);
        assertTrue(dict.getMessage().contains("model.layers[1] (parameter_dict) expects input [3] (the rows of "
                + "params.a [3, 2]), found [20]"), dict.getMessage());
        IllegalArgumentException image = configError("{type = parameter_list}" + tail);
        assertTrue(image.getMessage().contains("model.layers[0] (parameter_list) expects flat input [features], "
                + "found [1, 4, 5]"), image.getMessage());
        IllegalArgumentException chain = configError("{type = flatten}, {type = parameter_list, shapes = [[20, 4], [3, 1]]}"
                + tail);
        assertTrue(chain.getMessage().contains("params.1 [3, 1] cannot follow params.0 [20, 4]: its rows must be 4"),
                chain.getMessage());
        IllegalArgumentException choice = configError("{type = flatten}, {type = linear, out_features = 4}, "
                + "{type = parameter_dict, choice = linear9}" + tail);
        assertTrue(choice.getMessage().contains("no entry 'linear9'; entries: [linear1, linear2, linear3]"),
                choice.getMessage());
        IllegalArgumentException key = configError("{type = centered, per_exampel = true}" + tail);
        assertTrue(key.getMessage().contains("model.layers[0] (centered): unknown key 'per_exampel'"),
                key.getMessage());
    }

    @Test
    void aModelWithCustomLayersRoundTripsThroughModelSerializer() throws Exception {
        Replica r = new Replica(tutorialLayers().centered(true).linear(3).build());
        INDArray params = r.params().addi(0.01);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        r.writeModel(params, zip);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip.toByteArray()));
        assertEquals(ModelSummary.of(r, Set.of()).render(),
                ModelSummary.of(restored, InputType.convolutional(1, 20, 1), "Sequential", Set.of()).render());
        assertEquals(params, restored.params().reshape(params.length()));
        INDArray x = rows(6, 20, 4, DataType.FLOAT);
        assertEquals(r.network().output(x, false), restored.output(x, false));
    }

    @Test
    void theDictChoiceCanChangePerCallAmongEntriesOfTheSameWidth() {
        Map<String, int[]> params = new LinkedHashMap<>();
        params.put("a", new int[]{4, 3});
        params.put("b", new int[]{4, 3});
        params.put("c", new int[]{4, 2});
        Replica r = new Replica(Sequential.input(1, 1, 6).flatten().linear(4).parameterDict(params, "a").linear(5)
                .dtype("float64").build());
        MultiLayerNetwork net = r.network();
        INDArray x = rows(7, 6, 5, DataType.DOUBLE);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 7, 5);
        y.getColumn(2).assign(1);
        DataSet batch = new DataSet(x, y);
        r.gradientSum(batch);

        ParameterDictImpl.choose(net, "2", "b");
        List<INDArray> acts = net.feedForward(x, false);
        INDArray hidden = acts.get(1); // activations: the input, then DL4J layers "1" (linear), "2" (dict), ...
        assertEquals(hidden.mmul(net.getLayer("2").getParam("params.b")), acts.get(2));
        GradientSum g = r.gradientSum(batch);
        assertEquals(0, segment(g.gradient(), r.layout().segment("2.params.a")).amaxNumber().doubleValue(),
                "the entry chosen before gets zero gradient now");
        assertTrue(segment(g.gradient(), r.layout().segment("2.params.b")).amaxNumber().doubleValue() > 0);

        IllegalArgumentException narrow = assertThrows(IllegalArgumentException.class,
                () -> ParameterDictImpl.choose(net, "2", "c"));
        assertTrue(narrow.getMessage().contains("entry c gives 2 outputs, but the layer was built for 3 (choice a)"),
                narrow.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ParameterDictImpl.choose(net, "2", "d"));
    }
}
