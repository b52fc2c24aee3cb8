package dev.sparktrain.model;

import dev.sparktrain.config.ModelConfig;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to build the same network anywhere: architecture, input shape, classes, dtype
 * and the initialization seed. Small and serializable, so tasks carry it instead of a network.
 */
public record ModelSpec(String type, List<Integer> hidden, String dtype, int channels, int height, int width,
                        int classes, long seed, Map<String, Object> loss, List<Map<String, Object>> layers)
        implements Serializable {

    public ModelSpec {
        hidden = "mlp".equals(type) ? List.copyOf(hidden) : List.of(); // only the mlp reads it
        if (!"float32".equals(dtype) && !"float64".equals(dtype)) {
            throw new IllegalArgumentException("dtype must be float32 or float64, found " + dtype);
        }
        loss = loss == null ? null : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(loss));
        layers = layers == null ? List.of() : layers.stream()
                .map(l -> java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(l))).toList();
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

    public static ModelSpec of(ModelConfig model, int channels, int height, int width, int classes, long seed) {
        return new ModelSpec(model.type(), model.hidden(), model.dtype(), channels, height, width, classes, seed,
                model.loss(), model.layers());
    }

    /** The same spec with another layer list (a zoo model given as nn.Sequential layers). */
    public ModelSpec withLayers(List<Map<String, Object>> newLayers) {
        return new ModelSpec(type, hidden, dtype, channels, height, width, classes, seed, loss, newLayers);
    }

    /** The same model initialized from another seed. */
    public ModelSpec withSeed(long newSeed) {
        return new ModelSpec(type, hidden, dtype, channels, height, width, classes, newSeed, loss, layers);
    }

    /** The same model in another precision: float32 or float64. */
    public ModelSpec withDtype(String newDtype) {
        return new ModelSpec(type, hidden, newDtype, channels, height, width, classes, seed, loss, layers);
    }

    /** The same model with another loss ({@code type} plus PyTorch's arguments, as the config's {@code loss}). */
    public ModelSpec withLoss(Map<String, Object> newLoss) {
        return new ModelSpec(type, hidden, dtype, channels, height, width, classes, seed, newLoss, layers);
    }

    public boolean doublePrecision() {
        return "float64".equals(dtype);
    }
}
