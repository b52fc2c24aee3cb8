package dev.sparktrain.loss;

import dev.sparktrain.train.ExternalLossTrainer;
import dev.sparktrain.optim.OptimizerSpec;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trainer's gradient against central finite differences of the loss, in double precision. */
class ExternalLossTrainerTest {

    static MultiLayerNetwork net(int in, int hidden, int out, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE)
                .weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(in).nOut(hidden).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(hidden).nOut(out).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static void checkAgainstFiniteDifferences(ExternalLossTrainer t, List<INDArray> inputs,
                                                      ExternalLossTrainer.Objective obj) {
        ExternalLossTrainer.Step s = t.gradient(inputs, obj);
        INDArray params = t.network().params();
        long n = t.network().numParams();
        assertEquals(n, s.gradient().length());
        double h = 1e-6;
        double maxAbs = s.gradient().amaxNumber().doubleValue();
        assertTrue(maxAbs > 1e-6, "gradient is all zero");
        int checked = 0;
        for (long i = 0; i < n; i += Math.max(1, n / 17)) {
            double orig = params.getDouble(i);
            params.putScalar(i, orig + h);
            double up = t.loss(inputs, obj);
            params.putScalar(i, orig - h);
            double down = t.loss(inputs, obj);
            params.putScalar(i, orig);
            double numeric = (up - down) / (2 * h);
            double analytic = s.gradient().getDouble(i);
            assertEquals(numeric, analytic, 1e-6 + 1e-5 * Math.abs(numeric),
                    "parameter " + i + ": numeric " + numeric + " vs analytic " + analytic);
            checked++;
        }
        assertTrue(checked >= 10);
    }

    @Test
    void siameseGradientMatchesFiniteDifferences() {
        MultiLayerNetwork net = net(6, 7, 4, 1);
        ExternalLossTrainer t = new ExternalLossTrainer(net, OptimizerSpec.adam(1e-3, 0.9, 0.999, 1e-8, 0));
        Nd4j.getRandom().setSeed(3);
        INDArray x1 = Nd4j.randn(DataType.DOUBLE, 5, 6);
        INDArray x2 = Nd4j.randn(DataType.DOUBLE, 5, 6);
        INDArray y = Nd4j.createFromArray(1.0, -1.0, 1.0, -1.0, -1.0);
        // margin -1: every dissimilar pair is active, so no hinge kink near the evaluation point
        checkAgainstFiniteDifferences(t, List.of(x1, x2), ExternalLossTrainer.of(new CosineEmbeddingLoss(-1.0), y));
    }

    @Test
    void tripletAndSingleInputGradientsMatchFiniteDifferences() {
        MultiLayerNetwork net = net(6, 7, 4, 2);
        ExternalLossTrainer t = new ExternalLossTrainer(net, OptimizerSpec.adam(1e-3, 0.9, 0.999, 1e-8, 0));
        Nd4j.getRandom().setSeed(4);
        INDArray a = Nd4j.randn(DataType.DOUBLE, 4, 6);
        INDArray p = Nd4j.randn(DataType.DOUBLE, 4, 6);
        INDArray ng = Nd4j.randn(DataType.DOUBLE, 4, 6);
        checkAgainstFiniteDifferences(t, List.of(a, p, ng),
                ExternalLossTrainer.of(new TripletMarginLoss(100.0, 2.0), null));
        INDArray target = Nd4j.randn(DataType.DOUBLE, 4, 4);
        checkAgainstFiniteDifferences(t, List.of(a), ExternalLossTrainer.of(new MSELoss(), target));
    }

    @Test
    void marginRankingGradientMatchesFiniteDifferences() {
        MultiLayerNetwork net = net(6, 7, 1, 5);
        ExternalLossTrainer t = new ExternalLossTrainer(net, OptimizerSpec.adam(1e-3, 0.9, 0.999, 1e-8, 0));
        Nd4j.getRandom().setSeed(6);
        INDArray x1 = Nd4j.randn(DataType.DOUBLE, 5, 6);
        INDArray x2 = Nd4j.randn(DataType.DOUBLE, 5, 6);
        INDArray y = Nd4j.createFromArray(1.0, -1.0, 1.0, -1.0, 1.0).reshape(5, 1);
        // a large margin keeps every pair on the linear side of the hinge
        checkAgainstFiniteDifferences(t, List.of(x1, x2), ExternalLossTrainer.of(new MarginRankingLoss(50.0), y));
    }

    @Test
    void ctcThroughLogSoftmaxGradientMatchesFiniteDifferences() {
        int frames = 6;
        int batch = 2;
        int classes = 4;
        MultiLayerNetwork net = net(5, 7, classes, 7);
        ExternalLossTrainer t = new ExternalLossTrainer(net, OptimizerSpec.adam(1e-3, 0.9, 0.999, 1e-8, 0));
        Nd4j.getRandom().setSeed(8);
        INDArray x = Nd4j.randn(DataType.DOUBLE, frames * batch, 5); // rows ordered (t, n)
        INDArray inputLengths = Nd4j.createFromArray(6.0, 5.0);
        INDArray targetLengths = Nd4j.createFromArray(2.0, 3.0);
        INDArray targets = Nd4j.createFromArray(new double[][]{{1, 2, 1}, {3, 1, 2}});
        LogSoftmaxActivation logSoftmax = new LogSoftmaxActivation();
        ExternalLossTrainer.Objective ctc = outputs -> {
            INDArray z = outputs.get(0);
            INDArray logProbs = logSoftmax.getActivation(z.dup(), true).reshape(frames, batch, classes);
            LossValue v = new CTCLoss().forward(List.of(logProbs, inputLengths, targetLengths), targets);
            INDArray dLogProbs = v.gradients().get(0).reshape(frames * batch, classes);
            return new LossValue(v.value(), List.of(logSoftmax.backprop(z.dup(), dLogProbs).getFirst()));
        };
        checkAgainstFiniteDifferences(t, List.of(x), ctc);
    }

    @Test
    void stepIsAnAdamStepOnTheMeanGradient() {
        MultiLayerNetwork net = net(6, 7, 4, 5);
        double lr = 1e-3;
        ExternalLossTrainer t = new ExternalLossTrainer(net, OptimizerSpec.adam(lr, 0.9, 0.999, 1e-8, 0));
        Nd4j.getRandom().setSeed(6);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 8, 6);
        INDArray target = Nd4j.randn(DataType.DOUBLE, 8, 4);
        ExternalLossTrainer.Objective obj = ExternalLossTrainer.of(new MSELoss(), target);
        INDArray before = net.params().dup();
        ExternalLossTrainer.Step s = t.gradient(List.of(x), obj);
        double loss0 = t.step(List.of(x), obj);
        assertEquals(s.loss(), loss0, 1e-12);
        INDArray delta = net.params().sub(before).reshape(net.numParams());
        // Adam's first step: -lr * g / (|g| + eps) (bias-corrected), i.e. -lr * sign(g) where g is not tiny
        for (long i = 0; i < delta.length(); i++) {
            double g = s.gradient().getDouble(i);
            double expected = -lr * g / (Math.abs(g) + 1e-8);
            assertEquals(expected, delta.getDouble(i), 1e-9, "parameter " + i);
        }
        assertTrue(t.loss(List.of(x), obj) < loss0, "one step did not lower the loss");
    }

    @Test
    void rejectsNetworksEndingInAnOutputLayer() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(3).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nIn(3).nOut(2).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ExternalLossTrainer(net, OptimizerSpec.adam(1e-3, 0.9, 0.999, 1e-8, 0)));
        assertTrue(e.getMessage().contains("output layer"), e.getMessage());
    }
}
