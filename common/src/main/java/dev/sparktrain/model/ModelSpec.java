package dev.sparktrain.model;

import dev.sparktrain.config.ModelConfig;

import java.io.Serializable;
import java.util.List;

/**
 * Everything needed to build the same network anywhere: architecture, input shape, classes, dtype
 * and the initialization seed. Small and serializable, so tasks carry it instead of a network.
 */
public record ModelSpec(String type, List<Integer> hidden, String dtype, int channels, int height, int width,
                        int classes, long seed) implements Serializable {

    public ModelSpec {
        hidden = List.copyOf(hidden);
    }

    public static ModelSpec of(ModelConfig model, int channels, int height, int width, int classes, long seed) {
        return new ModelSpec(model.type(), model.hidden(), model.dtype(), channels, height, width, classes, seed);
    }

    public boolean doublePrecision() {
        return "float64".equals(dtype);
    }
}
