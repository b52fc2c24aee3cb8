package dev.sparktrain.model;

import dev.sparktrain.data.ArrayDataset;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The oneDNN repair is active, and its gradients agree with DL4J's built-in layer code. */
class NativeBackendTest {

    @Test
    void oneDnnHelpersAreUsedAndAgreeWithThePlainPath() {
        assertTrue(NativeBackend.configure(), "the oneDNN build should be on the classpath and selected");
        Replica fast = new Replica(ReplicaTest.lenet("float32"));
        assertInstanceOf(MKLDNNConvHelper.class, fast.network().getLayer(0).getHelper());

        Replica plain;
        String before = System.getProperty(NativeBackend.HELPERS_DISABLE);
        System.setProperty(NativeBackend.HELPERS_DISABLE, "true");
        try {
            plain = new Replica(ReplicaTest.lenet("float32"));
        } finally {
            System.setProperty(NativeBackend.HELPERS_DISABLE, before);
        }
        assertNull(plain.network().getLayer(0).getHelper());

        ArrayDataset data = ReplicaTest.randomData(64, 3);
        DataSet batch = data.batch(java.util.stream.IntStream.range(0, 64).toArray(), 10, DataType.FLOAT);
        GradientSum a = fast.gradientSum(batch);
        GradientSum b = plain.gradientSum(batch);
        double scale = b.gradient().amaxNumber().doubleValue();
        double diff = a.gradient().sub(b.gradient()).amaxNumber().doubleValue() / scale;
        // float32, two convolution implementations summing in their own orders: measured 8e-8 (gradient)
        // and 0 (loss); the bound is float32 rounding, not more
        assertTrue(diff < 1e-6, "relative gradient difference " + diff);
        assertEquals(b.lossSum(), a.lossSum(), 1e-6 * Math.abs(b.lossSum()));
    }
}
