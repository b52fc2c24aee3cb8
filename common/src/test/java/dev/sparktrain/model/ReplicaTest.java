package dev.sparktrain.model;

import dev.sparktrain.data.ArrayDataset;
import dev.sparktrain.eval.Evaluation;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Also the home of shared test fixtures (public: other packages' tests use them). */
public class ReplicaTest {

    public static ModelSpec lenet(String dtype) {
        return new ModelSpec("lenet", List.of(), dtype, 1, 28, 28, 10, 7);
    }

    public static ArrayDataset randomData(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] f = new float[n * 784];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) rng.nextDouble();
        }
        int[] labels = new int[n];
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(10);
            ids[i] = i;
        }
        return new ArrayDataset(f, labels, ids, 1, 28, 28);
    }

    @Test
    void lenetHasTheClassicParameterCount() {
        // conv1 6*25+6=156, conv2 16*6*25+16=2416, fc1 16*4*4*120+120=30840, fc2 120*84+84=10164, fc3 84*10+10=850
        assertEquals(156 + 2416 + 30840 + 10164 + 850, new Replica(lenet("float32")).numParams());
    }

    @Test
    void weightsStartUniformInPlusMinusOneOverSqrtFanIn() {
        INDArray p = new Replica(lenet("float32")).params();
        // conv1 weights: fan_in = 1*5*5, so U(-0.2, 0.2): std 0.2/sqrt(3)
        INDArray conv1 = p.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(6, 156));
        assertEquals(0.2 / Math.sqrt(3), conv1.stdNumber().doubleValue(), 0.02);
        assertTrue(conv1.amaxNumber().doubleValue() <= 0.2);
    }

    @Test
    void gradientIsTheSumOverExamplesAndMatchesFiniteDifferences() {
        Replica r = new Replica(lenet("float64"));
        ArrayDataset data = randomData(4, 1);
        DataSet both = data.batch(new int[]{0, 1, 2, 3}, 10, DataType.DOUBLE);
        GradientSum all = r.gradientSum(both);
        GradientSum a = r.gradientSum(data.batch(new int[]{0, 1}, 10, DataType.DOUBLE));
        GradientSum b = r.gradientSum(data.batch(new int[]{2, 3}, 10, DataType.DOUBLE));
        INDArray sum = a.gradient().add(b.gradient());
        double maxAbs = all.gradient().amaxNumber().doubleValue();
        assertTrue(maxAbs > 0);
        assertEquals(0, all.gradient().sub(sum).amaxNumber().doubleValue() / maxAbs, 1e-10);
        assertEquals(a.lossSum() + b.lossSum(), all.lossSum(), 1e-9);

        // d(lossSum)/d(theta_i) by central differences on a few coordinates of every layer
        INDArray theta = r.params();
        double h = 1e-6;
        for (long i : new long[]{3, 200, 2600, 20_000, 40_000, 44_000}) {
            INDArray plus = theta.dup();
            plus.putScalar(i, theta.getDouble(i) + h);
            r.setParams(plus);
            double lp = r.gradientSum(both).lossSum();
            INDArray minus = theta.dup();
            minus.putScalar(i, theta.getDouble(i) - h);
            r.setParams(minus);
            double lm = r.gradientSum(both).lossSum();
            double numeric = (lp - lm) / (2 * h);
            double analytic = all.gradient().getDouble(i);
            assertEquals(numeric, analytic, 1e-5 * Math.max(1, Math.abs(numeric)), "coordinate " + i);
        }
    }

    @Test
    void evaluationCountsCorrectPredictions() {
        Replica r = new Replica(lenet("float32"));
        ArrayDataset data = randomData(50, 2);
        Evaluation e = r.evaluate(data.batch(java.util.stream.IntStream.range(0, 50).toArray(), 10, DataType.FLOAT));
        assertEquals(50, e.count());
        assertTrue(e.accuracy() >= 0 && e.accuracy() <= 1);
        // untrained softmax over 10 classes: loss near ln(10)
        assertEquals(Math.log(10), e.meanLoss(), 0.5);
    }
}
