package dev.sparktrain.config;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which network to build; {@code path} is a DL4J model's configuration JSON or model.zip (type dl4j). */
public record ModelConfig(String type, List<Integer> hidden, String dtype, Map<String, Object> loss,
                          List<Map<String, Object>> layers, String path) {
    public static final Set<String> TYPES = Set.of("lenet", "mlp", "bncnn", "resnet", "sequential", "dl4j");
    public static final Set<String> DTYPES = Set.of("float32", "float64");

    public ModelConfig {
        hidden = List.copyOf(hidden);
        loss = loss == null ? null : Map.copyOf(loss);
        layers = layers == null ? List.of() : List.copyOf(layers);
        path = path == null ? "" : path;
        if (type.equals("dl4j") && path.isBlank()) {
            throw ConfigException.badValue("model.path", "a DL4J configuration JSON or model.zip for model.type = dl4j",
                    "''");
        }
    }

    public ModelConfig(String type, List<Integer> hidden, String dtype) {
        this(type, hidden, dtype, null, List.of(), "");
    }

    static ModelConfig read(ConfigReader r) {
        String type = r.choice("model.type", TYPES);
        List<Integer> hidden = r.raw().getIntList("model.hidden");
        for (int width : hidden) {
            if (width <= 0) {
                throw ConfigException.badValue("model.hidden", "a list of positive widths", hidden);
            }
        }
        List<Map<String, Object>> layers = new java.util.ArrayList<>();
        for (com.typesafe.config.Config l : r.raw().getConfigList("model.layers")) {
            layers.add(l.root().unwrapped());
        }
        if (type.equals("sequential") && layers.isEmpty()) {
            throw ConfigException.badValue("model.layers", "a list of layers for model.type = sequential", "[]");
        }
        return new ModelConfig(type, hidden, r.choice("model.dtype", DTYPES), loss(r), layers, r.string("model.path"));
    }

    /** The {@code loss} key: a name, or an object with a type; checked by building it once. */
    private static Map<String, Object> loss(ConfigReader r) {
        if (r.raw().getIsNull("loss")) {
            return null;
        }
        Object v = r.raw().getValue("loss").unwrapped();
        Map<String, Object> spec = new java.util.LinkedHashMap<>();
        if (v instanceof String name) {
            spec.put("type", name);
        } else if (v instanceof Map<?, ?> m && m.get("type") instanceof String) {
            m.forEach((k, val) -> spec.put(k.toString(), val));
        } else {
            throw ConfigException.badValue("loss", "a loss name or { type = name, ... }", v);
        }
        try {
            Map<String, Object> args = new java.util.LinkedHashMap<>(spec);
            args.remove("type");
            new dev.sparktrain.loss.Dl4jLoss((String) spec.get("type"), args);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + " (conf key loss)", e);
        }
        return spec;
    }
}
