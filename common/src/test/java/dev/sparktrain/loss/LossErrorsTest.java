package dev.sparktrain.loss;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input to the single-input losses throws IllegalArgumentException naming the shapes or the bad value. */
class LossErrorsTest {

    private static INDArray rand(long... shape) {
        return Nd4j.rand(DataType.DOUBLE, shape);
    }

    private static INDArray floats(double[] v, long... shape) {
        return Nd4j.createFromArray(v).reshape('c', shape);
    }

    private static void assertMessage(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
    }

    @Test
    void elementwiseLossesNameBothShapesWhenTheyDiffer() {
        List<Loss> losses = List.of(new MSELoss(), new L1Loss(), new SmoothL1Loss(), new BCELoss(),
                new BCEWithLogitsLoss(), new KLDivLoss(), new PoissonNLLLoss(), new SoftMarginLoss(),
                new HingeEmbeddingLoss(), new MultiLabelMarginLoss());
        for (Loss loss : losses) {
            assertMessage(() -> loss.forward(rand(4, 3), rand(4, 2)),
                    "input shape [4, 3] and target shape [4, 2] differ", loss.name());
        }
    }

    @Test
    void classLossesNameBothShapesWhenTheyDoNotMatch() {
        assertMessage(() -> new CrossEntropyLoss().forward(rand(4, 3), floats(new double[] {0, 1, 2}, 3)),
                "input shape [4, 3]", "target shape [3]", "[4]");
        assertMessage(() -> new NLLLoss().forward(rand(4, 3), rand(4, 3)), "input shape [4, 3]", "target shape [4, 3]");
        assertMessage(() -> new MultiMarginLoss().forward(rand(4, 3), floats(new double[] {0, 1}, 2)),
                "input shape [4, 3]", "target shape [2]");
    }

    @Test
    void classIndicesOutOfRangeNameTheValue() {
        INDArray bad = floats(new double[] {0, 7, 1, 2}, 4);
        assertMessage(() -> new CrossEntropyLoss().forward(rand(4, 3), bad), "Target 7 is out of bounds for 3 classes");
        assertMessage(() -> new NLLLoss().forward(rand(4, 3), bad), "Target 7 is out of bounds for 3 classes");
        assertMessage(() -> new MultiMarginLoss().forward(rand(4, 3), bad), "Target 7 is out of bounds for 3 classes");
        INDArray negative = floats(new double[] {0, -1, 1, 2}, 4);
        assertMessage(() -> new NLLLoss().forward(rand(4, 3), negative), "Target -1 is out of bounds");
        assertMessage(() -> new MultiLabelMarginLoss().forward(rand(1, 4), floats(new double[] {3, 4, -1, 0}, 1, 4)),
                "Target 4 is out of bounds for 4 classes");
        assertMessage(() -> new CrossEntropyLoss().forward(rand(4, 3), floats(new double[] {0, 1.5, 1, 2}, 4)),
                "1.5");
        // ignore_index is not out of range
        new CrossEntropyLoss(null, 7, Reduction.SUM, 0).forward(rand(4, 3), bad);
        assertMessage(() -> new CrossEntropyLoss(Nd4j.ones(DataType.DOUBLE, 2), -100, Reduction.MEAN, 0)
                .forward(rand(4, 3), floats(new double[] {0, 1, 1, 2}, 4)), "3 classes", "[2]");
    }

    @Test
    void bceRejectsProbabilitiesOutsideZeroOne() {
        assertMessage(() -> new BCELoss().forward(floats(new double[] {0.5, 1.25, 0.1}, 3), rand(3)),
                "all elements of input should be between 0 and 1", "1.25");
        assertMessage(() -> new BCELoss().forward(floats(new double[] {-0.5, 0.25, 0.1}, 3), rand(3)),
                "all elements of input should be between 0 and 1", "-0.5");
        assertMessage(() -> new BCELoss().forward(floats(new double[] {Double.NaN, 0.25, 0.1}, 3), rand(3)),
                "all elements of input should be between 0 and 1", "NaN");
    }

    @Test
    void badArgumentsAreRejected() {
        assertMessage(() -> new MSELoss(Reduction.BATCHMEAN), "batchmean");
        assertMessage(() -> new SmoothL1Loss(Reduction.MEAN, -1), "-1");
        assertMessage(() -> new CrossEntropyLoss(null, -100, Reduction.MEAN, 1.5), "1.5");
        assertMessage(() -> new MultiMarginLoss(3, 1, null, Reduction.MEAN), "3");
        assertMessage(() -> new MSELoss().forward(List.of(rand(2), rand(2)), rand(2)), "1 input");
        assertMessage(() -> new MSELoss().forward(Nd4j.ones(DataType.INT32, 2), rand(2)), "INT");
        assertMessage(() -> new BCEWithLogitsLoss(null, Reduction.MEAN, rand(2)).forward(rand(4, 3), rand(4, 3)),
                "pos_weight shape [2]", "[4, 3]");
    }
}
