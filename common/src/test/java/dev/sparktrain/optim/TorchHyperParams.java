package dev.sparktrain.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Test helper: a torch param group or constructor kwargs (torch's names: lr, momentum, dampening,
 * nesterov, weight_decay, maximize, betas, eps, amsgrad, alpha, centered, lr_decay,
 * initial_accumulator_value) as {@link HyperParams}: {@code HyperParams.defaults(type, lr)} with the
 * fields the JSON holds overridden. Numbers may be strings ("NaN", "Infinity").
 */
final class TorchHyperParams {
    private TorchHyperParams() {
    }

    static HyperParams of(String type, JsonNode g) {
        if (!g.has("lr")) {
            throw new IllegalArgumentException("no lr in " + g);
        }
        HyperParams d = HyperParams.defaults(type, num(g.get("lr")));
        JsonNode betas = g.get("betas");
        return new HyperParams(d.lr(),
                num(g, "momentum", d.momentum()),
                num(g, "dampening", d.dampening()),
                bool(g, "nesterov", d.nesterov()),
                num(g, "weight_decay", d.weightDecay()),
                bool(g, "maximize", d.maximize()),
                betas == null ? d.beta1() : num(betas.get(0)),
                betas == null ? d.beta2() : num(betas.get(1)),
                num(g, "eps", d.eps()),
                bool(g, "amsgrad", d.amsgrad()),
                num(g, "alpha", d.alpha()),
                bool(g, "centered", d.centered()),
                num(g, "lr_decay", d.lrDecay()),
                num(g, "initial_accumulator_value", d.initialAccumulatorValue()));
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

    private static double num(JsonNode g, String key, double otherwise) {
        return g.has(key) ? num(g.get(key)) : otherwise;
    }

    private static boolean bool(JsonNode g, String key, boolean otherwise) {
        return g.has(key) ? g.get(key).booleanValue() : otherwise;
    }
}
