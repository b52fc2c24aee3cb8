package dev.sparktrain.bench.peers;

import dev.sparktrain.model.ModelFactory;
import dev.sparktrain.model.ModelSpec;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

/**
 * LeNet-5 written as a DL4J user writes it, with DL4J's Adam: the same network as sparktrain's
 * {@code model.type = lenet} (conv 6@5x5, maxpool 2, conv 16@5x5, maxpool 2, dense 120, 84, 10
 * softmax; ReLU; no padding; weights uniform in +-1/sqrt(fan_in), biases zero), which
 * {@link #requireSameAs(MultiLayerConfiguration, long)} checks layer by layer against {@link ModelFactory}.
 */
final class PeerLeNet {
    static final int HEIGHT = 28;
    static final int WIDTH = 28;
    static final int CLASSES = 10;

    private PeerLeNet() {
    }

    static MultiLayerConfiguration configuration(long seed, double lr, Dl4jSetup setup) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(lr))
                .weightInit(WeightInit.UNIFORM)
                .cacheMode(setup.cacheMode())
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(6).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(120).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(84).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(HEIGHT, WIDTH, 1))
                .build();
    }

    /**
     * Fails unless every layer of {@code conf} equals sparktrain's LeNet layer once names and updaters
     * (sparktrain steps the parameters with its own optimizer) are set aside.
     */
    static void requireSameAs(MultiLayerConfiguration conf, long seed) {
        ModelSpec spec = new ModelSpec("lenet", List.of(), "float32", 1, HEIGHT, WIDTH, CLASSES, seed);
        MultiLayerConfiguration ours = ModelFactory.configuration(spec);
        if (ours.getConfs().size() != conf.getConfs().size()) {
            throw new IllegalStateException("sparktrain's LeNet has " + ours.getConfs().size() + " layers, this one "
                    + conf.getConfs().size());
        }
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer a = comparable(conf.getConf(i).getLayer());
            Layer b = comparable(ours.getConf(i).getLayer());
            if (!a.equals(b)) {
                throw new IllegalStateException("layer " + i + " differs from sparktrain's LeNet:\n  " + a + "\n  " + b);
            }
        }
    }

    private static Layer comparable(Layer layer) {
        Layer c = layer.clone();
        c.setLayerName("layer");
        if (c instanceof BaseLayer b) {
            b.setIUpdater(null);
            b.setBiasUpdater(null);
        }
        return c;
    }
}
