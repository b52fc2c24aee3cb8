package dev.sparktrain.model;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Non-sequential models (ComputationGraph): names, counts, summary, gradients, round trip. */
class GraphModelTest {

    static ModelSpec resnet(int size, String dtype) {
        return new ModelSpec("resnet", List.of(), dtype, 1, size, size, 10, 3);
    }

    @Test
    void theResnetHasTorchvisionStyleNamesAndCounts() {
        Replica r = new Replica(resnet(28, "float32"));
        // conv1 1*16*9+16 = 160; layer1.0.conv1/conv2 16*16*9+16 = 2,320 each; layer2.0.conv1 16*32*9+32 = 4,640;
        // layer2.0.conv2 32*32*9+32 = 9,248; layer2.0.downsample.0 16*32+32 = 544; fc 32*10+10 = 330
        assertEquals(19_562, r.numParams());
        ParamLayout layout = r.layout();
        assertEquals(List.of("conv1", "layer1.0.conv1", "layer1.0.conv2", "layer2.0.conv1", "layer2.0.downsample.0",
                "layer2.0.conv2", "fc"), List.copyOf(layout.layers()));
        assertEquals(List.of(160L, 2_320L, 2_320L, 4_640L, 544L, 9_248L, 330L), layout.layers().stream()
                .map(l -> layout.segments().stream().filter(s -> s.layer().equals(l)).mapToLong(ParamLayout.Segment::length)
                        .sum()).toList());
        assertEquals(r.numParams(), layout.numParams());
        ParamLayout.Segment w = layout.segment("layer2.0.downsample.0.weight");
        assertEquals(List.of(32L, 16L, 1L, 1L), java.util.Arrays.stream(w.shape()).boxed().toList());
        // the segment is the live parameter view of that layer (DL4J's 'c' order for conv weights)
        INDArray slice = r.params().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(w.offset(), w.offset() + w.length()));
        assertEquals(r.graph().getLayer("layer2.0.downsample.0").getParam("W").reshape(w.length()), slice);
    }

    @Test
    void theSummaryShowsEveryVertexWithItsInputsShapeAndParameters() {
        ModelSummary s = ModelSummary.of(new Replica(resnet(28, "float32")), Set.of("fc.weight", "fc.bias"));
        assertEquals(19_562, s.totalParams());
        assertEquals(19_562 - 330, s.trainableParams());
        ModelSummary.Row add = s.rows().stream().filter(r -> r.name().equals("layer2.0.add")).findFirst().orElseThrow();
        assertEquals(List.of("layer2.0.conv2", "layer2.0.downsample.0"), add.inputs());
        assertEquals(List.of(-1L, 32L, 7L, 7L), add.outputShape());
        assertEquals(0, add.params());
        ModelSummary.Row first = s.rows().get(0);
        assertEquals("conv1", first.name());
        assertEquals(List.of("input"), first.inputs());
        assertEquals(List.of(-1L, 16L, 28L, 28L), first.outputShape());
        String text = s.render();
        assertTrue(text.startsWith("ResNet(\n  (conv1): Conv2d(1, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n"),
                text);
        assertTrue(text.contains("(layer1.0.add): Add()") && text.contains("(avgpool): AdaptiveAvgPool2d(output_size=(1, 1))")
                && text.contains("(layer2.0.downsample.0): Conv2d(16, 32, kernel_size=(1, 1), stride=(2, 2))")
                && text.contains("(fc): Linear(in_features=32, out_features=10, bias=True)"), text);
        assertTrue(text.contains("layer1.0.add (Add)") && text.contains("layer1.0.conv2, maxpool"), text);
        assertTrue(text.contains("Total params: 19,562") && text.contains("Non-trainable params: 330"), text);
        System.out.print(text);
    }

    @Test
    void theTwoInputModelShowsItsMergeVertex() {
        Replica r = new Replica(GraphZoo.imageAndVector(1, 8, 8, 4, 16, 4, 1, "float32"));
        ModelSummary s = ModelSummary.of(r, Set.of());
        ModelSummary.Row cat = s.rows().stream().filter(x -> x.name().equals("cat")).findFirst().orElseThrow();
        assertEquals(List.of("image_fc_relu", "vector_fc_relu"), cat.inputs());
        assertEquals(List.of(-1L, 32L), cat.outputShape());
        assertTrue(s.render().contains("(cat): Cat(dim=1)"), s.render());
        // image_conv 1*4*9+4 = 40; image_fc 4*4*4*16+16 = 1,040; vector_fc 4*16+16 = 80; fc1 32*16+16 = 528; fc2 16*4+4 = 68
        assertEquals(40 + 1_040 + 80 + 528 + 68, s.totalParams());
        assertEquals(s.totalParams(), r.numParams());
    }

    @Test
    void theSkipConnectionModelPassesAGradientCheck() {
        inDouble(() -> {
            // the zoo's resnet with 2 channels (4 in layer2): 382 parameters, every one checked
            Replica r = new Replica(GraphZoo.resnet(1, 8, 8, 10, null, 3, "float64", 2));
            assertEquals(382, r.numParams());
            Nd4j.getRandom().setSeed(5);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 64);
            INDArray y = oneHot(3, 10);
            return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(r.graph())
                    .inputs(new INDArray[]{x}).labels(new INDArray[]{y}).epsilon(1e-6).maxRelError(1e-4)
                    .minAbsoluteError(1e-8).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        });
    }

    @Test
    void theTwoInputModelPassesAGradientCheck() {
        inDouble(() -> {
            Replica r = new Replica(GraphZoo.imageAndVector(1, 6, 6, 3, 5, 4, 2, "float64"));
            Nd4j.getRandom().setSeed(6);
            INDArray image = Nd4j.rand(DataType.DOUBLE, 4, 36);
            INDArray vector = Nd4j.rand(DataType.DOUBLE, 4, 3).subi(0.5);
            return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(r.graph())
                    .inputs(new INDArray[]{image, vector}).labels(new INDArray[]{oneHot(4, 4)}).epsilon(1e-6)
                    .maxRelError(1e-4).minAbsoluteError(1e-8).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        });
    }

    @Test
    void theTwoInputGradientIsTheSumOverExamplesAndMatchesCentralDifferences() {
        Replica r = new Replica(GraphZoo.imageAndVector(1, 6, 6, 3, 5, 4, 2, "float64"));
        Nd4j.getRandom().setSeed(7);
        INDArray image = Nd4j.rand(DataType.DOUBLE, 4, 36);
        INDArray vector = Nd4j.rand(DataType.DOUBLE, 4, 3);
        INDArray y = oneHot(4, 4);
        MultiDataSet all = new MultiDataSet(new INDArray[]{image, vector}, new INDArray[]{y});
        GradientSum g = r.gradientSum(all);
        GradientSum a = r.gradientSum(rows(all, 0, 2));
        GradientSum b = r.gradientSum(rows(all, 2, 4));
        assertEquals(4, g.count());
        assertEquals(0, g.gradient().sub(a.gradient().add(b.gradient())).amaxNumber().doubleValue()
                / g.gradient().amaxNumber().doubleValue(), 1e-10);
        INDArray theta = r.params();
        double h = 1e-6;
        for (long i = 0; i < r.numParams(); i += 37) { // a spread of coordinates over every layer
            INDArray plus = theta.dup();
            plus.putScalar(i, theta.getDouble(i) + h);
            r.setParams(plus);
            double lp = r.gradientSum(all).lossSum();
            INDArray minus = theta.dup();
            minus.putScalar(i, theta.getDouble(i) - h);
            r.setParams(minus);
            double lm = r.gradientSum(all).lossSum();
            double numeric = (lp - lm) / (2 * h);
            assertEquals(numeric, g.gradient().getDouble(i), 1e-6 * Math.max(1, Math.abs(numeric)), "coordinate " + i);
        }
    }

    @Test
    void aGraphModelAndItsSummaryRoundTripThroughTheSavedZip() throws Exception {
        Replica r = new Replica(resnet(28, "float32"));
        INDArray params = r.params().addi(0.01);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        r.writeModel(params, zip);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip.toByteArray()));
        List<InputType> input = List.of(InputType.convolutionalFlat(28, 28, 1));
        assertEquals(ModelSummary.of(r, Set.of()).render(), ModelSummary.of(restored, input, "ResNet", Set.of()).render());
        assertEquals(r.layout().segments().stream().map(ParamLayout.Segment::name).toList(),
                ParamLayout.of(restored).segments().stream().map(ParamLayout.Segment::name).toList());
        assertEquals(params, restored.params());
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 28 * 28);
        assertEquals(r.graph().output(false, x)[0], restored.output(false, x)[0]);
    }

    @Test
    void theReadmeExampleBuildsAndComputesGradients() {
        GraphModel model = GraphBuilder.create("Net", 1)
                .imageInput("image", 1, 28, 28).vectorInput("meta", 4)
                .conv2d("conv1", "image", 8, 3, 1, 1).relu("relu1", "conv1").conv2d("conv2", "relu1", 8, 3, 1, 1)
                .add("skip", "conv2", "conv1").globalAvgPool("pool", "skip")
                .cat("cat", "pool", "meta").linear("fc1", "cat", 32).relu("relu2", "fc1")
                .output("fc2", "relu2", 10, null)
                .build();
        Replica replica = new Replica(model);
        // conv1 1*8*9+8 = 80; conv2 8*8*9+8 = 584; fc1 (8+4)*32+32 = 416; fc2 32*10+10 = 330
        assertEquals(80 + 584 + 416 + 330, replica.numParams());
        Nd4j.getRandom().setSeed(3);
        MultiDataSet batch = new MultiDataSet(new INDArray[]{Nd4j.rand(DataType.FLOAT, 5, 784),
                Nd4j.rand(DataType.FLOAT, 5, 4)}, new INDArray[]{oneHot(5, 10).castTo(DataType.FLOAT)});
        GradientSum g = replica.gradientSum(batch);
        assertEquals(5, g.count());
        assertEquals(replica.numParams(), g.gradient().length());
        assertTrue(g.gradient().amaxNumber().doubleValue() > 0);
        assertEquals(5, replica.evaluate(batch).count());
        // a single-input DataSet for a two-input model is refused, naming the inputs
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> replica.gradientSum(
                new org.nd4j.linalg.dataset.DataSet(batch.getFeatures(0), batch.getLabels(0))));
        assertTrue(e.getMessage().contains("the graph has 2 inputs [image, meta], found 1"), e.getMessage());
    }

    @Test
    void builderErrorsNameTheNode() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GraphBuilder.create("M", 1)
                .vectorInput("x", 3).linear("fc1", "x", 4).add("sum", "fc1", "fc0"));
        assertTrue(e.getMessage().contains("node 'sum' reads 'fc0', which is not defined before it; defined: [x, fc1]"),
                e.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> GraphBuilder.create("M", 1)
                .vectorInput("x", 3).linear("x", "x", 4));
        assertTrue(twice.getMessage().contains("'x' is empty or already used"), twice.getMessage());
        IllegalStateException sequential = assertThrows(IllegalStateException.class,
                () -> new Replica(resnet(28, "float32")).network());
        assertTrue(sequential.getMessage().contains("resnet model is a ComputationGraph"), sequential.getMessage());
    }

    private static MultiDataSet rows(MultiDataSet m, int from, int to) {
        org.nd4j.linalg.indexing.INDArrayIndex range = org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to);
        org.nd4j.linalg.indexing.INDArrayIndex all = org.nd4j.linalg.indexing.NDArrayIndex.all();
        return new MultiDataSet(new INDArray[]{m.getFeatures(0).get(range, all).dup(), m.getFeatures(1).get(range, all).dup()},
                new INDArray[]{m.getLabels(0).get(range, all).dup()});
    }

    static INDArray oneHot(int n, int classes) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, (i * 3) % classes, 1.0);
        }
        return y;
    }

    private static void inDouble(Supplier<Boolean> check) {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            assertTrue(check.get(), "gradient check");
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }
}
