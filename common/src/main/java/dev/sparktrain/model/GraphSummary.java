package dev.sparktrain.model;

import dev.sparktrain.model.ModelSummary.Row;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@link ModelSummary} of a ComputationGraph: the layers and vertices in topological order, each
 * with PyTorch's module repr (vertices as the operation {@code forward} would write: {@code Add()},
 * {@code Cat(dim=1)}), its output shape, parameter count and the nodes it reads.
 */
final class GraphSummary {
    private GraphSummary() {
    }

    static ModelSummary of(ComputationGraph graph, List<InputType> inputs, String title, Set<String> frozen) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        List<String> inputNames = conf.getNetworkInputs();
        if (inputs.size() != inputNames.size()) {
            throw new IllegalArgumentException(inputs.size() + " input types given for the graph's inputs " + inputNames);
        }
        Map<String, InputType> types = conf.getLayerActivationTypes(true, false, inputs.toArray(new InputType[0]));
        ParamLayout layout = ParamLayout.of(graph);
        List<Row> rows = new ArrayList<>();
        for (int index : graph.topologicalSortOrder()) {
            org.deeplearning4j.nn.graph.vertex.GraphVertex v = graph.getVertices()[index];
            if (v.isInputVertex()) {
                continue;
            }
            String name = v.getVertexName();
            List<String> from = conf.getVertexInputs().get(name);
            InputType in = typeOf(from.get(0), types, inputNames, inputs);
            boolean trainable = layout.segments().stream().filter(s -> s.layer().equals(name))
                    .noneMatch(s -> frozen.contains(s.name()));
            rows.add(new Row(name, module(conf.getVertices().get(name), in), ModelSummary.shape(types.get(name)),
                    ModelSummary.params(layout, name), trainable, from));
        }
        return new ModelSummary(title, rows, ModelSummary.buffers(layout));
    }

    private static InputType typeOf(String node, Map<String, InputType> types, List<String> inputNames,
                                    List<InputType> inputs) {
        int i = inputNames.indexOf(node);
        return i >= 0 ? inputs.get(i) : types.get(node);
    }

    private static String module(GraphVertex vertex, InputType in) {
        if (vertex instanceof LayerVertex lv) {
            org.deeplearning4j.nn.conf.layers.Layer layer = lv.getLayerConf().getLayer();
            if (layer instanceof GlobalPoolingLayer p) {
                return p.getPoolingType().toString().equalsIgnoreCase("MAX")
                        ? "AdaptiveMaxPool2d(output_size=(1, 1))" : "AdaptiveAvgPool2d(output_size=(1, 1))";
            }
            return ModelSummary.module(layer, in);
        }
        if (vertex instanceof ElementWiseVertex e) {
            String op = e.getOp().toString();
            return op.substring(0, 1).toUpperCase(Locale.ROOT) + op.substring(1).toLowerCase(Locale.ROOT) + "()";
        }
        if (vertex instanceof MergeVertex) {
            return "Cat(dim=1)";
        }
        return vertex.getClass().getSimpleName() + "()";
    }

    /** {@code print(net)}, then the table with a "Connected to" column, and the totals. */
    static String render(String title, List<Row> rows, String totals) {
        StringBuilder b = new StringBuilder(title).append("(\n");
        for (Row r : rows) {
            b.append("  (").append(r.name()).append("): ").append(r.module()).append('\n');
        }
        b.append(")\n");
        String format = "%-32s %-18s %9s %6s  %s%n";
        String line = "-".repeat(96) + "\n";
        b.append(line).append(String.format(Locale.ROOT, format, "Layer (type)", "Output Shape", "Param #", "Train",
                "Connected to"));
        b.append("=".repeat(96)).append('\n');
        for (Row r : rows) {
            String type = r.module().substring(0, r.module().indexOf('('));
            b.append(String.format(Locale.ROOT, format, r.name() + " (" + type + ")", r.outputShape().toString(),
                    String.format(Locale.ROOT, "%,d", r.params()), r.params() == 0 ? "" : r.trainable() ? "yes" : "frozen",
                    String.join(", ", r.inputs())));
        }
        b.append("=".repeat(96)).append('\n');
        return b.append(totals).append(line).toString();
    }
}
