package dev.sparktrain.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A model summary as PyTorch users read it: the module tree as {@code print(net)} shows it, then
 * per layer the output shape (as PyTorch's [-1, C, H, W]) and the parameter count, and the totals
 * of trainable and frozen (non-trainable) parameters. As in PyTorch, buffers (batch-norm running
 * statistics) are not parameters: they are counted on a line of their own.
 */
public final class ModelSummary {

    /** One layer's row; {@code inputs} names the nodes a graph's layer or vertex reads (empty when sequential). */
    public record Row(String name, String module, List<Long> outputShape, long params, boolean trainable,
                      List<String> inputs) {
        public Row {
            inputs = List.copyOf(inputs);
        }

        public Row(String name, String module, List<Long> outputShape, long params, boolean trainable) {
            this(name, module, outputShape, params, trainable, List.of());
        }
    }

    private final String title;
    private final List<Row> rows;
    private final long buffers;

    ModelSummary(String title, List<Row> rows, long buffers) {
        this.title = title;
        this.rows = List.copyOf(rows);
        this.buffers = buffers;
    }

    /** The summary of {@code replica}'s network; parameters named in {@code frozen} count as non-trainable. */
    public static ModelSummary of(Replica replica, Set<String> frozen) {
        if (replica.net() instanceof Network.Graph g) {
            return GraphSummary.of(g.graph(), g.inputTypes(), g.title(), frozen);
        }
        ModelSpec spec = replica.spec();
        String title = spec.type().equals("lenet") ? "LeNet" : spec.type().substring(0, 1).toUpperCase(Locale.ROOT)
                + spec.type().substring(1);
        return of(replica.network(), InputType.convolutional(spec.height(), spec.width(), spec.channels()), title,
                frozen);
    }

    /** The summary of any network built by sparktrain, e.g. one restored from a model.zip. */
    public static ModelSummary of(MultiLayerNetwork net, InputType input, String title, Set<String> frozen) {
        if (input instanceof InputType.InputTypeConvolutional c) {
            // sparktrain's networks take images flattened: a first dense layer (mlp) has no preprocessor
            input = InputType.convolutionalFlat(c.getHeight(), c.getWidth(), c.getChannels());
        }
        List<InputType> shapes = net.getLayerWiseConfigurations().getLayerActivationTypes(input);
        ParamLayout layout = ParamLayout.of(net);
        List<Row> rows = new ArrayList<>();
        InputType in = input;
        for (int i = 0; i < net.getLayers().length; i++) {
            Layer layer = net.getLayer(i);
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            String name = conf.getLayerName();
            boolean trainable = layout.segments().stream().filter(s -> s.layer().equals(name))
                    .noneMatch(s -> frozen.contains(s.name()));
            String flatten = flattenBefore(name, net.getLayerWiseConfigurations().getInputPreProcess(i), rows);
            if (flatten != null) { // nn.Sequential's Flatten module: a DL4J input preprocessor of this layer
                rows.add(new Row(flatten, "Flatten(start_dim=1, end_dim=-1)",
                        List.of(-1L, in.arrayElementsPerExample()), 0, true));
            }
            rows.add(new Row(name, module(conf, in), shape(shapes.get(i)), params(layout, name), trainable));
            in = shapes.get(i);
        }
        return new ModelSummary(title, rows, buffers(layout));
    }

    /**
     * The name of the sequential Flatten module in front of layer {@code name}: when DL4J flattens its
     * input and the layers are named by list index with one index free before it.
     */
    private static String flattenBefore(String name, org.deeplearning4j.nn.conf.InputPreProcessor pre,
                                        List<Row> before) {
        if (!(pre instanceof org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor)
                || !name.matches("\\d+") || Integer.parseInt(name) == 0) {
            return null;
        }
        String gap = String.valueOf(Integer.parseInt(name) - 1);
        return before.stream().anyMatch(r -> r.name().equals(gap)) ? null : gap;
    }

    /**
     * The summary of a ComputationGraph, e.g. one restored from a model.zip: one row per layer or
     * vertex in topological order, with the nodes it reads; {@code inputs} are the types of the
     * network's inputs, in order.
     */
    public static ModelSummary of(org.deeplearning4j.nn.graph.ComputationGraph graph, List<InputType> inputs,
                                  String title, Set<String> frozen) {
        return GraphSummary.of(graph, inputs, title, frozen);
    }

    /** A layer's parameter count as torch counts it: its buffers (running statistics) excluded. */
    static long params(ParamLayout layout, String layer) {
        return layout.trainable().stream().filter(s -> s.layer().equals(layer)).mapToLong(ParamLayout.Segment::length)
                .sum();
    }

    static long buffers(ParamLayout layout) {
        return layout.buffers().stream().mapToLong(ParamLayout.Segment::length).sum();
    }

    public List<Row> rows() {
        return rows;
    }

    public long totalParams() {
        return rows.stream().mapToLong(Row::params).sum();
    }

    public long trainableParams() {
        return rows.stream().filter(Row::trainable).mapToLong(Row::params).sum();
    }

    /** {@code print(net)}, then the table and totals. */
    public String render() {
        if (rows.stream().anyMatch(r -> !r.inputs().isEmpty())) {
            return GraphSummary.render(title, rows, totals());
        }
        StringBuilder b = new StringBuilder(title).append("(\n");
        for (Row r : rows) {
            b.append("  (").append(r.name()).append("): ").append(r.module()).append('\n');
        }
        b.append(")\n");
        String line = "-".repeat(72) + "\n";
        b.append(line).append(String.format(Locale.ROOT, "%-24s %-26s %12s %8s%n", "Layer (type)", "Output Shape",
                "Param #", "Train"));
        b.append("=".repeat(72)).append('\n');
        for (Row r : rows) {
            String type = r.module().substring(0, r.module().indexOf('('));
            b.append(String.format(Locale.ROOT, "%-24s %-26s %,12d %8s%n", r.name() + " (" + type + ")",
                    r.outputShape().toString(), r.params(), r.params() == 0 ? "" : r.trainable() ? "yes" : "frozen"));
        }
        b.append("=".repeat(72)).append('\n');
        return b.append(totals()).append(line).toString();
    }

    /** The totals lines: parameters (trainable, frozen) and, when there are any, buffers. */
    private String totals() {
        String t = String.format(Locale.ROOT, "Total params: %,d%nTrainable params: %,d%nNon-trainable params: %,d%n",
                totalParams(), trainableParams(), totalParams() - trainableParams());
        return buffers == 0 ? t : t + String.format(Locale.ROOT, "Buffers (running statistics): %,d%n", buffers);
    }

    static List<Long> shape(InputType t) {
        List<Long> s = new ArrayList<>();
        s.add(-1L);
        for (long d : t.getShape(false)) {
            s.add(d);
        }
        return s;
    }

    /** PyTorch's module repr for the layer kinds of the zoo and sequential models (custom layers print themselves). */
    static String module(org.deeplearning4j.nn.conf.layers.Layer conf, InputType in) {
        if (conf instanceof dev.sparktrain.model.layers.ModuleRepr custom) {
            return custom.repr();
        }
        if (conf instanceof ConvolutionLayer c) {
            return String.format(Locale.ROOT, "Conv2d(%d, %d, kernel_size=%s, stride=%s%s)", c.getNIn(), c.getNOut(),
                    pair(c.getKernelSize()), pair(c.getStride()),
                    (Arrays.stream(c.getPadding()).allMatch(p -> p == 0) ? "" : ", padding=" + pair(c.getPadding()))
                    + (Arrays.stream(c.getDilation()).allMatch(d -> d == 1) ? "" : ", dilation=" + pair(c.getDilation()))
                    + (c.hasBias() ? "" : ", bias=False"));
        }
        if (conf instanceof SubsamplingLayer p) {
            String kind = p.getPoolingType().toString().equalsIgnoreCase("MAX") ? "MaxPool2d" : "AvgPool2d";
            return String.format(Locale.ROOT, "%s(kernel_size=%d, stride=%d)", kind, p.getKernelSize()[0],
                    p.getStride()[0]);
        }
        if (conf instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization bn) { // before FeedForwardLayer
            boolean image = in != null && (in.getType() == InputType.Type.CNN || in.getType() == InputType.Type.CNNFlat);
            // as PyTorch prints it: eps=1e-05 (Python's repr of small floats)
            String eps = bn.getEps() < 1e-4 ? String.format(Locale.ROOT, "%.0e", bn.getEps()) : String.valueOf(bn.getEps());
            return String.format(Locale.ROOT, "BatchNorm%s(%d, eps=%s, momentum=%s, affine=True, "
                    + "track_running_stats=True)", image ? "2d" : "1d", bn.getNOut(), eps,
                    Math.round((1 - bn.getDecay()) * 1e6) / 1e6);
        }
        if (conf instanceof org.deeplearning4j.nn.conf.layers.DropoutLayer d) {
            return d.getIDropout() instanceof org.deeplearning4j.nn.conf.dropout.Dropout drop
                    ? String.format(Locale.ROOT, "Dropout(p=%s)", Math.round((1 - drop.getP()) * 1e6) / 1e6)
                    : "Dropout()";
        }
        if (conf instanceof FeedForwardLayer f) {
            boolean bias = !(conf instanceof DenseLayer d) || d.hasBias();
            return String.format(Locale.ROOT, "Linear(in_features=%d, out_features=%d, bias=%s)", f.getNIn(),
                    f.getNOut(), bias ? "True" : "False");
        }
        if (conf instanceof org.deeplearning4j.nn.conf.layers.ActivationLayer a) {
            String f = a.getActivationFn().toString().toLowerCase(Locale.ROOT);
            return switch (f) {
                case "relu" -> "ReLU()";
                case "sigmoid" -> "Sigmoid()";
                case "tanh" -> "Tanh()";
                case "elu" -> "ELU(alpha=1.0)";
                case "softmax" -> "Softmax(dim=1)";
                default -> f.startsWith("leakyrelu") ? "LeakyReLU()" : "Activation(" + f + ")";
            };
        }
        return conf.getClass().getSimpleName() + "()";
    }

    private static String pair(int[] v) {
        return "(" + v[0] + ", " + v[1] + ")";
    }
}
