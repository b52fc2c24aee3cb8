package dev.sparktrain.loss;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input to the multi-input losses throws IllegalArgumentException naming the shapes or values. */
class PairLossErrorsTest {

    private static void assertMessage(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message \"" + e.getMessage() + "\" lacks \"" + p + "\"");
        }
    }

    private static INDArray ones(long... shape) {
        return Nd4j.ones(DataType.DOUBLE, shape);
    }

    private static INDArray longs(long... v) {
        return Nd4j.createFromArray(v);
    }

    /** log_softmax of zeros: uniform over 5 classes, [T=8, N=2, C=5]. */
    private static INDArray logProbs() {
        return Nd4j.valueArrayOf(new long[]{8, 2, 5}, -Math.log(5), DataType.DOUBLE);
    }

    private static LossValue ctc(CTCLoss loss, long[] inLen, long[] tgLen, INDArray targets) {
        return loss.forward(List.of(logProbs(), longs(inLen), longs(tgLen)), targets);
    }

    @Test
    void marginRankingNamesBothShapesAndBadTargets() {
        MarginRankingLoss loss = new MarginRankingLoss();
        assertMessage(() -> loss.forward(List.of(ones(3), ones(4)), ones(3)), "x1", "[3]", "x2", "[4]");
        assertMessage(() -> loss.forward(List.of(ones(3), ones(3)), ones(4)), "[3]", "target", "[4]");
        INDArray y = Nd4j.createFromArray(1.0, 0.0, -1.0);
        assertMessage(() -> loss.forward(List.of(ones(3), ones(3)), y), "1 or -1", "target[1]", "0.0");
        assertMessage(() -> loss.forward(List.of(ones(3)), ones(3)), "2 tensor inputs", "1");
    }

    @Test
    void cosineEmbeddingNamesBothShapesAndBadTargets() {
        CosineEmbeddingLoss loss = new CosineEmbeddingLoss();
        assertMessage(() -> loss.forward(List.of(ones(3, 5), ones(3, 4)), ones(3)), "x1", "[3, 5]", "x2", "[3, 4]");
        assertMessage(() -> loss.forward(List.of(ones(3, 5), ones(3, 5)), ones(4)), "target", "[4]", "[3, 5]");
        INDArray y = Nd4j.createFromArray(1.0, -1.0, 2.0);
        assertMessage(() -> loss.forward(List.of(ones(3, 5), ones(3, 5)), y), "1 or -1", "target[2]", "2.0");
        assertMessage(() -> loss.forward(List.of(ones(2, 3, 5), ones(2, 3, 5)), ones(2)), "[2, 3, 5]");
    }

    @Test
    void tripletNamesTheMismatchedShapes() {
        TripletMarginLoss loss = new TripletMarginLoss();
        assertMessage(() -> loss.forward(List.of(ones(4, 5), ones(4, 5), ones(3, 5)), null),
                "anchor", "[4, 5]", "negative", "[3, 5]");
        assertMessage(() -> loss.forward(List.of(ones(4, 5), ones(4, 6), ones(4, 5)), null),
                "anchor", "[4, 5]", "positive", "[4, 6]");
        assertMessage(() -> loss.forward(List.of(ones(4, 5), ones(4, 5), ones(4, 5)), ones(4)), "no target", "[4]");
        assertMessage(() -> new TripletMarginLoss(1.0, -2.0), "p", "-2.0");
    }

    @Test
    void reductionBatchmeanIsRejected() {
        assertMessage(() -> new MarginRankingLoss(0, Reduction.BATCHMEAN), "batchmean");
        assertMessage(() -> new CTCLoss(0, Reduction.BATCHMEAN, false), "batchmean");
    }

    @Test
    void ctcTargetLongerThanInputNamesSampleAndBothLengths() {
        INDArray targets = Nd4j.createFromArray(new long[][]{{1, 2, 3}, {1, 2, 3}});
        assertMessage(() -> ctc(new CTCLoss(), new long[]{8, 2}, new long[]{3, 3}, targets),
                "sample 1", "target length 3", "input length 2");
    }

    @Test
    void ctcBlankOutOfRange() {
        INDArray targets = Nd4j.createFromArray(new long[][]{{1, 2}, {1, 2}});
        assertMessage(() -> ctc(new CTCLoss(5), new long[]{8, 8}, new long[]{2, 2}, targets),
                "blank = 5", "[0, 5)", "[8, 2, 5]");
        assertMessage(() -> new CTCLoss(-1), "blank", "-1");
    }

    @Test
    void ctcLabelOutOfRangeOrBlank() {
        INDArray padded = Nd4j.createFromArray(new long[][]{{1, 2}, {1, 7}});
        assertMessage(() -> ctc(new CTCLoss(), new long[]{8, 8}, new long[]{2, 2}, padded),
                "targets[1, 1] = 7", "[0, 5)");
        INDArray negative = Nd4j.createFromArray(new long[][]{{1, -1}, {1, 2}});
        assertMessage(() -> ctc(new CTCLoss(), new long[]{8, 8}, new long[]{2, 2}, negative),
                "targets[0, 1] = -1", "[0, 5)");
        INDArray withBlank = Nd4j.createFromArray(new long[][]{{1, 2}, {0, 2}});
        assertMessage(() -> ctc(new CTCLoss(), new long[]{8, 8}, new long[]{2, 2}, withBlank),
                "targets[1, 0] = 0", "equals blank = 0");
        INDArray concatBlank = Nd4j.createFromArray(1L, 2L, 3L, 4L);
        assertMessage(() -> ctc(new CTCLoss(4), new long[]{8, 8}, new long[]{1, 3}, concatBlank),
                "targets[3] (sample 1) = 4", "equals blank = 4");
        // padding after a target's length is not checked, as in PyTorch
        INDArray paddingGarbage = Nd4j.createFromArray(new long[][]{{1, 99}, {2, -5}});
        assertEquals(2, ctc(new CTCLoss(0, Reduction.NONE, false), new long[]{8, 8}, new long[]{1, 1},
                paddingGarbage).value().length());
    }

    @Test
    void ctcInputLengthsLongerThanT() {
        INDArray targets = Nd4j.createFromArray(new long[][]{{1, 2}, {1, 2}});
        assertMessage(() -> ctc(new CTCLoss(), new long[]{8, 9}, new long[]{2, 2}, targets),
                "input_lengths[1] = 9", "T = 8", "[8, 2, 5]");
    }

    @Test
    void ctcShapesOfLengthsAndTargets() {
        INDArray targets = Nd4j.createFromArray(new long[][]{{1, 2}, {1, 2}});
        assertMessage(() -> ctc(new CTCLoss(), new long[]{8, 8, 8}, new long[]{2, 2}, targets),
                "input_lengths", "[2]", "[3]");
        assertMessage(() -> ctc(new CTCLoss(), new long[]{8, 8}, new long[]{2, 3}, targets),
                "padded targets", "S >= 3", "[2, 2]");
        assertMessage(() -> ctc(new CTCLoss(), new long[]{8, 8}, new long[]{2, 3}, longs(1, 2, 3, 4)),
                "sum(target_lengths) = 5", "[4]");
        assertMessage(() -> ctc(new CTCLoss(), new long[]{8, 8}, new long[]{-1, 2}, targets),
                "target_lengths[0] = -1", "negative");
        assertMessage(() -> new CTCLoss().forward(List.of(ones(8, 5), longs(8), longs(2)), targets),
                "[T, N, C]", "[8, 5]");
    }
}
