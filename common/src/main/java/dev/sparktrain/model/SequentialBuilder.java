package dev.sparktrain.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A model given as an ordered list of layers, like {@code nn.Sequential}: conv2d, maxpool2d,
 * avgpool2d, linear, flatten, relu, sigmoid, tanh, elu, leaky_relu, softmax, batchnorm, dropout, and the
 * custom layers centered, parameter_list and parameter_dict ({@link CustomLayerReader}), with
 * PyTorch's argument names and defaults. Shapes are inferred from the input and checked before any
 * layer is built: a layer that cannot apply to its input fails naming the layer, its input shape and
 * the output it would give. Layers are named by their list index, as nn.Sequential names its
 * modules (so parameters are {@code 0.weight}, {@code 3.bias}, ...). The last layer must be a linear
 * with {@code data.classes} outputs: it becomes the output layer with the configured loss; custom
 * layers can stand anywhere before it.
 */
final class SequentialBuilder {
    private SequentialBuilder() {
    }

    static void build(NeuralNetConfiguration.ListBuilder list, ModelSpec spec, OutputLayer.Builder output) {
        List<Map<String, Object>> layers = spec.layers();
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("model.layers is empty: a sequential model needs at least one linear layer");
        }
        long[] shape = {spec.channels(), spec.height(), spec.width()};
        int dl4jIndex = 0;
        for (int i = 0; i < layers.size(); i++) {
            Map<String, Object> l = layers.get(i);
            String type = String.valueOf(l.get("type"));
            String what = "model.layers[" + i + "] (" + type + ")";
            boolean last = i == layers.size() - 1;
            if (last && !type.equals("linear")) {
                throw new IllegalArgumentException(what + ": the last layer must be linear (the classifier), found "
                        + type);
            }
            Layer layer;
            switch (type) {
                case "conv2d" -> {
                    requireImage(shape, what);
                    int k = integer(l, "kernel_size", -1, what);
                    int s = integer(l, "stride", 1, what);
                    int p = integer(l, "padding", 0, what);
                    int d = integer(l, "dilation", 1, what);
                    int out = integer(l, "out_channels", -1, what);
                    long[] next = {out, window(shape[1], k, s, p, d), window(shape[2], k, s, p, d)};
                    checkPositive(next, shape, what);
                    layer = new ConvolutionLayer.Builder(k, k).stride(s, s).padding(p, p).dilation(d, d).nOut(out)
                            .hasBias(bool(l, "bias", true)).activation(Activation.IDENTITY).build();
                    shape = next;
                }
                case "maxpool2d", "avgpool2d" -> {
                    requireImage(shape, what);
                    int k = integer(l, "kernel_size", -1, what);
                    int s = integer(l, "stride", k, what);
                    int p = integer(l, "padding", 0, what);
                    long[] next = {shape[0], window(shape[1], k, s, p, 1), window(shape[2], k, s, p, 1)};
                    checkPositive(next, shape, what);
                    layer = new SubsamplingLayer.Builder(type.equals("maxpool2d") ? SubsamplingLayer.PoolingType.MAX
                            : SubsamplingLayer.PoolingType.AVG).kernelSize(k, k).stride(s, s).padding(p, p).build();
                    shape = next;
                }
                case "flatten" -> {
                    shape = new long[]{Arrays.stream(shape).reduce(1, (a, b) -> a * b)};
                    layer = null; // DL4J flattens between convolutional and dense layers by itself
                }
                case "linear" -> {
                    if (shape.length != 1) {
                        throw new IllegalArgumentException(what + " expects flat input [features], found "
                                + Arrays.toString(shape) + "; add { type = flatten } before it");
                    }
                    int out = integer(l, "out_features", -1, what);
                    if (last && out != spec.classes()) {
                        throw new IllegalArgumentException(what + ": the last linear layer has out_features " + out
                                + " but data.classes is " + spec.classes());
                    }
                    layer = last ? output.nOut(out).hasBias(bool(l, "bias", true)).build()
                            : new DenseLayer.Builder().nOut(out).hasBias(bool(l, "bias", true))
                            .activation(Activation.IDENTITY).build();
                    shape = new long[]{out};
                }
                case "relu", "sigmoid", "tanh", "elu", "softmax" ->
                        layer = new ActivationLayer.Builder().activation(Activation.valueOf(type.toUpperCase())).build();
                case "leaky_relu" -> layer = new ActivationLayer.Builder()
                        .activation(new ActivationLReLU(number(l, "negative_slope", 0.01, what))).build();
                case "batchnorm" -> layer = new BatchNormalization.Builder().eps(number(l, "eps", 1e-5, what))
                        .decay(1 - number(l, "momentum", 0.1, what)).build();
                case "dropout" -> layer = new DropoutLayer.Builder(1 - number(l, "p", 0.5, what)).build();
                case "centered", "parameter_list", "parameter_dict" -> {
                    CustomLayerReader.Built built = CustomLayerReader.read(type, l, shape, String.valueOf(i), what);
                    layer = built.layer();
                    shape = built.shape();
                }
                default -> throw new IllegalArgumentException(what + ": unknown layer type '" + type + "'; known: "
                        + "conv2d, maxpool2d, avgpool2d, linear, flatten, relu, sigmoid, tanh, elu, leaky_relu, "
                        + "softmax, batchnorm, dropout, centered, parameter_list, parameter_dict");
            }
            if (layer != null) {
                layer.setLayerName(String.valueOf(i));
                list.layer(dl4jIndex++, layer);
            }
        }
    }

    /** PyTorch's output size: floor((in + 2p - d(k-1) - 1) / s) + 1. */
    static long window(long in, int k, int s, int p, int d) {
        return Math.floorDiv(in + 2L * p - (long) d * (k - 1) - 1, s) + 1;
    }

    private static void requireImage(long[] shape, String what) {
        if (shape.length != 3) {
            throw new IllegalArgumentException(what + " expects [channels, height, width] input, found "
                    + Arrays.toString(shape));
        }
    }

    private static void checkPositive(long[] next, long[] in, String what) {
        if (next[1] < 1 || next[2] < 1) {
            throw new IllegalArgumentException(what + " cannot apply to input " + Arrays.toString(in)
                    + ": its output would be " + Arrays.toString(next));
        }
    }

    private static int integer(Map<String, Object> l, String key, int otherwise, String what) {
        Object v = l.get(key);
        if (v == null && otherwise >= 0) {
            return otherwise;
        }
        if (!(v instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < (key.equals("padding") ? 0 : 1)) {
            throw new IllegalArgumentException(what + "." + key + " must be a positive integer, found " + v);
        }
        return n.intValue();
    }

    private static double number(Map<String, Object> l, String key, double otherwise, String what) {
        Object v = l.getOrDefault(key, otherwise);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(what + "." + key + " must be a number, found " + v);
        }
        return n.doubleValue();
    }

    private static boolean bool(Map<String, Object> l, String key, boolean otherwise) {
        Object v = l.getOrDefault(key, otherwise);
        return v instanceof Boolean b ? b : otherwise;
    }
}
