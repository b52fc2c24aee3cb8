package dev.sparktrain.model;

import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import dev.sparktrain.loss.Dl4jLoss;
import dev.sparktrain.loss.LogSoftmaxActivation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the zoo's networks, with PyTorch-style layer names (LeNet: conv1, pool1, conv2, pool2, fc1,
 * fc2, fc3; MLP: fc1 ... fcN, the output layer last; bncnn: nn.Sequential indices). Weights are initialized uniformly in +-1/sqrt(fan_in) (DL4J's UNIFORM,
 * which is PyTorch's default for Conv2d and Linear weights); biases start at zero. The DL4J updater
 * is NoOp: sparktrain's own optimizers step the flat parameter vector, DL4J only computes gradients.
 */
public final class ModelFactory {
    private ModelFactory() {
    }

    public static MultiLayerNetwork build(ModelSpec spec) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(spec));
        net.init();
        return net;
    }

    public static MultiLayerConfiguration configuration(ModelSpec spec) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(InitSeed.of(spec.seed()))
                .dataType(spec.doublePrecision() ? DataType.DOUBLE : DataType.FLOAT)
                .optimizationAlgo(OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT)
                .updater(new NoOp())
                .weightInit(WeightInit.UNIFORM)
                .cacheMode(CacheMode.DEVICE) // backprop reuses the forward im2col: same values, less work
                .list();
        switch (spec.type()) {
            case "lenet" -> lenet(list);
            case "mlp" -> mlp(list, spec);
            case "sequential" -> {
                SequentialBuilder.build(list, spec, outputLayer(spec)); // a bad layer list: IllegalArgumentException
            }
            case "bncnn" -> SequentialBuilder.build(list, spec.withLayers(bnCnnLayers(spec.classes())), outputLayer(spec));
            default -> throw new IllegalArgumentException("unknown model type '" + spec.type() + "'");
        }
        if (spec.type().equals("lenet") || spec.type().equals("mlp")) {
            int last = spec.type().equals("lenet") ? 6 : spec.hidden().size();
            list.layer(last, outputLayer(spec).name("fc" + (last == 6 ? 3 : last + 1)).nOut(spec.classes()).build());
        }
        list.setInputType(InputType.convolutionalFlat(spec.height(), spec.width(), spec.channels()));
        return list.build();
    }

    /**
     * The output layer: DL4J's softmax + cross-entropy, or the configured PyTorch loss with the
     * activation its input needs (log_softmax for nll and kl_div, sigmoid for bce, none otherwise:
     * cross_entropy and bce_with_logits take logits).
     */
    private static OutputLayer.Builder outputLayer(ModelSpec spec) {
        return outputLayer(spec.loss());
    }

    /** The output layer for a {@code loss} given as the config's {@code loss} key (null: softmax + cross-entropy). */
    static OutputLayer.Builder outputLayer(java.util.Map<String, Object> loss) {
        if (loss == null) {
            return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX);
        }
        String type = loss.get("type").toString();
        java.util.Map<String, Object> args = new java.util.HashMap<>(loss);
        args.remove("type");
        OutputLayer.Builder b = new OutputLayer.Builder(new Dl4jLoss(type, args));
        return switch (type) {
            case "nll", "kl_div" -> b.activation(new LogSoftmaxActivation());
            case "bce" -> b.activation(Activation.SIGMOID);
            default -> b.activation(Activation.IDENTITY);
        };
    }

    /** LeNet-5 as in PyTorch's tutorial: conv 6@5x5, maxpool 2, conv 16@5x5, maxpool 2, 120, 84, classes. */
    private static void lenet(NeuralNetConfiguration.ListBuilder list) {
        list.layer(0, new ConvolutionLayer.Builder(5, 5).name("conv1").nOut(6).activation(Activation.RELU).build())
                .layer(1, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool1")
                        .kernelSize(2, 2).stride(2, 2).build())
                .layer(2, new ConvolutionLayer.Builder(5, 5).name("conv2").nOut(16).activation(Activation.RELU).build())
                .layer(3, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool2")
                        .kernelSize(2, 2).stride(2, 2).build())
                .layer(4, new DenseLayer.Builder().name("fc1").nOut(120).activation(Activation.RELU).build())
                .layer(5, new DenseLayer.Builder().name("fc2").nOut(84).activation(Activation.RELU).build());
    }

    /**
     * The zoo's batch-normalized CNN, as an nn.Sequential: two blocks of conv 3x3 (padding 1, no bias:
     * the batch norm's beta is the bias) -> BatchNorm2d -> ReLU -> maxpool 2, with 32 then 64
     * channels, then linear 128 -> BatchNorm1d -> ReLU -> dropout 0.3 -> linear classes.
     */
    static List<Map<String, Object>> bnCnnLayers(int classes) {
        List<Map<String, Object>> l = new ArrayList<>();
        for (int channels : new int[]{32, 64}) {
            l.add(Map.of("type", "conv2d", "out_channels", channels, "kernel_size", 3, "padding", 1, "bias", false));
            l.add(Map.of("type", "batchnorm"));
            l.add(Map.of("type", "relu"));
            l.add(Map.of("type", "maxpool2d", "kernel_size", 2));
        }
        l.add(Map.of("type", "flatten"));
        l.add(Map.of("type", "linear", "out_features", 128));
        l.add(Map.of("type", "batchnorm"));
        l.add(Map.of("type", "relu"));
        l.add(Map.of("type", "dropout", "p", 0.3));
        l.add(Map.of("type", "linear", "out_features", classes));
        return l;
    }

    private static void mlp(NeuralNetConfiguration.ListBuilder list, ModelSpec spec) {
        for (int i = 0; i < spec.hidden().size(); i++) {
            list.layer(i, new DenseLayer.Builder().name("fc" + (i + 1)).nOut(spec.hidden().get(i))
                    .activation(Activation.RELU).build());
        }
    }
}
