package dev.sparktrain.loss.examples;

import dev.sparktrain.data.ArrayDataset;
import dev.sparktrain.data.format.IdxReader;
import dev.sparktrain.loss.CosineEmbeddingLoss;
import dev.sparktrain.train.ExternalLossTrainer;
import dev.sparktrain.loss.Loss;
import dev.sparktrain.loss.MarginRankingLoss;
import dev.sparktrain.loss.TripletMarginLoss;
import dev.sparktrain.optim.OptimizerSpec;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Example: a siamese MLP tower (784 -> 128 -> 32 embedding) on real Fashion-MNIST, trained through
 * {@link ExternalLossTrainer} with multi-input losses: CosineEmbeddingLoss on "same class or not" pairs
 * (PyTorch: {@code loss = crit(net(x1), net(x2), y)}, the same network on both inputs, as one batch),
 * TripletMarginLoss on (anchor, positive, negative) triplets and MarginRankingLoss on distance pairs.
 * Pairs for training come from images 0..2999, held-out pairs from images 3000..3999.
 */
class SiamesePairsExampleTest {
    private static final String IMAGES = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";
    private static final String LABELS = "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz";
    private static final int BATCH = 100;

    private static ArrayDataset data;
    private static INDArray x; // [4000, 784] float

    @BeforeAll
    static void load() {
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(Files.exists(Path.of(IMAGES)) && Files.exists(Path.of(LABELS)),
                    "Fashion-MNIST not found at " + IMAGES);
        }
        data = IdxReader.read("file://" + IMAGES, "file://" + LABELS, 4000, 10);
        int[] all = new int[data.size()];
        Arrays.setAll(all, i -> i);
        x = data.batch(all, 10, DataType.FLOAT).getFeatures();
    }

    static MultiLayerNetwork tower(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(128).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(128).nOut(32).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Image indices in [from, to) by class. */
    private static List<List<Integer>> byClass(int from, int to) {
        List<List<Integer>> c = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            c.add(new ArrayList<>());
        }
        for (int i = from; i < to; i++) {
            c.get(data.label(i)).add(i);
        }
        return c;
    }

    private static int other(Random r, List<List<Integer>> cls, int label) {
        int k;
        do {
            k = r.nextInt(10);
        } while (k == label);
        List<Integer> l = cls.get(k);
        return l.get(r.nextInt(l.size()));
    }

    private static int same(Random r, List<List<Integer>> cls, int label, int not) {
        List<Integer> l = cls.get(label);
        int j;
        do {
            j = l.get(r.nextInt(l.size()));
        } while (j == not);
        return j;
    }

    /** {first[], second[], y[]}: half same-class pairs (y = 1), half different-class (y = -1). */
    private static int[][] pairs(int count, int from, int to, long seed) {
        Random r = new Random(seed);
        List<List<Integer>> cls = byClass(from, to);
        int[][] p = new int[3][count];
        for (int i = 0; i < count; i++) {
            int a = from + r.nextInt(to - from);
            boolean sameClass = i % 2 == 0;
            p[0][i] = a;
            p[1][i] = sameClass ? same(r, cls, data.label(a), a) : other(r, cls, data.label(a));
            p[2][i] = sameClass ? 1 : -1;
        }
        return p;
    }

    /** {anchor[], positive[], negative[]}. */
    private static int[][] triplets(int count, int from, int to, long seed) {
        Random r = new Random(seed);
        List<List<Integer>> cls = byClass(from, to);
        int[][] t = new int[3][count];
        for (int i = 0; i < count; i++) {
            int a = from + r.nextInt(to - from);
            t[0][i] = a;
            t[1][i] = same(r, cls, data.label(a), a);
            t[2][i] = other(r, cls, data.label(a));
        }
        return t;
    }

    private static INDArray rows(int[] idx, int from, int to) {
        return x.getRows(Arrays.copyOfRange(idx, from, to));
    }

    private static INDArray target(int[] y, int from, int to) {
        float[] v = new float[to - from];
        for (int i = from; i < to; i++) {
            v[i - from] = y[i];
        }
        return Nd4j.createFromArray(v);
    }

    /** Mean loss over all tuples (forward only), the loss taking the embeddings of tuple members 0..k-1. */
    private static double meanLoss(ExternalLossTrainer t, Loss loss, int[][] tuples, int k, int[] y) {
        double sum = 0;
        int n = tuples[0].length;
        for (int b = 0; b < n; b += BATCH) {
            int e = Math.min(n, b + BATCH);
            List<INDArray> in = new ArrayList<>();
            for (int m = 0; m < k; m++) {
                in.add(rows(tuples[m], b, e));
            }
            sum += t.loss(in, ExternalLossTrainer.of(loss, y == null ? null : target(y, b, e))) * (e - b);
        }
        return sum / n;
    }

    private static void trainEpoch(ExternalLossTrainer t, Loss loss, int[][] tuples, int k, int[] y) {
        int n = tuples[0].length;
        for (int b = 0; b < n; b += BATCH) {
            int e = Math.min(n, b + BATCH);
            List<INDArray> in = new ArrayList<>();
            for (int m = 0; m < k; m++) {
                in.add(rows(tuples[m], b, e));
            }
            t.step(in, loss, y == null ? null : target(y, b, e));
        }
    }

    /** {mean cosine of same-class pairs, mean cosine of different-class pairs} on the given pairs. */
    private static double[] cosineBySameness(ExternalLossTrainer t, int[][] p) {
        INDArray e1 = t.output(x.getRows(p[0]));
        INDArray e2 = t.output(x.getRows(p[1]));
        INDArray cos = e1.mul(e2).sum(1).div(e1.norm2(1).mul(e2.norm2(1)).add(1e-12));
        double[] sum = new double[2];
        int[] count = new int[2];
        for (int i = 0; i < p[2].length; i++) {
            int g = p[2][i] == 1 ? 0 : 1;
            sum[g] += cos.getDouble(i);
            count[g]++;
        }
        return new double[]{sum[0] / count[0], sum[1] / count[1]};
    }

    @Test
    void cosineEmbeddingLossSeparatesSameFromDifferentClassPairs() {
        long start = System.nanoTime();
        ExternalLossTrainer t = new ExternalLossTrainer(tower(42), OptimizerSpec.adam(1e-3, 0.9, 0.999, 1e-8, 0));
        Loss loss = new CosineEmbeddingLoss(0.5);
        int[][] train = pairs(2000, 0, 3000, 1);
        int[][] test = pairs(1000, 3000, 4000, 2);
        double[] cos0 = cosineBySameness(t, test);
        double before = meanLoss(t, loss, train, 2, train[2]);
        for (int epoch = 0; epoch < 8; epoch++) {
            trainEpoch(t, loss, train, 2, train[2]);
        }
        double after = meanLoss(t, loss, train, 2, train[2]);
        double heldOut = meanLoss(t, loss, test, 2, test[2]);
        double[] cos = cosineBySameness(t, test);
        System.out.printf("siamese cosine: train loss %.4f -> %.4f, held-out loss %.4f; held-out mean cos same %.3f"
                        + " different %.3f (before training %.3f / %.3f); %.1f s%n", before, after, heldOut, cos[0],
                cos[1], cos0[0], cos0[1], (System.nanoTime() - start) / 1e9);
        assertTrue(after < 0.6 * before, "loss " + before + " -> " + after);
        assertTrue(cos[0] - cos[1] > 0.3, "held-out cos same " + cos[0] + " vs different " + cos[1]);
    }

    @Test
    void tripletMarginLossTrains() {
        long start = System.nanoTime();
        ExternalLossTrainer t = new ExternalLossTrainer(tower(7), OptimizerSpec.adam(1e-3, 0.9, 0.999, 1e-8, 0));
        Loss loss = new TripletMarginLoss(1.0, 2.0);
        int[][] train = triplets(2000, 0, 3000, 3);
        int[][] test = triplets(1000, 3000, 4000, 4);
        double before = meanLoss(t, loss, train, 3, null);
        double testBefore = meanLoss(t, loss, test, 3, null);
        for (int epoch = 0; epoch < 5; epoch++) {
            trainEpoch(t, loss, train, 3, null);
        }
        double after = meanLoss(t, loss, train, 3, null);
        double testAfter = meanLoss(t, loss, test, 3, null);
        INDArray a = t.output(x.getRows(test[0]));
        INDArray p = t.output(x.getRows(test[1]));
        INDArray n = t.output(x.getRows(test[2]));
        INDArray dp = Transforms.sqrt(a.sub(p).mul(a.sub(p)).sum(1), false);
        INDArray dn = Transforms.sqrt(a.sub(n).mul(a.sub(n)).sum(1), false);
        double ordered = dp.lt(dn).castTo(DataType.INT).sumNumber().doubleValue() / test[0].length;
        System.out.printf("triplet: train loss %.4f -> %.4f, held-out %.4f -> %.4f, held-out d(a,p) < d(a,n) for"
                + " %.3f; %.1f s%n", before, after, testBefore, testAfter, ordered, (System.nanoTime() - start) / 1e9);
        assertTrue(after < 0.6 * before, "loss " + before + " -> " + after);
        assertTrue(testAfter < 0.8 * testBefore, "held-out loss " + testBefore + " -> " + testAfter);
        assertTrue(ordered > 0.8, "held-out triplets ordered: " + ordered);
    }

    @Test
    void marginRankingLossOnEmbeddingDistancesTrains() {
        // rank the distance to a negative above the distance to a positive:
        // crit(d(a,n), d(a,p), 1) with d the squared distance computed from the tower's outputs
        long start = System.nanoTime();
        ExternalLossTrainer t = new ExternalLossTrainer(tower(9), OptimizerSpec.adam(1e-3, 0.9, 0.999, 1e-8, 0));
        MarginRankingLoss ranking = new MarginRankingLoss(1.0);
        ExternalLossTrainer.Objective obj = outs -> {
            INDArray a = outs.get(0);
            INDArray dap = a.sub(outs.get(1));
            INDArray dan = a.sub(outs.get(2));
            INDArray dPos = dap.mul(dap).sum(1);
            INDArray dNeg = dan.mul(dan).sum(1);
            INDArray y = Nd4j.ones(a.dataType(), a.size(0));
            var v = ranking.forward(List.of(dNeg, dPos), y);
            INDArray gNeg = v.gradients().get(0).reshape(a.size(0), 1);
            INDArray gPos = v.gradients().get(1).reshape(a.size(0), 1);
            // d/d a of |a-p|^2 = 2(a-p); d/d p = -2(a-p); likewise for n
            INDArray ga = dap.mulColumnVector(gPos).mul(2).add(dan.mulColumnVector(gNeg).mul(2));
            INDArray gp = dap.mulColumnVector(gPos).mul(-2);
            INDArray gn = dan.mulColumnVector(gNeg).mul(-2);
            return new dev.sparktrain.loss.LossValue(v.value(), List.of(ga, gp, gn));
        };
        int[][] train = triplets(2000, 0, 3000, 5);
        double before = 0;
        double after = 0;
        for (int epoch = 0; epoch < 6; epoch++) {
            double sum = 0;
            for (int b = 0; b < 2000; b += BATCH) {
                List<INDArray> in = List.of(rows(train[0], b, b + BATCH), rows(train[1], b, b + BATCH),
                        rows(train[2], b, b + BATCH));
                if (epoch == 0) {
                    before += t.loss(in, obj) / 20;
                }
                sum += t.step(in, obj);
            }
            after = sum / 20;
        }
        System.out.printf("margin ranking: loss %.4f -> %.4f (last epoch mean); %.1f s%n", before, after,
                (System.nanoTime() - start) / 1e9);
        assertTrue(after < 0.6 * before, "loss " + before + " -> " + after);
    }
}
