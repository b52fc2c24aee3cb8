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
}
