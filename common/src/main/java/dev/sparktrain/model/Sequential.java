package dev.sparktrain.model;


import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sequential model from Java, like {@code nn.Sequential}:
 * {@code Sequential.input(1, 28, 28).conv2d(6, 5).relu().maxpool2d(2).flatten().linear(10).build()}.
 * Each call appends the same layer description a job config's {@code model.layers} entry gives
 * (same keys, same defaults), so {@link #build()} yields the {@link ModelSpec} the config would:
 * one description, one model builder. The last layer must be a linear whose out_features is the
 * number of classes; shapes are checked at {@code build()}, naming the layer and both shapes.
 * Defaults: seed 42 ({@link #DEFAULT_SEED}), float32, DL4J's softmax + cross-entropy output.
 */
public final class Sequential {
    /** The config's default {@code train.seed}. */
    public static final long DEFAULT_SEED = 42;

    private final int channels;
    private final int height;
    private final int width;
    private final List<Map<String, Object>> layers = new ArrayList<>();
    private long seed = DEFAULT_SEED;
    private String dtype = "float32";
    private Map<String, Object> loss;

    private Sequential(int channels, int height, int width) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("input shape must be positive [channels, height, width], found ["
                    + channels + ", " + height + ", " + width + "]");
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /** A model over [channels, height, width] inputs (features arrive flattened, as the data sets give them). */
    public static Sequential input(int channels, int height, int width) {
        return new Sequential(channels, height, width);
    }

    /** {@code nn.Conv2d(in, out, kernel_size)}: stride 1, no padding, dilation 1, with bias. */
    public Sequential conv2d(int outChannels, int kernelSize) {
        return add("conv2d", "out_channels", outChannels, "kernel_size", kernelSize);
    }

    public Sequential conv2d(int outChannels, int kernelSize, int stride, int padding, int dilation, boolean bias) {
        return add("conv2d", "out_channels", outChannels, "kernel_size", kernelSize, "stride", stride,
                "padding", padding, "dilation", dilation, "bias", bias);
    }

    /** {@code nn.MaxPool2d(kernel_size)}: stride = kernel_size, no padding. */
    public Sequential maxpool2d(int kernelSize) {
        return add("maxpool2d", "kernel_size", kernelSize);
    }

    public Sequential maxpool2d(int kernelSize, int stride, int padding) {
        return add("maxpool2d", "kernel_size", kernelSize, "stride", stride, "padding", padding);
    }

    public Sequential avgpool2d(int kernelSize) {
        return add("avgpool2d", "kernel_size", kernelSize);
    }

    public Sequential avgpool2d(int kernelSize, int stride, int padding) {
        return add("avgpool2d", "kernel_size", kernelSize, "stride", stride, "padding", padding);
    }

    public Sequential linear(int outFeatures) {
        return add("linear", "out_features", outFeatures);
    }

    public Sequential linear(int outFeatures, boolean bias) {
        return add("linear", "out_features", outFeatures, "bias", bias);
    }

    public Sequential flatten() {
        return add("flatten");
    }

    public Sequential relu() {
        return add("relu");
    }

    public Sequential sigmoid() {
        return add("sigmoid");
    }

    public Sequential tanh() {
        return add("tanh");
    }

    public Sequential elu() {
        return add("elu");
    }

    public Sequential leakyRelu(double negativeSlope) {
        return add("leaky_relu", "negative_slope", negativeSlope);
    }

    public Sequential softmax() {
        return add("softmax");
    }

    public Sequential batchnorm() {
        return add("batchnorm");
    }

    public Sequential batchnorm(double eps, double momentum) {
        return add("batchnorm", "eps", eps, "momentum", momentum);
    }

    /** {@code nn.Dropout(p)}: zeroes each activation with probability p in training, identity in eval. */
    public Sequential dropout(double p) {
        return add("dropout", "p", p);
    }

    /** The tutorial's {@code CenteredLayer}: x - x.mean() over the whole input tensor. */
    public Sequential centered() {
        return add("centered");
    }

    /** Centering per example ({@code perExample = true}) or over the whole input tensor. */
    public Sequential centered(boolean perExample) {
        return add("centered", "per_example", perExample);
    }

    /** The tutorial's parameter list: 4x4, 4x4, 4x4, 4x1. */
    public Sequential parameterList() {
        return add("parameter_list");
    }

    /** Matrices [rows, cols] applied in turn. */
    public Sequential parameterList(int[]... shapes) {
        List<List<Integer>> s = new ArrayList<>();
        for (int[] shape : shapes) {
            s.add(shape(shape));
        }
        return add("parameter_list", "shapes", s);
    }

    /** The tutorial's parameter dict (linear1 4x4, linear2 4x1, linear3 4x2) applying {@code choice}. */
    public Sequential parameterDict(String choice) {
        return add("parameter_dict", "choice", choice);
    }

    /** Named matrices [rows, cols], of which {@code choice} is applied. */
    public Sequential parameterDict(Map<String, int[]> params, String choice) {
        Map<String, Object> p = new LinkedHashMap<>();
        params.forEach((name, shape) -> p.put(name, shape(shape)));
        return add("parameter_dict", "params", p, "choice", choice);
    }

    /** Any layer as a config entry, e.g. {@code Map.of("type", "conv2d", "out_channels", 6, "kernel_size", 5)}. */
    public Sequential layer(Map<String, Object> layer) {
        layers.add(new LinkedHashMap<>(layer));
        return this;
    }

    /** The initialization seed; avoid 0 (see {@link #DEFAULT_SEED}). */
    public Sequential seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** float32 (default) or float64. */
    public Sequential dtype(String dtype) {
        this.dtype = dtype;
        return this;
    }

    /** The training loss as the config's {@code loss} object: {@code type} plus PyTorch's arguments. */
    public Sequential loss(Map<String, Object> loss) {
        this.loss = new LinkedHashMap<>(loss);
        return this;
    }

    /** The model description; its shapes are checked here. */
    public ModelSpec build() {
        Object classes = layers.isEmpty() ? null : layers.get(layers.size() - 1).get("out_features");
        if (!(classes instanceof Integer n)) {
            throw new IllegalArgumentException("the last layer must be linear(classes), found "
                    + (layers.isEmpty() ? "no layers" : layers.get(layers.size() - 1)));
        }
        ModelSpec spec = new ModelSpec("sequential", List.of(), dtype, channels, height, width, n, seed, loss,
                layers);
        ModelFactory.configuration(spec); // checks the shapes: IllegalArgumentException naming the layer
        return spec;
    }

    private Sequential add(String type, Object... keyValues) {
        Map<String, Object> layer = new LinkedHashMap<>();
        layer.put("type", type);
        for (int i = 0; i < keyValues.length; i += 2) {
            layer.put((String) keyValues[i], keyValues[i + 1]);
        }
        layers.add(layer);
        return this;
    }

    private static List<Integer> shape(int[] shape) {
        List<Integer> s = new ArrayList<>();
        for (int d : shape) {
            s.add(d);
        }
        return s;
    }
}
