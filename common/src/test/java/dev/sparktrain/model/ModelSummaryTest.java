package dev.sparktrain.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parameter counts and shapes equal PyTorch's for the tutorial models. */
class ModelSummaryTest {

    private static ModelSummary summary(int channels, int size, int classes, Set<String> frozen) {
        return ModelSummary.of(new Replica(new ModelSpec("lenet", List.of(), "float32", channels, size, size, classes, 1)),
                frozen);
    }

    @Test
    void theTutorialNetHas61706Parameters() {
        // PyTorch's "Neural Networks" tutorial Net on 1x32x32: print(sum(p.numel() for p in net.parameters())) -> 61706
        ModelSummary s = summary(1, 32, 10, Set.of());
        assertEquals(61_706, s.totalParams());
        assertEquals(List.of("conv1", "pool1", "conv2", "pool2", "fc1", "fc2", "fc3"),
                s.rows().stream().map(ModelSummary.Row::name).toList());
        assertEquals(List.of(156L, 0L, 2_416L, 0L, 48_120L, 10_164L, 850L),
                s.rows().stream().map(ModelSummary.Row::params).toList());
        assertEquals(List.of(-1L, 6L, 28L, 28L), s.rows().get(0).outputShape());
        assertEquals(List.of(-1L, 16L, 5L, 5L), s.rows().get(3).outputShape());
        assertEquals(List.of(-1L, 10L), s.rows().get(6).outputShape());
        String text = s.render();
        assertTrue(text.startsWith("LeNet(\n  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))\n"), text);
        assertTrue(text.contains("(pool1): MaxPool2d(kernel_size=2, stride=2)"), text);
        assertTrue(text.contains("(fc1): Linear(in_features=400, out_features=120, bias=True)"), text);
        assertTrue(text.contains("Total params: 61,706") && text.contains("Non-trainable params: 0"), text);
    }

    @Test
    void lenetWithTwoClassesOnColourImagesHas61326Parameters() {
        // the CIFAR tutorial's Net with 3 input channels and 2 outputs: 456 + 2,416 + 48,120 + 10,164 + 170
        assertEquals(61_326, summary(3, 32, 2, Set.of()).totalParams());
        // LeNet-5 on Fashion-MNIST's 1x28x28: fc1 sees 16x4x4
        assertEquals(44_426, summary(1, 28, 10, Set.of()).totalParams());
    }

    @Test
    void frozenLayersCountAsNonTrainable() {
        ModelSummary s = summary(1, 32, 10, Set.of("conv1.weight", "conv1.bias"));
        assertEquals(61_706 - 156, s.trainableParams());
        assertTrue(s.render().contains("Non-trainable params: 156"), s.render());
    }

    @Test
    void aModelAndItsSummaryRoundTripThroughTheSavedZip() throws Exception {
        Replica r = new Replica(new ModelSpec("lenet", List.of(), "float32", 1, 32, 32, 10, 3));
        org.nd4j.linalg.api.ndarray.INDArray params = r.params().addi(0.01);
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        r.writeModel(params, zip);
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork restored = org.deeplearning4j.util.ModelSerializer
                .restoreMultiLayerNetwork(new java.io.ByteArrayInputStream(zip.toByteArray()));
        org.deeplearning4j.nn.conf.inputs.InputType input =
                org.deeplearning4j.nn.conf.inputs.InputType.convolutional(32, 32, 1);
        assertEquals(ModelSummary.of(r, Set.of()).render(),
                ModelSummary.of(restored, input, "LeNet", Set.of()).render());
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(9);
        org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.rand(
                org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 32 * 32);
        assertEquals(r.network().output(x, false), restored.output(x, false));
    }
}
