package dev.sparktrain.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The named parameter tensors of a network and where each lies in the flat parameter vector, with
 * PyTorch-style names: {@code <layer>.<weight|bias>} (DL4J's W and b; other DL4J keys lowercased, e.g.
 * a batch norm's {@code bn1.gamma}). These names are the stable ids of optimizer state and of param
 * group selection. Segments flagged {@code buffer} are what PyTorch calls buffers: state that the
 * forward pass in training mode updates (a batch norm's running mean and log10 std), not trained by
 * any optimizer. For those DL4J's backprop returns, in place of a gradient, the difference
 * {@code old - new} of the moving average over the minibatch.
 */
public record ParamLayout(List<Segment> segments) implements Serializable {

    /** One parameter tensor: its name, its offset and length in the flat vector, its shape. */
    public record Segment(String name, String layer, long offset, long length, long[] shape, boolean buffer)
            implements Serializable {
        /** A trainable parameter. */
        public Segment(String name, String layer, long offset, long length, long[] shape) {
            this(name, layer, offset, length, shape, false);
        }
    }

    public ParamLayout {
        segments = List.copyOf(segments);
    }

    public static ParamLayout of(MultiLayerNetwork net) {
        return of(net.params(), net.getLayers());
    }

    /** For a ComputationGraph: the layers in DL4J's topological order, named by their vertex names. */
    public static ParamLayout of(ComputationGraph graph) {
        return of(graph.params(), graph.getLayers());
    }

    static ParamLayout of(Network net) {
        return of(net.params(), net.layers());
    }

    private static ParamLayout of(INDArray flat, Layer[] layers) {
        List<Segment> out = new ArrayList<>();
        for (Layer layer : layers) {
            String layerName = layer.conf().getLayer().getLayerName();
            // DL4J's updater divides every gradient by the minibatch size except running statistics'
            layer.paramTable().forEach((key, view) -> out.add(new Segment(layerName + "." + paramName(key),
                    layerName, view.offset() - flat.offset(), view.length(), view.shape(),
                    !layer.updaterDivideByMinibatch(key))));
        }
        out.sort(java.util.Comparator.comparingLong(Segment::offset));
        long expected = 0;
        for (Segment s : out) {
            if (s.offset() != expected) {
                throw new IllegalStateException("parameter " + s.name() + " starts at " + s.offset()
                        + ", expected " + expected + ": the flat parameter vector has gaps");
            }
            expected += s.length();
        }
        if (expected != flat.length()) {
            throw new IllegalStateException("named parameters cover " + expected + " of " + flat.length());
        }
        return new ParamLayout(out);
    }

    private static String paramName(String dl4jKey) {
        return switch (dl4jKey) {
            case "W" -> "weight";
            case "b" -> "bias";
            default -> dl4jKey.toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** Elements of the flat vector: trainable parameters and buffers. */
    public long numParams() {
        return segments.stream().mapToLong(Segment::length).sum();
    }

    /** The trainable parameters (every segment that is not a buffer), in flat-vector order. */
    public List<Segment> trainable() {
        return segments.stream().filter(s -> !s.buffer()).toList();
    }

    /** The buffers (running statistics), in flat-vector order. */
    public List<Segment> buffers() {
        return segments.stream().filter(Segment::buffer).toList();
    }

    /** Layer names that hold parameters, in order. */
    public Set<String> layers() {
        Set<String> layers = new LinkedHashSet<>();
        segments.forEach(s -> layers.add(s.layer()));
        return layers;
    }

    /**
     * {@code sourceParams} (laid out as {@code source}) placed by name into a new flat vector of this
     * layout and {@code dtype}; every parameter missing on either side or of another shape is named, with
     * both shapes, in the exception.
     */
    public INDArray placeFrom(ParamLayout source, INDArray sourceParams, org.nd4j.linalg.api.buffer.DataType dtype) {
        java.util.Map<String, Segment> from = new java.util.LinkedHashMap<>();
        source.segments().forEach(s -> from.put(s.name(), s));
        List<String> mismatches = new ArrayList<>();
        for (Segment t : segments) {
            Segment s = from.remove(t.name());
            if (s == null) {
                mismatches.add(t.name() + " " + java.util.Arrays.toString(t.shape()) + " here, missing there");
            } else if (!java.util.Arrays.equals(s.shape(), t.shape())) {
                mismatches.add(t.name() + " " + java.util.Arrays.toString(s.shape()) + " there, "
                        + java.util.Arrays.toString(t.shape()) + " here");
            }
        }
        from.values().forEach(s -> mismatches.add(s.name() + " " + java.util.Arrays.toString(s.shape())
                + " there, missing here"));
        if (!mismatches.isEmpty()) {
            throw new IllegalArgumentException("the parameters do not match: " + String.join("; ", mismatches));
        }
        INDArray out = org.nd4j.linalg.factory.Nd4j.create(dtype, numParams());
        INDArray src = sourceParams.reshape(sourceParams.length()).castTo(dtype);
        for (Segment t : segments) {
            Segment s = source.segment(t.name());
            out.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(t.offset(), t.offset() + t.length()))
                    .assign(src.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(s.offset(), s.offset() + s.length())));
        }
        return out;
    }

    public Segment segment(String name) {
        return segments.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no parameter named '" + name + "'; parameters: "
                        + segments.stream().map(Segment::name).toList()));
    }
}
