package dev.sparktrain.job.engine;

import dev.sparktrain.train.RoundRequest;
import dev.sparktrain.train.RoundResult;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests and results cross the resident-round wire and come back with the same bits, shapes and types. */
class RoundWireTest {

    private static Object roundTrip(java.io.Serializable value) throws IOException {
        return RoundWire.deserialize(RoundWire.serialize(value), RoundWireTest.class.getClassLoader());
    }

    @Test
    void requestsAndResultsComeBackWithTheSameBits() throws Exception {
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            INDArray params = Nd4j.rand(type, 1000).subi(0.5).muli(1e-3);
            params.putScalar(3, Double.NaN);
            params.putScalar(4, -0.0);
            RoundRequest.Synchronous back = (RoundRequest.Synchronous) roundTrip(RoundRequest.synchronous(2, 7, params));
            assertEquals(type, back.params().dataType());
            assertArrayEquals(params.shape(), back.params().shape());
            assertTrue(Arrays.equals(params.toDoubleVector(), back.params().toDoubleVector()), type + " values");
            assertEquals(1 / -0.0, 1 / back.params().getDouble(4), "the sign of -0.0");
            assertEquals(7, back.firstStep());

            RoundResult.Gradients g = new RoundResult.Gradients(params.reshape(10, 100), 3.25, 64);
            RoundResult.Gradients gb = (RoundResult.Gradients) roundTrip(g);
            assertArrayEquals(new long[]{10, 100}, gb.sum().shape());
            assertTrue(Arrays.equals(g.sum().reshape(1000).toDoubleVector(), gb.sum().reshape(1000).toDoubleVector()));
            assertEquals(3.25, gb.lossSum());
            assertEquals(64, gb.count());
        }
    }

    @Test
    void viewsAndFortranOrderedArraysTravelAsTheirValues() throws Exception {
        INDArray base = Nd4j.rand(DataType.FLOAT, 20, 30);
        INDArray view = base.get(NDArrayIndex.interval(2, 7), NDArrayIndex.interval(3, 12));
        INDArray fortran = base.dup('f');
        for (INDArray a : new INDArray[]{view, fortran}) {
            INDArray back = ((RoundResult.Gradients) roundTrip(new RoundResult.Gradients(a, 0, 1))).sum();
            assertArrayEquals(a.shape(), back.shape());
            assertEquals(a, back);
        }
    }

    @Test
    void arraysTravelRawNotJavaSerialized() throws Exception {
        INDArray params = Nd4j.rand(DataType.FLOAT, 50_000);
        byte[] body = RoundWire.serialize(RoundRequest.synchronous(0, 1, params));
        String text = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertFalse(text.contains("NDArrayProxy") || text.contains("nativecpu") || text.contains("DataBuffer"),
                "no ND4J array or buffer is Java-serialized");
        // the array's 200,000 bytes plus a header of tens of bytes and the small Java-serialized rest
        assertTrue(body.length < 200_000 + 1_000, body.length + " bytes");
        java.nio.ByteBuffer raw = java.nio.ByteBuffer.wrap(body).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, raw.getInt(), "one array");
        raw.position(4 + 1 + 4 + 8 + 8); // type, rank, shape [50000], byte length
        assertEquals(params.getFloat(0), raw.getFloat(), "elements as little-endian floats, in order");
        assertEquals(params.getFloat(1), raw.getFloat());
    }

    @Test
    void optimizerStateScalarsAndEmptyArraysComeBack() throws Exception {
        INDArray delta = Nd4j.rand(DataType.DOUBLE, 3, 4);
        java.util.Map<String, INDArray> buffers = new java.util.TreeMap<>();
        buffers.put("0.weight/exp_avg", Nd4j.rand(DataType.DOUBLE, 3, 4));
        buffers.put("0.weight/scalar", Nd4j.scalar(DataType.DOUBLE, 2.5));
        buffers.put("0.weight/empty", Nd4j.create(DataType.DOUBLE, 0));
        dev.sparktrain.optim.StateDict state = new dev.sparktrain.optim.StateDict(java.util.List.of(),
                java.util.Map.of("0.weight", 3L), buffers);
        RoundResult.Averages back = (RoundResult.Averages) roundTrip(new RoundResult.Averages(delta, state, 1.5, 8));
        assertEquals(delta, back.deltaSum());
        assertEquals(buffers.get("0.weight/exp_avg"), back.stateSum().buffers().get("0.weight/exp_avg"));
        assertEquals(2.5, back.stateSum().buffers().get("0.weight/scalar").getDouble(0));
        assertEquals(0, back.stateSum().buffers().get("0.weight/empty").length());
        assertEquals(3L, back.stateSum().steps().get("0.weight"));
    }

    @Test
    void aCorruptOrTruncatedBodyIsAnErrorNotAnAllocation() throws Exception {
        byte[] body = RoundWire.serialize(RoundRequest.synchronous(0, 1, Nd4j.rand(DataType.FLOAT, 1000)));
        byte[] truncated = Arrays.copyOf(body, 2_000);
        IOException e = assertThrows(IOException.class,
                () -> RoundWire.deserialize(truncated, RoundWireTest.class.getClassLoader()));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        byte[] huge = body.clone();
        java.nio.ByteBuffer.wrap(huge).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(4 + 1 + 4, Long.MAX_VALUE / 8);
        assertThrows(IOException.class, () -> RoundWire.deserialize(huge, RoundWireTest.class.getClassLoader()));
        byte[] manyArrays = body.clone();
        java.nio.ByteBuffer.wrap(manyArrays).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, Integer.MAX_VALUE);
        assertThrows(IOException.class, () -> RoundWire.deserialize(manyArrays, RoundWireTest.class.getClassLoader()));
    }
}
