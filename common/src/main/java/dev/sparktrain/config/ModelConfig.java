package dev.sparktrain.config;

import java.util.List;
import java.util.Set;

/** Which network to build. */
public record ModelConfig(String type, List<Integer> hidden, String dtype) {
    public static final Set<String> TYPES = Set.of("lenet", "mlp");
    public static final Set<String> DTYPES = Set.of("float32", "float64");

    public ModelConfig {
        hidden = List.copyOf(hidden);
    }

    static ModelConfig read(ConfigReader r) {
        String type = r.choice("model.type", TYPES);
        List<Integer> hidden = r.raw().getIntList("model.hidden");
        for (int width : hidden) {
            if (width <= 0) {
                throw ConfigException.badValue("model.hidden", "a list of positive widths", hidden);
            }
        }
        return new ModelConfig(type, hidden, r.choice("model.dtype", DTYPES));
    }
}
