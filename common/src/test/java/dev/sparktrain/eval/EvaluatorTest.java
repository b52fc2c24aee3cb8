package dev.sparktrain.eval;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each target kind against figures worked out by hand here (confusion matrices counted from the rows
 * below, scikit-learn's formulas written out), including the two that argmax over outputs and labels
 * got wrong: one sigmoid output (always "right") and class-index labels (always "class 0").
 */
class EvaluatorTest {
    private static INDArray m(double[][] rows) {
        return Nd4j.createFromArray(rows).castTo(DataType.DOUBLE);
    }

    // 3 classes, 8 examples. actual: 0 0 0 1 1 2 2 2; predicted (argmax): 0 1 0 1 2 2 2 0
    private static final double[][] PROBS = {
            {0.7, 0.2, 0.1}, {0.3, 0.6, 0.1}, {0.5, 0.4, 0.1}, {0.1, 0.8, 0.1},
            {0.2, 0.3, 0.5}, {0.1, 0.1, 0.8}, {0.3, 0.3, 0.4}, {0.6, 0.2, 0.2}};
    private static final int[] ACTUAL = {0, 0, 0, 1, 1, 2, 2, 2};
    private static final long[][] CONFUSION = {{2, 1, 0}, {0, 1, 1}, {1, 0, 2}};

    private static double[][] oneHot(int[] labels, int k) {
        double[][] y = new double[labels.length][k];
        for (int i = 0; i < labels.length; i++) {
            y[i][labels[i]] = 1;
        }
        return y;
    }

    private static double[][] column(int[] labels) {
        double[][] y = new double[labels.length][1];
        for (int i = 0; i < labels.length; i++) {
            y[i][0] = labels[i];
        }
        return y;
    }

    @Test
    void multiClassCountsTheConfusionMatrixWithOneHotOrIndexLabels() {
        Evaluator softmax = new Evaluator(TargetKind.MULTICLASS, 3, OutputForm.PROBABILITIES, 0.5);
        Evaluation oneHot = softmax.evaluate(m(PROBS), m(oneHot(ACTUAL, 3)), 4.0);
        Evaluation index = softmax.evaluate(m(PROBS), m(column(ACTUAL)), 4.0);
        assertArrayEquals(CONFUSION, oneHot.confusion());
        assertArrayEquals(CONFUSION, index.confusion(), "index labels are classes, not 'class 0'");
        assertEquals(5.0 / 8, oneHot.accuracy(), 1e-15);
        assertEquals(5.0 / 8, index.accuracy(), 1e-15);
        assertEquals(0.5, oneHot.meanLoss(), 1e-15);

        // per class: precision tp/(tp+fp) (column), recall tp/(tp+fn) (row), f1 2pr/(p+r), support row sum
        List<ClassMetrics> c = oneHot.perClass();
        double[][] expected = {{2.0 / 3, 2.0 / 3, 3}, {1.0 / 2, 1.0 / 2, 2}, {2.0 / 3, 2.0 / 3, 3}};
        for (int k = 0; k < 3; k++) {
            double p = expected[k][0];
            double r = expected[k][1];
            assertEquals(p, c.get(k).precision(), 1e-15, "precision of " + k);
            assertEquals(r, c.get(k).recall(), 1e-15, "recall of " + k);
            assertEquals(2 * p * r / (p + r), c.get(k).f1(), 1e-15, "f1 of " + k);
            assertEquals((long) expected[k][2], c.get(k).support());
        }
        ClassMetrics macro = EvaluationReport.macro(c);
        ClassMetrics weighted = EvaluationReport.weighted(c);
        assertEquals((2.0 / 3 + 0.5 + 2.0 / 3) / 3, macro.precision(), 1e-15);
        assertEquals((3 * 2.0 / 3 + 2 * 0.5 + 3 * 2.0 / 3) / 8, weighted.recall(), 1e-15);
        assertEquals(8, weighted.support());
    }

    @Test
    void crossEntropyLogitsAndNllLogProbabilitiesGiveTheSameClassesAsProbabilities() {
        INDArray probs = m(PROBS);
        Evaluation logits = Evaluator.forLoss("cross_entropy", Map.of(), 3).evaluate(
                org.nd4j.linalg.ops.transforms.Transforms.log(probs, true).addi(1.7), m(column(ACTUAL)), 0);
        Evaluation logProbs = Evaluator.forLoss("nll", Map.of(), 3).evaluate(
                org.nd4j.linalg.ops.transforms.Transforms.log(probs, true), m(column(ACTUAL)), 0);
        assertArrayEquals(CONFUSION, logits.confusion());
        assertArrayEquals(CONFUSION, logProbs.confusion());
        // scores are the probabilities again
        assertEquals(0.7, Evaluator.forLoss("nll", Map.of(), 3).scores(
                org.nd4j.linalg.ops.transforms.Transforms.log(probs, true)).getDouble(0, 0), 1e-12);
        assertEquals(0.7, Evaluator.forLoss("cross_entropy", Map.of(), 3).scores(
                org.nd4j.linalg.ops.transforms.Transforms.log(probs, true).addi(1.7)).getDouble(0, 0), 1e-12);
    }

    @Test
    void oneSigmoidOutputIsThresholdedAtOneHalfNotArgmaxed() {
        // p: 0.9 0.4 0.6 0.2 0.51 0.49; actual 1 1 0 0 1 0 -> predicted 1 0 1 0 1 0
        double[][] p = {{0.9}, {0.4}, {0.6}, {0.2}, {0.51}, {0.49}};
        double[][] y = {{1}, {1}, {0}, {0}, {1}, {0}};
        Evaluator bce = Evaluator.forLoss("bce", Map.of(), 1);
        assertEquals(TargetKind.BINARY, bce.kind());
        Evaluation e = bce.evaluate(m(p), m(y), 0);
        // rows actual 0/1, columns predicted 0/1: tn=2, fp=1, fn=1, tp=2
        assertArrayEquals(new long[][]{{2, 1}, {1, 2}}, e.confusion());
        assertEquals(4.0 / 6, e.accuracy(), 1e-15);
        assertEquals(2.0 / 3, e.perClass().get(1).precision(), 1e-15);
        assertEquals(2.0 / 3, e.perClass().get(1).recall(), 1e-15);

        // the same decisions from logits (threshold 0) and from -1/+1 labels (soft margin)
        double[][] logits = new double[p.length][1];
        double[][] signs = new double[p.length][1];
        for (int i = 0; i < p.length; i++) {
            logits[i][0] = Math.log(p[i][0] / (1 - p[i][0]));
            signs[i][0] = y[i][0] == 1 ? 1 : -1;
        }
        assertArrayEquals(e.confusion(), Evaluator.forLoss("bce_with_logits", Map.of(), 1)
                .evaluate(m(logits), m(y), 0).confusion());
        assertArrayEquals(e.confusion(), Evaluator.forLoss("soft_margin", Map.of(), 1)
                .evaluate(m(logits), m(signs), 0).confusion());
    }

    @Test
    void multiLabelDecidesEachLabelOnItsOwn() {
        double[][] p = {{0.9, 0.1, 0.8}, {0.2, 0.7, 0.4}, {0.6, 0.6, 0.6}, {0.1, 0.2, 0.3}};
        double[][] y = {{1, 0, 1}, {0, 1, 1}, {1, 0, 0}, {0, 0, 0}};
        Evaluation e = Evaluator.forLoss("bce", Map.of(), 3).evaluate(m(p), m(y), 0);
        assertEquals(TargetKind.MULTILABEL, e.kind());
        // label 0: predicted 1 0 1 0, actual 1 0 1 0 -> tp 2 fp 0 fn 0 tn 2
        // label 1: predicted 0 1 1 0, actual 0 1 0 0 -> tp 1 fp 1 fn 0 tn 2
        // label 2: predicted 1 0 1 0, actual 1 1 0 0 -> tp 1 fp 1 fn 1 tn 1
        assertArrayEquals(new long[][]{{2, 0, 0, 2}, {1, 1, 0, 2}, {1, 1, 1, 1}}, e.confusion());
        assertEquals(9.0 / 12, e.accuracy(), 1e-15);
        assertEquals(2.0 / 4, e.exactMatch(), 1e-15, "rows 1 and 4 are right on every label");
        assertEquals(0.5, e.perClass().get(2).precision(), 1e-15);
        assertEquals(2, e.perClass().get(2).support());
    }

    @Test
    void regressionHasMseMaeAndR2AndShardsAddUpToTheWhole() {
        double[][] pred = {{2.5, 0.0}, {0.0, 1.0}, {2.0, 2.0}, {8.0, 5.0}};
        double[][] y = {{3.0, -0.5}, {-0.5, 1.0}, {2.0, 3.0}, {7.0, 4.0}};
        Evaluator mse = Evaluator.forLoss("mse", Map.of(), 2);
        Evaluation whole = mse.evaluate(m(pred), m(y), 0);
        // errors: (-0.5, 0.5) (0.5, 0) (0, -1) (1, 1)
        assertEquals((0.25 + 0.25 + 0.25 + 0 + 0 + 1 + 1 + 1) / 8, whole.mse(), 1e-15);
        assertEquals((0.5 + 0.5 + 0.5 + 0 + 0 + 1 + 1 + 1) / 8, whole.mae(), 1e-15);
        // R² per output: 1 - SS_res / SS_tot, mean 2.875 and 1.875
        double tot0 = sq(3 - 2.875) + sq(-0.5 - 2.875) + sq(2 - 2.875) + sq(7 - 2.875);
        double tot1 = sq(-0.5 - 1.875) + sq(1 - 1.875) + sq(3 - 1.875) + sq(4 - 1.875);
        double r2 = ((1 - 1.5 / tot0) + (1 - 2.25 / tot1)) / 2;
        assertEquals(r2, whole.r2(), 1e-14);
        assertTrue(Double.isNaN(whole.accuracy()));

        Evaluation first = mse.evaluate(m(new double[][]{pred[0]}), m(new double[][]{y[0]}), 0);
        Evaluation rest = mse.evaluate(m(new double[][]{pred[1], pred[2], pred[3]}),
                m(new double[][]{y[1], y[2], y[3]}), 0);
        Evaluation merged = Evaluation.EMPTY.plus(rest).plus(first);
        assertEquals(whole.mse(), merged.mse(), 1e-15);
        assertEquals(whole.r2(), merged.r2(), 1e-14);
        assertEquals(4, merged.count());
    }

    @Test
    void poissonWithLogInputPredictsTheRate() {
        Evaluation e = Evaluator.forLoss("poisson_nll", Map.of(), 1).evaluate(m(new double[][]{{Math.log(3)}}),
                m(new double[][]{{2}}), 0);
        assertEquals(1.0, e.mse(), 1e-12);
        assertEquals(1.0, Evaluator.forLoss("poisson_nll", Map.of("log_input", false), 1)
                .evaluate(m(new double[][]{{3}}), m(new double[][]{{2}}), 0).mse(), 1e-15);
    }

    @Test
    void aLabelOutsideTheClassesAndMixedKindsAreRefused() {
        Evaluator softmax = new Evaluator(TargetKind.MULTICLASS, 3, OutputForm.PROBABILITIES, 0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> softmax.evaluate(m(new double[][]{{1, 0, 0}}), m(new double[][]{{5}}), 0));
        assertEquals("label 5 is outside [0, 3)", e.getMessage());
        Evaluation regression = Evaluator.forLoss("mse", Map.of(), 3).evaluate(m(PROBS), m(PROBS), 0);
        assertThrows(IllegalArgumentException.class, () -> regression.plus(softmax.evaluate(m(PROBS),
                m(column(ACTUAL)), 0)));
    }

    @Test
    void theReportCarriesEveryFigure() {
        Evaluation e = new Evaluator(TargetKind.MULTICLASS, 3, OutputForm.PROBABILITIES, 0.5)
                .evaluate(m(PROBS), m(column(ACTUAL)), 4.0);
        Map<String, Object> json = EvaluationReport.json(e);
        assertEquals(List.of("target", "examples", "loss", "accuracy", "per_class", "macro_avg", "weighted_avg",
                "confusion_matrix"), List.copyOf(json.keySet()));
        assertEquals("multiclass", json.get("target"));
        String text = EvaluationReport.text(e);
        assertTrue(text.startsWith("multiclass target, 8 examples  loss 0.5000  accuracy 0.6250"), text);
        assertTrue(text.contains("       2       1       0"), text);
    }

    private static double sq(double v) {
        return v * v;
    }
}
