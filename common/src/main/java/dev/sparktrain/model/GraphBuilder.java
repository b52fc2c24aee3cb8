package dev.sparktrain.model;

import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds non-sequential models (several inputs, skip connections) as DL4J ComputationGraphs, the way
 * a PyTorch {@code forward} wires modules: every node has a name (its parameters are
 * {@code <name>.weight} and {@code <name>.bias}) and names the nodes it reads. Inputs are given flat,
 * as the engine's minibatches are: an image input of C x H x W takes {@code [N, C*H*W]}.
 * The settings are those of the zoo: PyTorch's default initialization (uniform in +-1/sqrt(fan_in),
 * zero biases), no DL4J updater (sparktrain's optimizers step the flat parameters).
 * <pre>{@code
 * GraphModel m = GraphBuilder.create("Net", seed)
 *     .imageInput("image", 1, 28, 28).vectorInput("meta", 4)
 *     .conv2d("conv1", "image", 8, 3, 1, 1).relu("relu1", "conv1").conv2d("conv2", "relu1", 8, 3, 1, 1)
 *     .add("skip", "conv2", "conv1").globalAvgPool("pool", "skip")
 *     .cat("cat", "pool", "meta").linear("fc1", "cat", 32).relu("relu2", "fc1")
 *     .output("fc2", "relu2", 10, null).build();
 * }</pre>
 */
public final class GraphBuilder {
    private final String title;
    private final long seed;
    private DataType dtype = DataType.FLOAT;
    private final List<String> inputs = new ArrayList<>();
    private final List<InputType> inputTypes = new ArrayList<>();
    private final Set<String> names = new LinkedHashSet<>();
    private final List<Node> nodes = new ArrayList<>();
    private String output;

    private record Node(String name, Object layerOrVertex, String[] inputs) {
    }

    private GraphBuilder(String title, long seed) {
        this.title = title;
        this.seed = seed;
    }

    /** A new model; {@code title} heads its summary, {@code seed} decides the initial weights. */
    public static GraphBuilder create(String title, long seed) {
        return new GraphBuilder(title, seed);
    }

    /** float32 (the default) or float64. */
    public GraphBuilder dtype(String dtype) {
        this.dtype = switch (dtype) {
            case "float32" -> DataType.FLOAT;
            case "float64" -> DataType.DOUBLE;
            default -> throw new IllegalArgumentException("dtype must be float32 or float64, found " + dtype);
        };
        return this;
    }

    /** An image input of {@code channels x height x width}, fed flat as {@code [N, C*H*W]}. */
    public GraphBuilder imageInput(String name, int channels, int height, int width) {
        return input(name, InputType.convolutionalFlat(height, width, channels));
    }

    /** A vector input of {@code features}, fed as {@code [N, features]}. */
    public GraphBuilder vectorInput(String name, int features) {
        return input(name, InputType.feedForward(features));
    }

    private GraphBuilder input(String name, InputType type) {
        if (!nodes.isEmpty()) {
            throw new IllegalStateException("input '" + name + "' declared after node '" + nodes.get(0).name()
                    + "': declare the inputs first");
        }
        claim(name);
        inputs.add(name);
        inputTypes.add(type);
        return this;
    }

    /** nn.Conv2d(in, out_channels, kernel_size, stride, padding), in inferred from the input. */
    public GraphBuilder conv2d(String name, String input, int outChannels, int kernel, int stride, int padding) {
        return node(name, new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).padding(padding, padding)
                .nOut(outChannels).activation(Activation.IDENTITY).build(), input);
    }

    /** nn.Linear(in, out_features), in inferred from the input (flattened when it is an image). */
    public GraphBuilder linear(String name, String input, int outFeatures) {
        return node(name, new DenseLayer.Builder().nOut(outFeatures).activation(Activation.IDENTITY).build(), input);
    }

    public GraphBuilder relu(String name, String input) {
        return node(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), input);
    }

    /**
     * nn.BatchNorm2d / nn.BatchNorm1d (by the input's kind) with PyTorch's defaults, eps 1e-5 and
     * momentum 0.1; its running statistics are buffers (see {@link ParamLayout}).
     */
    public GraphBuilder batchnorm(String name, String input) {
        return node(name, new BatchNormalization.Builder().eps(1e-5).decay(0.9).build(), input);
    }

    /** nn.Dropout(p): zeroes with probability p and scales by 1/(1-p) in training, identity in eval. */
    public GraphBuilder dropout(String name, String input, double p) {
        return node(name, new DropoutLayer.Builder(1 - p).build(), input);
    }

    /** nn.MaxPool2d(kernel_size, stride). */
    public GraphBuilder maxPool2d(String name, String input, int kernel, int stride) {
        return node(name, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(kernel, kernel)
                .stride(stride, stride).build(), input);
    }

    /** nn.AdaptiveAvgPool2d(1) followed by flatten: [N, C, H, W] to [N, C]. */
    public GraphBuilder globalAvgPool(String name, String input) {
        return node(name, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), input);
    }

    /** {@code a + b + ...}: element-wise sum of same-shaped nodes (a residual connection). */
    public GraphBuilder add(String name, String... inputs) {
        return node(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), inputs);
    }

    /** {@code torch.cat(inputs, dim=1)}: concatenates features (or channels) of the inputs. */
    public GraphBuilder cat(String name, String... inputs) {
        return node(name, new MergeVertex(), inputs);
    }

    /**
     * The classifier and the model's output: a linear layer of {@code classes} with the loss given as
     * the job config's {@code loss} key is (a map with {@code type} and PyTorch's arguments), or with
     * DL4J's softmax + cross-entropy when {@code loss} is null.
     */
    public GraphBuilder output(String name, String input, int classes, Map<String, Object> loss) {
        if (output != null) {
            throw new IllegalStateException("the model already has its output '" + output + "'; one output only");
        }
        node(name, ModelFactory.outputLayer(loss).nOut(classes).build(), input);
        output = name;
        return this;
    }

    private GraphBuilder node(String name, Object layerOrVertex, String... from) {
        if (from.length == 0) {
            throw new IllegalArgumentException("node '" + name + "' names no input");
        }
        for (String in : from) {
            if (!names.contains(in)) {
                throw new IllegalArgumentException("node '" + name + "' reads '" + in + "', which is not defined "
                        + "before it; defined: " + names);
            }
        }
        claim(name);
        nodes.add(new Node(name, layerOrVertex, from.clone()));
        return this;
    }

    private void claim(String name) {
        if (name == null || name.isBlank() || !names.add(name)) {
            throw new IllegalArgumentException("node name '" + name + "' is empty or already used; used: " + names);
        }
    }

    public GraphModel build() {
        if (inputs.isEmpty() || output == null) {
            throw new IllegalStateException("a model needs at least one input and an output(...); inputs " + inputs
                    + ", output " + output);
        }
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(InitSeed.of(seed))
                .dataType(dtype)
                .optimizationAlgo(OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT)
                .updater(new NoOp())
                .weightInit(WeightInit.UNIFORM)
                .cacheMode(CacheMode.DEVICE) // backprop reuses the forward im2col: same values, less work
                .graphBuilder()
                .addInputs(inputs);
        for (Node n : nodes) {
            if (n.layerOrVertex() instanceof Layer layer) {
                g.addLayer(n.name(), layer, n.inputs());
            } else {
                g.addVertex(n.name(), (GraphVertex) n.layerOrVertex(), n.inputs());
            }
        }
        g.setOutputs(output).setInputTypes(inputTypes.toArray(new InputType[0]));
        try {
            return new GraphModel(title, g.build(), inputTypes);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("model " + title + " cannot be built: " + e.getMessage(), e);
        }
    }
}
