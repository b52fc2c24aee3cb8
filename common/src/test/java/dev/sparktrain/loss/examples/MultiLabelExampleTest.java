package dev.sparktrain.loss.examples;

import dev.sparktrain.loss.BCEWithLogitsLoss;
import dev.sparktrain.train.ExternalLossTrainer;
import dev.sparktrain.loss.Loss;
import dev.sparktrain.loss.Losses;
import dev.sparktrain.optim.OptimizerSpec;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Example: multi-label classification on synthetic data: 16 Gaussian features, 5 labels, label j present
 * when a fixed random linear score {@code w_j . x + b_j} is positive. An MLP (16 -> 32 -> 5 scores) is
 * trained with BCEWithLogitsLoss (targets: 0/1 per label; prediction: score > 0) and, where the package
 * registers it, with MultiLabelMarginLoss (targets: the present labels' indices padded with -1). The margin
 * loss only ranks a sample's present labels above its absent ones and is invariant to shifting all of a
 * sample's scores, so its task metric is the ranking accuracy (present-above-absent pairs); per-label
 * decisions use the sample-centred score against a per-label threshold fitted on the training set, and
 * reach about 0.85 (vs 0.98 for BCE, whose scores are calibrated at 0).
 */
class MultiLabelExampleTest {
    static final int D = 16;
    static final int L = 5;
    static final int BATCH = 64;

    /** {features [n, D], 0/1 labels [n, L]} from the fixed labelling rule. */
    static INDArray[] data(int n, long seed) {
        Random rule = new Random(99); // the same rule for training and held-out data
        double[][] w = new double[L][D];
        double[] bias = new double[L];
        for (int j = 0; j < L; j++) {
            for (int k = 0; k < D; k++) {
                w[j][k] = rule.nextGaussian();
            }
            bias[j] = 0.5 * rule.nextGaussian();
        }
        Random r = new Random(seed);
        float[] x = new float[n * D];
        float[] y = new float[n * L];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < D; k++) {
                x[i * D + k] = (float) r.nextGaussian();
            }
            for (int j = 0; j < L; j++) {
                double s = bias[j];
                for (int k = 0; k < D; k++) {
                    s += w[j][k] * x[i * D + k];
                }
                y[i * L + j] = s > 0 ? 1f : 0f;
            }
        }
        return new INDArray[]{Nd4j.create(x, new long[]{n, D}, 'c'), Nd4j.create(y, new long[]{n, L}, 'c')};
    }

    /** MultiLabelMarginLoss targets: each row's present labels first, then -1. */
    static INDArray marginTargets(INDArray y) {
        int n = (int) y.size(0);
        float[] t = new float[n * L];
        Arrays.fill(t, -1f);
        for (int i = 0; i < n; i++) {
            int k = 0;
            for (int j = 0; j < L; j++) {
                if (y.getDouble(i, j) > 0.5) {
                    t[i * L + k++] = j;
                }
            }
        }
        return Nd4j.create(t, new long[]{n, L}, 'c');
    }

    static MultiLayerNetwork net(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(D).nOut(32).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(32).nOut(L).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    interface Targets {
        INDArray of(INDArray y01);
    }

    /** Trains 30 epochs; returns {initial loss, final loss} over the training set. */
    static double[] train(ExternalLossTrainer t, Loss loss, INDArray x, INDArray y, Targets targets) {
        INDArray allTargets = targets.of(y);
        double initial = t.loss(List.of(x), ExternalLossTrainer.of(loss, allTargets));
        int n = (int) x.size(0);
        for (int epoch = 0; epoch < 30; epoch++) {
            for (int b = 0; b < n; b += BATCH) {
                int e = Math.min(n, b + BATCH);
                INDArray xb = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b, e),
                        org.nd4j.linalg.indexing.NDArrayIndex.all());
                INDArray tb = allTargets.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b, e),
                        org.nd4j.linalg.indexing.NDArrayIndex.all());
                t.step(xb, loss, tb);
            }
        }
        double after = t.loss(List.of(x), ExternalLossTrainer.of(loss, allTargets));
        return new double[]{initial, after};
    }

    /** Per-label accuracy: prediction score > threshold[j]. */
    static double accuracy(INDArray scores, INDArray y, double[] threshold) {
        long n = scores.size(0);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < L; j++) {
                boolean predicted = scores.getDouble(i, j) > threshold[j];
                if (predicted == (y.getDouble(i, j) > 0.5)) {
                    correct++;
                }
            }
        }
        return correct / (double) (n * L);
    }

    @Test
    void bceWithLogitsTrainsAMultiLabelClassifier() {
        long start = System.nanoTime();
        INDArray[] train = data(2000, 1);
        INDArray[] test = data(1000, 2);
        ExternalLossTrainer t = new ExternalLossTrainer(net(3), OptimizerSpec.adam(3e-3, 0.9, 0.999, 1e-8, 0));
        double[] zero = new double[L];
        double acc0 = accuracy(t.output(test[0]), test[1], zero);
        double[] losses = train(t, new BCEWithLogitsLoss(), train[0], train[1], y -> y);
        double acc = accuracy(t.output(test[0]), test[1], zero);
        System.out.printf("multi-label BCEWithLogits: train loss %.4f -> %.4f, held-out per-label accuracy %.3f"
                + " (before %.3f); %.1f s%n", losses[0], losses[1], acc, acc0, (System.nanoTime() - start) / 1e9);
        assertTrue(losses[1] < 0.6 * losses[0], "loss " + losses[0] + " -> " + losses[1]);
        assertTrue(acc > 0.85, "held-out per-label accuracy " + acc);
    }

    @Test
    void multiLabelMarginLossTrainsAMultiLabelRanker() {
        String name = Losses.names().contains("multilabel_margin") ? "multilabel_margin"
                : Losses.names().contains("multi_label_margin") ? "multi_label_margin" : null;
        Assumptions.assumeTrue(name != null, "MultiLabelMarginLoss is not registered in Losses " + Losses.names());
        long start = System.nanoTime();
        INDArray[] train = data(2000, 1);
        INDArray[] test = data(1000, 2);
        Loss loss = Losses.create(name, Map.of());
        ExternalLossTrainer t = new ExternalLossTrainer(net(4), OptimizerSpec.adam(3e-3, 0.9, 0.999, 1e-8, 0));
        double[] losses = train(t, loss, train[0], train[1], MultiLabelExampleTest::marginTargets);
        // the ranking loss fixes no absolute threshold: fit one per label on the training scores
        INDArray trainScores = centered(t.output(train[0]));
        double[] threshold = new double[L];
        for (int j = 0; j < L; j++) {
            double best = -1;
            for (int i = 0; i < trainScores.size(0); i++) {
                double[] th = threshold.clone();
                th[j] = trainScores.getDouble(i, j);
                double a = labelAccuracy(trainScores, train[1], j, th[j]);
                if (a > best) {
                    best = a;
                    threshold[j] = th[j];
                }
            }
        }
        double acc = accuracy(centered(t.output(test[0])), test[1], threshold);
        double ranking = rankingAccuracy(t.output(test[0]), test[1]);
        double trainAcc = accuracy(trainScores, train[1], threshold);
        System.out.printf("multi-label margin: train loss %.4f -> %.4f, held-out ranking accuracy %.3f, per-label"
                        + " accuracy with fitted thresholds train %.3f, held-out %.3f; %.1f s%n", losses[0], losses[1],
                ranking, trainAcc, acc, (System.nanoTime() - start) / 1e9);
        assertTrue(losses[1] < 0.6 * losses[0], "loss " + losses[0] + " -> " + losses[1]);
        assertTrue(ranking > 0.9, "held-out ranking accuracy " + ranking);
        // the loss is invariant to shifting a sample's scores, so thresholded decisions are weaker than BCE's
        assertTrue(acc > 0.8, "held-out per-label accuracy " + acc);
    }

    /** Scores minus each row's mean: the loss is invariant to a per-sample shift. */
    static INDArray centered(INDArray scores) {
        return scores.subColumnVector(scores.mean(1).reshape(scores.size(0), 1));
    }

    /**
     * Ranking accuracy: over every sample's (present label, absent label) pairs, the fraction where the
     * present label scores higher, what MultiLabelMarginLoss optimizes.
     */
    static double rankingAccuracy(INDArray scores, INDArray y) {
        long pairs = 0;
        long ordered = 0;
        for (int i = 0; i < scores.size(0); i++) {
            for (int j = 0; j < L; j++) {
                for (int k = 0; k < L; k++) {
                    if (y.getDouble(i, j) > 0.5 && y.getDouble(i, k) < 0.5) {
                        pairs++;
                        if (scores.getDouble(i, j) > scores.getDouble(i, k)) {
                            ordered++;
                        }
                    }
                }
            }
        }
        return ordered / (double) pairs;
    }

    private static double labelAccuracy(INDArray scores, INDArray y, int j, double threshold) {
        int correct = 0;
        for (int i = 0; i < scores.size(0); i++) {
            if ((scores.getDouble(i, j) > threshold) == (y.getDouble(i, j) > 0.5)) {
                correct++;
            }
        }
        return correct / (double) scores.size(0);
    }
}
