package dev.sparktrain.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Which network to build; {@code path} is a DL4J model's configuration JSON or model.zip (type dl4j). */
public record ModelConfig(String type, List<Integer> hidden, String dtype, Map<String, Object> loss,
                          List<Map<String, Object>> layers, String path) {
    public static final Set<String> TYPES = Set.of("lenet", "mlp", "bncnn", "resnet", "sequential", "dl4j");
    public static final Set<String> DTYPES = Set.of("float32", "float64");

    /**
     * Checked as the config file is, with its messages: the type and dtype (lower-cased), positive hidden
     * widths, layers for a sequential model, a path for a DL4J model, and the loss (built once).
     */
    public ModelConfig {
        type = Check.choice("model.type", type.toLowerCase(Locale.ROOT), TYPES);
        dtype = Check.choice("model.dtype", dtype.toLowerCase(Locale.ROOT), DTYPES);
        hidden = List.copyOf(hidden);
        for (int width : hidden) {
            if (width <= 0) {
                throw ConfigException.badValue("model.hidden", "a list of positive widths", hidden);
            }
        }
        layers = layers == null ? List.of() : List.copyOf(layers);
        if (type.equals("sequential") && layers.isEmpty()) {
            throw ConfigException.badValue("model.layers", "a list of layers for model.type = sequential", "[]");
        }
        path = path == null ? "" : path;
        if (type.equals("dl4j") && path.isBlank()) {
            throw ConfigException.badValue("model.path", "a DL4J configuration JSON or model.zip for model.type = dl4j",
                    "''");
        }
        loss = loss == null ? null : checkLoss(loss);
    }

    public ModelConfig(String type, List<Integer> hidden, String dtype) {
        this(type, hidden, dtype, null, List.of(), "");
    }

    /**
     * The model this section describes, for examples of {@code channels x height x width} and
     * {@code classes} outputs; a DL4J model's {@code path} is read with {@code hadoop}'s settings.
     */
    public dev.sparktrain.model.ModelSpec spec(int channels, int height, int width, int classes, long seed,
                                               org.apache.hadoop.conf.Configuration hadoop) {
        if (dev.sparktrain.model.Dl4jModels.TYPE.equals(type)) {
            try {
                return dev.sparktrain.model.ModelSpec.dl4j(dev.sparktrain.model.Dl4jModels.read(path, hadoop), channels,
                        height, width, classes);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage() + " (conf key model.path)", e);
            }
        }
        return new dev.sparktrain.model.ModelSpec(type, hidden, dtype, channels, height, width, classes, seed, loss,
                layers);
    }

    /** As above, with Hadoop's default settings. */
    public dev.sparktrain.model.ModelSpec spec(int channels, int height, int width, int classes, long seed) {
        return spec(channels, height, width, classes, seed, new org.apache.hadoop.conf.Configuration());
    }

    static ModelConfig read(ConfigReader r) {
        List<Integer> hidden;
        try {
            hidden = r.raw().getIntList("model.hidden");
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw ConfigException.badValue("model.hidden", "a list of positive widths", r.raw().getValue("model.hidden")
                    .render(com.typesafe.config.ConfigRenderOptions.concise()));
        }
        List<Map<String, Object>> layers = new java.util.ArrayList<>();
        for (com.typesafe.config.Config l : r.raw().getConfigList("model.layers")) {
            layers.add(l.root().unwrapped());
        }
        return new ModelConfig(r.string("model.type"), hidden, r.string("model.dtype"), loss(r), layers,
                r.string("model.path"));
    }

    /** The {@code loss} key: a name, or an object with a type. */
    private static Map<String, Object> loss(ConfigReader r) {
        if (r.raw().getIsNull("loss")) {
            return null;
        }
        Object v = r.raw().getValue("loss").unwrapped();
        if (v instanceof String name) {
            return Map.of("type", name);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> spec = new java.util.LinkedHashMap<>();
            m.forEach((k, val) -> spec.put(k.toString(), val));
            return spec;
        }
        throw ConfigException.badValue("loss", "a loss name or { type = name, ... }", v);
    }

    /** A loss spec with a type, checked by building it once. */
    private static Map<String, Object> checkLoss(Map<String, Object> spec) {
        if (!(spec.get("type") instanceof String type)) {
            throw ConfigException.badValue("loss", "a loss name or { type = name, ... }", spec);
        }
        try {
            Map<String, Object> args = new java.util.LinkedHashMap<>(spec);
            args.remove("type");
            new dev.sparktrain.loss.Dl4jLoss(type, args);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + " (conf key loss)", e);
        }
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(spec));
    }
}
