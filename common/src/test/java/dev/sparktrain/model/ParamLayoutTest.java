package dev.sparktrain.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ParamLayoutTest {
    @Test
    void lenetParametersHavePyTorchNamesAndCoverTheFlatVector() {
        Replica replica = new Replica(ReplicaTest.lenet("float32"));
        ParamLayout layout = ParamLayout.of(replica.network());
        assertEquals(List.of("conv1.bias", "conv1.weight", "conv2.bias", "conv2.weight", "fc1.weight", "fc1.bias",
                "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"), layout.segments().stream()
                .map(ParamLayout.Segment::name).toList());
        assertEquals(replica.numParams(), layout.numParams());
        assertArrayEquals(new long[]{6, 1, 5, 5}, layout.segment("conv1.weight").shape());
        assertEquals(List.of("conv1", "conv2", "fc1", "fc2", "fc3"), List.copyOf(layout.layers()));
        // each segment is the same numbers as DL4J's own view of that parameter
        INDArray flat = replica.params();
        ParamLayout.Segment fc2w = layout.segment("fc2.weight");
        INDArray slice = flat.get(NDArrayIndex.interval(fc2w.offset(), fc2w.offset() + fc2w.length()));
        assertEquals(org.nd4j.linalg.factory.Nd4j.toFlattened('f', replica.network().getLayer(5).getParam("W")).reshape(fc2w.length()), slice);
    }
}
