package dev.sparktrain.loss.examples;

import dev.sparktrain.loss.CTCLoss;
import dev.sparktrain.train.ExternalLossTrainer;
import dev.sparktrain.loss.LogSoftmaxActivation;
import dev.sparktrain.loss.LossValue;
import dev.sparktrain.optim.OptimizerSpec;
import dev.sparktrain.model.ParamLayout;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Example: CTC on a synthetic sequence task. Each sequence has T = 12 frames; the frames spell a digit
 * sequence (labels 1..4, blank 0) of 2..4 digits, each digit held for one or more frames with blank
 * frames anywhere; a frame's feature vector (F = 8) is the one-hot of its frame label (blank included)
 * plus Gaussian noise (sd 0.25). The target is the digit sequence with repeats collapsed (consecutive
 * digits differ), so CTC has to learn the alignment: no frame labels are given.
 *
 * <p>The model is a per-frame MLP (F -> 32 -> C = 5 logits): the N sequences' frames are the batch rows
 * of one [T * N, F] matrix in time-major order (row t * N + n), so the [T * N, C] output reshapes to
 * CTCLoss's [T, N, C] directly. log_softmax is applied in Java outside the network (via this package's
 * {@link LogSoftmaxActivation}: forward {@code x - logsumexp(x)}, backward {@code g - softmax(x) * sum(g)}),
 * so the objective is {@code ctc(log_softmax(net(frames)).view(T, N, C), lengths, targets)}, exactly
 * PyTorch's usual composition. Decoding is greedy: argmax per frame, collapse repeats, drop blanks.
 */
class CtcSequenceExampleTest {
    static final int T = 12;
    static final int F = 8;
    static final int C = 5;
    static final int MAX_LEN = 4;

    /** A batch: frames [T * N, F] time-major, targets padded [N, MAX_LEN] (padding 1), target lengths. */
    record Batch(INDArray frames, INDArray targets, INDArray targetLengths, int[][] labels) {
        int n() {
            return labels.length;
        }
    }

    static Batch batch(int n, Random r) {
        float[] frames = new float[T * n * F];
        float[] targets = new float[n * MAX_LEN];
        Arrays.fill(targets, 1f);
        float[] lengths = new float[n];
        int[][] labels = new int[n][];
        for (int b = 0; b < n; b++) {
            int len = 2 + r.nextInt(MAX_LEN - 1);
            int[] digits = new int[len];
            for (int i = 0; i < len; i++) {
                int d;
                do {
                    d = 1 + r.nextInt(C - 1);
                } while (i > 0 && d == digits[i - 1]);
                digits[i] = d;
                targets[b * MAX_LEN + i] = d;
            }
            labels[b] = digits;
            lengths[b] = len;
            // frame labels: each digit gets a run of >= 1 frames; the remaining frames become blanks or
            // extend a digit's run, placed at random
            int[] run = new int[len];
            Arrays.fill(run, 1);
            int[] blanksBefore = new int[len + 1];
            for (int extra = T - len; extra > 0; extra--) {
                if (r.nextBoolean()) {
                    run[r.nextInt(len)]++;
                } else {
                    blanksBefore[r.nextInt(len + 1)]++;
                }
            }
            int t = 0;
            int[] frameLabel = new int[T];
            for (int i = 0; i <= len; i++) {
                for (int k = 0; k < blanksBefore[i]; k++) {
                    frameLabel[t++] = 0;
                }
                if (i < len) {
                    for (int k = 0; k < run[i]; k++) {
                        frameLabel[t++] = digits[i];
                    }
                }
            }
            assertEquals(T, t);
            for (t = 0; t < T; t++) {
                int row = t * n + b;
                for (int f = 0; f < F; f++) {
                    frames[row * F + f] = (float) (0.25 * r.nextGaussian()) + (f == frameLabel[t] ? 1f : 0f);
                }
            }
        }
        return new Batch(Nd4j.create(frames, new long[]{(long) T * n, F}, 'c'),
                Nd4j.create(targets, new long[]{n, MAX_LEN}, 'c'), Nd4j.createFromArray(lengths), labels);
    }

    static MultiLayerNetwork net() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(F).nOut(32).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(32).nOut(C).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static INDArray logSoftmax(INDArray logits) {
        return new LogSoftmaxActivation().getActivation(logits.dup(), true);
    }

    /** CTC of log_softmax(logits) with the gradient taken back through log_softmax to the logits. */
    static ExternalLossTrainer.Objective ctcObjective(CTCLoss ctc, Batch b) {
        INDArray inputLengths = Nd4j.valueArrayOf(new long[]{b.n()}, (float) T);
        return outs -> {
            INDArray logits = outs.get(0);
            INDArray lp = logSoftmax(logits).reshape('c', T, b.n(), C);
            LossValue v = ctc.forward(List.of(lp, inputLengths, b.targetLengths()), b.targets());
            INDArray gLp = v.gradients().get(0).reshape('c', (long) T * b.n(), C);
            INDArray gLogits = new LogSoftmaxActivation().backprop(logits.dup(), gLp.dup()).getFirst();
            return new LossValue(v.value(), List.of(gLogits));
        };
    }

    /** Fraction of sequences whose greedy decoding equals the target exactly. */
    static double greedyExact(ExternalLossTrainer t, Batch b) {
        INDArray best = Nd4j.argMax(t.output(b.frames()), 1); // [T * N]
        int correct = 0;
        for (int n = 0; n < b.n(); n++) {
            List<Integer> decoded = new ArrayList<>();
            int prev = -1;
            for (int s = 0; s < T; s++) {
                int k = best.getInt(s * b.n() + n);
                if (k != prev && k != 0) {
                    decoded.add(k);
                }
                prev = k;
            }
            if (decoded.equals(Arrays.stream(b.labels()[n]).boxed().toList())) {
                correct++;
            }
        }
        return correct / (double) b.n();
    }

    @Test
    void ctcTrainsAPerFrameModelToTranscribeSequences() {
        long start = System.nanoTime();
        Random r = new Random(2024);
        List<Batch> train = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            train.add(batch(50, r));
        }
        Batch test = batch(500, r);
        CTCLoss ctc = new CTCLoss(0);
        ExternalLossTrainer t = new ExternalLossTrainer(net(), OptimizerSpec.adam(1e-2, 0.9, 0.999, 1e-8, 0));
        double initial = 0;
        for (Batch b : train) {
            initial += t.loss(List.of(b.frames()), ctcObjective(ctc, b)) / train.size();
        }
        double exact0 = greedyExact(t, test);
        double last = initial;
        int below40 = -1; // the first epoch whose mean loss is below 40% of the start
        int epochs = 20;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            double sum = 0;
            for (Batch b : train) {
                sum += t.step(List.of(b.frames()), ctcObjective(ctc, b));
            }
            last = sum / train.size();
            if (below40 < 0 && last < 0.4 * initial) {
                below40 = epoch;
            }
        }
        double heldOut = t.loss(List.of(test.frames()), ctcObjective(ctc, test));
        double exact = greedyExact(t, test);
        System.out.printf("ctc: train loss %.4f -> %.4f after %d epochs (below 40%% from epoch %d),"
                        + " held-out loss %.4f, greedy exact %.3f (before training %.3f); %.1f s%n", initial, last,
                epochs, below40, heldOut, exact,
                exact0, (System.nanoTime() - start) / 1e9);
        assertTrue(last < 0.4 * initial, "CTC loss " + initial + " -> " + last);
        assertTrue(exact >= 0.8, "held-out greedy decoding exact for " + exact);
    }

    /**
     * The same task with a 1-D convolutional model over [N, F, T] sequences: Conv1D(F -> 32, kernel 3,
     * Same, relu) -> Conv1D(32 -> C, kernel 1, identity), output [N, C, T] (DL4J's NCW layout, checked
     * below). The objective permutes the logits to [T, N, C], applies log_softmax over C on the
     * [T * N, C] view, runs CTC, and maps the gradient back through log_softmax and the permutation.
     */
    @Test
    void ctcTrainsAConv1dModelOnNcwSequences() {
        long start = System.nanoTime();
        Random r = new Random(2025);
        List<Batch> train = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            train.add(batch(50, r));
        }
        Batch test = batch(500, r);
        // [T * N, F] time-major rows -> [N, F, T]
        java.util.function.Function<Batch, INDArray> ncw =
                b -> b.frames().reshape('c', T, b.n(), F).permute(1, 2, 0).dup('c');

        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).convolutionMode(ConvolutionMode.Same).list()
                .layer(new Convolution1DLayer.Builder().name("conv").kernelSize(3).nOut(32)
                        .activation(Activation.RELU).build())
                .layer(new Convolution1DLayer.Builder().name("head").kernelSize(1).nOut(C)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.recurrent(F, T))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        CTCLoss ctc = new CTCLoss(0);
        ExternalLossTrainer t = new ExternalLossTrainer(net, OptimizerSpec.adam(1e-2, 0.9, 0.999, 1e-8, 0));

        // layout checks: the output is [N, C, T] and time is its last axis (a change in frame 5 of
        // sequence 0 moves only that sequence's outputs at times 4..6, as a kernel-3 receptive field would)
        INDArray x = ncw.apply(train.get(0));
        INDArray y = t.output(x);
        assertArrayEquals(new long[]{50, C, T}, y.shape());
        INDArray x2 = x.dup();
        x2.putScalar(new long[]{0, 2, 5}, x.getDouble(0, 2, 5) + 3.0);
        INDArray diff = org.nd4j.linalg.ops.transforms.Transforms.abs(t.output(x2).sub(y), false)
                .sum(1); // [N, T]
        for (int n = 0; n < 50; n++) {
            for (int s = 0; s < T; s++) {
                boolean inField = n == 0 && s >= 4 && s <= 6;
                if (!inField) {
                    assertEquals(0.0, diff.getDouble(n, s), 1e-6, "output moved at n=" + n + ", t=" + s);
                }
            }
        }
        assertTrue(diff.getDouble(0, 4) + diff.getDouble(0, 5) + diff.getDouble(0, 6) > 0);
        // the epsilon has the same [N, C, T] layout: a unit gradient at (n=3, c=2, t=7) reaches only the
        // head's bias for channel 2
        ParamLayout.Segment headBias = ParamLayout.of(net).segment("head.bias");
        INDArray unit = Nd4j.zeros(DataType.FLOAT, 50, C, T);
        unit.putScalar(new long[]{3, 2, 7}, 1.0);
        INDArray g = t.gradient(List.of(x), outs -> new LossValue(Nd4j.scalar(0f), List.of(unit.dup())))
                .gradient();
        INDArray gb = g.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(headBias.offset(),
                headBias.offset() + headBias.length()));
        assertArrayEquals(new float[]{0, 0, 1, 0, 0}, gb.toFloatVector(), 1e-6f);

        java.util.function.Function<Batch, ExternalLossTrainer.Objective> objective = b -> {
            INDArray inputLengths = Nd4j.valueArrayOf(new long[]{b.n()}, (float) T);
            return outs -> {
                INDArray out = outs.get(0); // [N, C, T]
                INDArray logits = out.permute(2, 0, 1).dup('c').reshape('c', (long) T * b.n(), C);
                INDArray lp = logSoftmax(logits).reshape('c', T, b.n(), C);
                LossValue v = ctc.forward(List.of(lp, inputLengths, b.targetLengths()), b.targets());
                INDArray gLp = v.gradients().get(0).reshape('c', (long) T * b.n(), C);
                INDArray gLogits = new LogSoftmaxActivation().backprop(logits.dup(), gLp.dup()).getFirst();
                INDArray gOut = gLogits.reshape('c', T, b.n(), C).permute(1, 2, 0).dup('c'); // [N, C, T]
                return new LossValue(v.value(), List.of(gOut));
            };
        };
        java.util.function.ToDoubleFunction<Batch> exactOf = b -> {
            INDArray best = Nd4j.argMax(t.output(ncw.apply(b)), 1); // [N, T]
            int correct = 0;
            for (int n = 0; n < b.n(); n++) {
                List<Integer> decoded = new ArrayList<>();
                int prev = -1;
                for (int s = 0; s < T; s++) {
                    int k = best.getInt(n, s);
                    if (k != prev && k != 0) {
                        decoded.add(k);
                    }
                    prev = k;
                }
                if (decoded.equals(Arrays.stream(b.labels()[n]).boxed().toList())) {
                    correct++;
                }
            }
            return correct / (double) b.n();
        };

        List<INDArray> inputs = train.stream().map(ncw).toList();
        double initial = 0;
        for (int i = 0; i < train.size(); i++) {
            initial += t.loss(List.of(inputs.get(i)), objective.apply(train.get(i))) / train.size();
        }
        double exact0 = exactOf.applyAsDouble(test);
        double last = initial;
        int below40 = -1;
        int epochs = 10;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            double sum = 0;
            for (int i = 0; i < train.size(); i++) {
                sum += t.step(List.of(inputs.get(i)), objective.apply(train.get(i)));
            }
            last = sum / train.size();
            if (below40 < 0 && last < 0.4 * initial) {
                below40 = epoch;
            }
        }
        double heldOut = t.loss(List.of(ncw.apply(test)), objective.apply(test));
        double exact = exactOf.applyAsDouble(test);
        System.out.printf("ctc conv1d: train loss %.4f -> %.4f after %d epochs (below 40%% from epoch %d),"
                        + " held-out loss %.4f, greedy exact %.3f (before training %.3f); %.1f s%n", initial, last,
                epochs, below40, heldOut, exact, exact0, (System.nanoTime() - start) / 1e9);
        assertTrue(last < 0.4 * initial, "CTC loss " + initial + " -> " + last);
        assertTrue(exact >= 0.8, "held-out greedy decoding exact for " + exact);
    }
}
