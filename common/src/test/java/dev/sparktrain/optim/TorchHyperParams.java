package dev.sparktrain.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test helper: a torch param group or constructor kwargs (torch's names) as {@link HyperParams}: the
 * algorithm's defaults with the fields the JSON holds set. Numbers may be strings ("NaN", "Infinity").
 */
final class TorchHyperParams {
    private TorchHyperParams() {
    }

    static HyperParams of(String type, JsonNode g) {
        if (!g.has("lr")) {
            throw new IllegalArgumentException("no lr in " + g);
        }
        Algorithm a = Algorithms.get(type);
        Map<String, Object> given = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = g.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (e.getKey().equals("params") || e.getKey().equals("lr")) {
                continue;
            }
            given.put(e.getKey(), v.isBoolean() ? (Object) v.booleanValue()
                    : v.isArray() ? List.of(num(v.get(0)), num(v.get(1))) : (Object) num(v));
        }
        return HyperParamsOverrides.apply(a, HyperParams.defaults(a, num(g.get("lr"))), given, "torch");
    }

    /** {@code of(type, {k1: v1, k2: v2, ...})}; values are Double, Boolean or double[] (betas). */
    static HyperParams of(String type, Object... keysAndValues) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String key = (String) keysAndValues[i];
            Object value = keysAndValues[i + 1];
            if (value instanceof Boolean b) {
                node.put(key, b);
            } else if (value instanceof double[] pair) {
                node.putArray(key).add(pair[0]).add(pair[1]);
            } else {
                node.put(key, ((Number) value).doubleValue());
            }
        }
        return of(type, node);
    }

    static double num(JsonNode n) {
        return n.isTextual() ? Double.parseDouble(n.asText()) : n.doubleValue();
    }
}
