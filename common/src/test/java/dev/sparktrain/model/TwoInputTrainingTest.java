package dev.sparktrain.model;

import dev.sparktrain.eval.Evaluation;
import dev.sparktrain.optim.GroupedOptimizer;
import dev.sparktrain.optim.OptimizerSpec;
import dev.sparktrain.optim.Optimizers;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A two-input model (image branch + vector branch, merged) trained in one process with the
 * project's optimizer, on a task that needs both inputs: the image shows a bright quadrant
 * {@code a} (0..3), the vector is a noisy one-hot code {@code b} (0..3), and the label is
 * {@code (a + b) mod 4}. a and b are drawn independently and uniformly, so given one input alone the
 * label is still uniform over 4 classes: no model seeing one input can beat 0.25 accuracy.
 */
class TwoInputTrainingTest {
    private static final int SIZE = 8;

    /** n examples: images [n, 64], vectors [n, 4], one-hot labels [n, 4]. */
    static MultiDataSet task(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] image = new float[n * SIZE * SIZE];
        float[] vector = new float[n * 4];
        float[] labels = new float[n * 4];
        for (int i = 0; i < n; i++) {
            int a = rng.nextInt(4);
            int b = rng.nextInt(4);
            for (int r = 0; r < SIZE; r++) {
                for (int c = 0; c < SIZE; c++) {
                    boolean bright = (r / 4) * 2 + c / 4 == a;
                    image[i * SIZE * SIZE + r * SIZE + c] = (float) ((bright ? 0.6 : 0.0) + 0.4 * rng.nextDouble());
                }
            }
            for (int k = 0; k < 4; k++) {
                vector[i * 4 + k] = (float) ((k == b ? 1.0 : 0.0) + 0.4 * (rng.nextDouble() - 0.5));
            }
            labels[i * 4 + (a + b) % 4] = 1f;
        }
        return new MultiDataSet(new INDArray[]{Nd4j.create(image, new long[]{n, SIZE * SIZE}, 'c'),
                Nd4j.create(vector, new long[]{n, 4}, 'c')}, new INDArray[]{Nd4j.create(labels, new long[]{n, 4}, 'c')});
    }

    private static MultiDataSet rows(MultiDataSet m, int[] idx) {
        INDArray[] f = {m.getFeatures(0).getRows(idx), m.getFeatures(1).getRows(idx)};
        return new MultiDataSet(f, new INDArray[]{m.getLabels(0).getRows(idx)});
    }

    @Test
    void aTwoInputModelLearnsATaskThatNeedsBothInputs() {
        MultiDataSet train = task(1_024, 1);
        MultiDataSet test = task(500, 2);
        Replica r = new Replica(GraphZoo.imageAndVector(1, SIZE, SIZE, 4, 32, 4, 11, "float32"));
        GroupedOptimizer optimizer = Optimizers.create(OptimizerSpec.adam(0.01, 0.9, 0.999, 1e-8, 0), r.layout());
        INDArray theta = r.params();
        int batch = 32;
        int n = (int) train.getFeatures(0).size(0);
        SplittableRandom order = new SplittableRandom(3);
        double firstLoss = Double.NaN;
        for (int epoch = 0; epoch < 2; epoch++) {
            int[] perm = permutation(n, order);
            for (int from = 0; from < n; from += batch) {
                int[] idx = java.util.Arrays.copyOfRange(perm, from, Math.min(from + batch, n));
                r.setParams(theta);
                GradientSum g = r.gradientSum(rows(train, idx));
                if (Double.isNaN(firstLoss)) {
                    firstLoss = g.lossSum() / g.count();
                }
                optimizer.step(theta, g.gradient().divi(g.count())); // the mean gradient, as the driver steps
            }
        }
        r.setParams(theta);
        Evaluation both = r.evaluate(test);
        // the same test examples with one input taken from another example (a random permutation):
        // that input then carries nothing about the label, as if the model saw the other input alone
        int m = (int) test.getFeatures(0).size(0);
        int[] perm = permutation(m, new SplittableRandom(4));
        Evaluation imageOnly = r.evaluate(new MultiDataSet(new INDArray[]{test.getFeatures(0),
                test.getFeatures(1).getRows(perm)}, test.getLabels()));
        Evaluation vectorOnly = r.evaluate(new MultiDataSet(new INDArray[]{test.getFeatures(0).getRows(perm),
                test.getFeatures(1)}, test.getLabels()));
        System.out.printf("two-input task: first loss %.3f, test loss %.3f, accuracy with both inputs %.3f, "
                        + "with the vector scrambled %.3f, with the image scrambled %.3f%n", firstLoss, both.meanLoss(),
                both.accuracy(), imageOnly.accuracy(), vectorOnly.accuracy());
        assertTrue(both.accuracy() > 0.9, "accuracy with both inputs " + both.accuracy());
        assertTrue(imageOnly.accuracy() < 0.4 && vectorOnly.accuracy() < 0.4,
                "scrambling either input must bring accuracy to chance (0.25): " + imageOnly.accuracy() + ", "
                        + vectorOnly.accuracy());
        assertTrue(both.meanLoss() < 0.5 * firstLoss, "loss " + firstLoss + " -> " + both.meanLoss());
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = java.util.stream.IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
