package dev.sparktrain.model;

import dev.sparktrain.model.layers.CenteredLayer;
import dev.sparktrain.model.layers.ParameterDictLayer;
import dev.sparktrain.model.layers.ParameterListLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the custom layers of a sequential model's layer list: {@code centered} (per_example),
 * {@code parameter_list} (shapes) and {@code parameter_dict} (params, choice), checks their input
 * shape, and builds their DL4J configurations.
 */
final class CustomLayerReader {
    static final Set<String> TYPES = Set.of("centered", "parameter_list", "parameter_dict");

    /** The layer and the shape of its output. */
    record Built(Layer layer, long[] shape) {
    }

    private CustomLayerReader() {
    }

    static Built read(String type, Map<String, Object> l, long[] in, String name, String what) {
        try {
            return switch (type) {
                case "centered" -> {
                    allowed(l, what, "per_example");
                    Object perExample = l.getOrDefault("per_example", false);
                    if (!(perExample instanceof Boolean b)) {
                        throw new IllegalArgumentException(what + ".per_example must be true or false, found "
                                + perExample);
                    }
                    yield new Built(new CenteredLayer(name, b, in.length == 1), in);
                }
                case "parameter_list" -> {
                    allowed(l, what, "shapes");
                    long[][] shapes = l.containsKey("shapes") ? shapes(l.get("shapes"), what + ".shapes")
                            : ParameterListLayer.DEFAULT_SHAPES;
                    ParameterListLayer layer = new ParameterListLayer(name, shapes);
                    requireWidth(in, shapes[0], "params.0", what);
                    yield new Built(layer, new long[]{layer.getNOut()});
                }
                case "parameter_dict" -> {
                    allowed(l, what, "params", "choice");
                    Map<String, long[]> entries = entries(l.get("params"), what + ".params");
                    String choice = String.valueOf(l.getOrDefault("choice", entries.keySet().iterator().next()));
                    ParameterDictLayer layer = new ParameterDictLayer(name, new ArrayList<>(entries.keySet()),
                            new ArrayList<>(entries.values()), choice);
                    requireWidth(in, entries.get(choice), "params." + choice, what);
                    yield new Built(layer, new long[]{layer.getNOut()});
                }
                default -> throw new IllegalArgumentException(what + ": not a custom layer type");
            };
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(what) ? e : new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    private static void allowed(Map<String, Object> l, String what, String... keys) {
        for (String k : l.keySet()) {
            if (!k.equals("type") && !Arrays.asList(keys).contains(k)) {
                throw new IllegalArgumentException(what + ": unknown key '" + k + "'; known: "
                        + String.join(", ", keys));
            }
        }
    }

    private static void requireWidth(long[] in, long[] first, String param, String what) {
        if (in.length != 1) {
            throw new IllegalArgumentException(what + " expects flat input [features], found " + Arrays.toString(in)
                    + "; add { type = flatten } before it");
        }
        if (in[0] != first[0]) {
            throw new IllegalArgumentException(what + " expects input [" + first[0] + "] (the rows of " + param + " "
                    + Arrays.toString(first) + "), found " + Arrays.toString(in));
        }
    }

    private static long[][] shapes(Object v, String key) {
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException(key + " must be a non-empty list of [rows, cols], found " + v);
        }
        long[][] out = new long[list.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = shape(list.get(i), key + "[" + i + "]");
        }
        return out;
    }

    /** Entries in name order (a HOCON object keeps no order); the tutorial's dict when absent. */
    private static Map<String, long[]> entries(Object v, String key) {
        Map<String, long[]> out = new TreeMap<>();
        if (v == null) {
            out.put("linear1", new long[]{4, 4});
            out.put("linear2", new long[]{4, 1});
            out.put("linear3", new long[]{4, 2});
            return out;
        }
        if (!(v instanceof Map<?, ?> m) || m.isEmpty()) {
            throw new IllegalArgumentException(key + " must be { name = [rows, cols], ... }, found " + v);
        }
        m.forEach((name, shape) -> out.put(String.valueOf(name), shape(shape, key + "." + name)));
        return out;
    }

    private static long[] shape(Object v, String key) {
        if (v instanceof List<?> s && s.size() == 2 && s.stream().allMatch(d -> d instanceof Number n
                && n.doubleValue() == n.longValue() && n.longValue() > 0)) {
            return new long[]{((Number) s.get(0)).longValue(), ((Number) s.get(1)).longValue()};
        }
        throw new IllegalArgumentException(key + " must be [rows, cols] of positive integers, found " + v);
    }
}
