package dev.sparktrain.loss;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every single-input loss, as a DL4J output layer's loss, passes DL4J's finite-difference gradient
 * check in double precision, and survives a ModelSerializer round trip.
 */
class Dl4jLossGradientCheckTest {
    private static final int N = 5;
    private static DataType defaultType;

    @org.junit.jupiter.api.BeforeAll
    static void doublePrecision() {
        defaultType = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @org.junit.jupiter.api.AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(defaultType, defaultType);
    }
    private static final int OUT = 4;

    /** How a loss's labels look. */
    enum Labels { REAL, ONE_HOT, INDEX, SIGN, BINARY, COUNTS, MULTI_LABEL, PROBS }

    record Case(String loss, Map<String, Object> args, IActivation activation, Labels labels) {
        @Override
        public String toString() {
            return loss + args;
        }
    }

    static Stream<Case> cases() {
        List<Case> all = List.of(
                new Case("mse", Map.of(), Activation.TANH.getActivationFunction(), Labels.REAL),
                new Case("l1", Map.of(), Activation.TANH.getActivationFunction(), Labels.REAL),
                new Case("smooth_l1", Map.of("beta", 0.5), Activation.TANH.getActivationFunction(), Labels.REAL),
                new Case("cross_entropy", Map.of(), Activation.IDENTITY.getActivationFunction(), Labels.ONE_HOT),
                new Case("cross_entropy", Map.of("label_smoothing", 0.1), Activation.IDENTITY.getActivationFunction(), Labels.PROBS),
                new Case("nll", Map.of(), new LogSoftmaxActivation(), Labels.INDEX),
                new Case("bce", Map.of(), Activation.SIGMOID.getActivationFunction(), Labels.BINARY),
                new Case("bce_with_logits", Map.of(), Activation.IDENTITY.getActivationFunction(), Labels.BINARY),
                new Case("kl_div", Map.of("reduction", "batchmean"), new LogSoftmaxActivation(), Labels.PROBS),
                new Case("poisson_nll", Map.of(), Activation.IDENTITY.getActivationFunction(), Labels.COUNTS),
                new Case("soft_margin", Map.of(), Activation.IDENTITY.getActivationFunction(), Labels.SIGN),
                new Case("multilabel_margin", Map.of(), Activation.IDENTITY.getActivationFunction(), Labels.MULTI_LABEL),
                new Case("multi_margin", Map.of(), Activation.IDENTITY.getActivationFunction(), Labels.INDEX),
                new Case("hinge_embedding", Map.of(), Activation.IDENTITY.getActivationFunction(), Labels.SIGN));
        // losses not implemented yet are left out here; LossRegistryTest checks the full list
        return all.stream().filter(c -> Losses.names().contains(c.loss()));
    }

    private static INDArray labels(Labels kind) {
        Nd4j.getRandom().setSeed(7);
        INDArray u = Nd4j.rand(DataType.DOUBLE, N, OUT);
        return switch (kind) {
            case REAL -> u.mul(2).subi(1);
            case PROBS -> u.addi(0.1).diviColumnVector(u.sum(1).reshape(N, 1));
            case ONE_HOT -> {
                INDArray y = Nd4j.zeros(DataType.DOUBLE, N, OUT);
                for (int i = 0; i < N; i++) {
                    y.putScalar(i, i % OUT, 1.0);
                }
                yield y;
            }
            case INDEX -> Nd4j.createFromArray(0.0, 3.0, 1.0, 2.0, 1.0).reshape(N);
            case SIGN -> Nd4j.createFromArray(new double[][]{{1, -1, 1, -1}, {-1, -1, 1, 1}, {1, 1, 1, -1},
                    {-1, 1, -1, 1}, {1, -1, -1, -1}});
            case BINARY -> Nd4j.createFromArray(new double[][]{{1, 0, 1, 0}, {0, 0, 1, 1}, {1, 1, 1, 0},
                    {0, 1, 0, 1}, {1, 0, 0, 0}});
            case COUNTS -> Nd4j.createFromArray(new double[][]{{0, 2, 1, 3}, {1, 0, 4, 1}, {2, 2, 0, 1},
                    {0, 1, 1, 0}, {5, 0, 1, 2}});
            case MULTI_LABEL -> Nd4j.createFromArray(new double[][]{{3, 0, -1, 1}, {1, -1, 0, 0}, {0, 1, 2, -1},
                    {2, -1, 0, 0}, {3, 2, 1, 0}});
        };
    }

    private static MultiLayerNetwork network(Case c) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(12).dataType(DataType.DOUBLE)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(6).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(new Dl4jLoss(c.loss(), c.args())).nIn(6).nOut(OUT)
                        .activation(c.activation()).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void passesDl4jsFiniteDifferenceCheckAndRoundTrips(Case c) throws Exception {
        MultiLayerNetwork net = network(c);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, N, 3).subi(0.5);
        INDArray y = labels(c.labels());
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, c + " fails the gradient check");

        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, zip, false);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip.toByteArray()));
        assertEquals(net.score(new org.nd4j.linalg.dataset.DataSet(x, y)),
                restored.score(new org.nd4j.linalg.dataset.DataSet(x, y)), 1e-12);
    }
}
