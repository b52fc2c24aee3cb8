package dev.sparktrain.model;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to build the same network anywhere: architecture, input shape, classes, dtype
 * and the initialization seed. Small and serializable, so tasks carry it instead of a network. A
 * model given as a DL4J configuration ({@code type} dl4j) carries its JSON ({@code dl4j}, with the
 * updaters replaced: see {@link Dl4jModels}).
 */
public record ModelSpec(String type, List<Integer> hidden, String dtype, int channels, int height, int width,
                        int classes, long seed, Map<String, Object> loss, List<Map<String, Object>> layers,
                        String dl4j) implements Serializable {

    public ModelSpec {
        hidden = "mlp".equals(type) ? List.copyOf(hidden) : List.of(); // only the mlp reads it
        if (!"float32".equals(dtype) && !"float64".equals(dtype)) {
            throw new IllegalArgumentException("dtype must be float32 or float64, found " + dtype);
        }
        loss = loss == null ? null : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(loss));
        layers = layers == null ? List.of() : layers.stream()
                .map(l -> java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(l))).toList();
        if (Dl4jModels.TYPE.equals(type) == (dl4j == null)) {
            throw new IllegalArgumentException("a DL4J configuration comes with model type dl4j, and only with it");
        }
    }

    /** Any model but a DL4J configuration. */
    public ModelSpec(String type, List<Integer> hidden, String dtype, int channels, int height, int width,
                     int classes, long seed, Map<String, Object> loss, List<Map<String, Object>> layers) {
        this(type, hidden, dtype, channels, height, width, classes, seed, loss, layers, null);
    }

    /**
     * A DL4J configuration (MultiLayerConfiguration or ComputationGraphConfiguration JSON) as it is,
     * for examples of {@code channels x height x width} and {@code classes} outputs; its updaters are
     * replaced (sparktrain's optimizer steps the parameters), its precision and seed are its own.
     */
    public static ModelSpec dl4j(String json, int channels, int height, int width, int classes) {
        String prepared = Dl4jModels.prepare(json);
        return new ModelSpec(Dl4jModels.TYPE, List.of(), Dl4jModels.dtype(prepared), channels, height, width, classes,
                0, null, List.of(), prepared);
    }

    /** A zoo model (not sequential) with the given loss. */
    public ModelSpec(String type, List<Integer> hidden, String dtype, int channels, int height, int width,
                     int classes, long seed, Map<String, Object> loss) {
        this(type, hidden, dtype, channels, height, width, classes, seed, loss, List.of());
    }

    /** With the built-in softmax + cross-entropy output. */
    public ModelSpec(String type, List<Integer> hidden, String dtype, int channels, int height, int width,
                     int classes, long seed) {
        this(type, hidden, dtype, channels, height, width, classes, seed, null);
    }

    /** The same spec with another layer list (a zoo model given as nn.Sequential layers). */
    public ModelSpec withLayers(List<Map<String, Object>> newLayers) {
        return new ModelSpec(type, hidden, dtype, channels, height, width, classes, seed, loss, newLayers, dl4j);
    }

    /** The same model initialized from another seed. */
    public ModelSpec withSeed(long newSeed) {
        return new ModelSpec(type, hidden, dtype, channels, height, width, classes, newSeed, loss, layers, dl4j);
    }

    /** The same model in another precision: float32 or float64. */
    public ModelSpec withDtype(String newDtype) {
        return new ModelSpec(type, hidden, newDtype, channels, height, width, classes, seed, loss, layers, dl4j);
    }

    /** The same model with another loss ({@code type} plus PyTorch's arguments, as the config's {@code loss}). */
    public ModelSpec withLoss(Map<String, Object> newLoss) {
        return new ModelSpec(type, hidden, dtype, channels, height, width, classes, seed, newLoss, layers, dl4j);
    }

    public boolean doublePrecision() {
        return "float64".equals(dtype);
    }
}
