package dev.sparktrain.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One parameter group's hyper-parameters, as torch.optim's {@code param_groups[i]} minus its params:
 * torch's names mapped to numbers, flags, or pairs ({@code betas}). Which names a group holds is its
 * {@link Algorithm}'s business; {@link #defaults} gives torch's defaults for one. Immutable; written
 * to checkpoints as a JSON object of those names.
 */
public final class HyperParams implements Serializable {
    private static final long serialVersionUID = 2L;
    private final TreeMap<String, Object> values;

    private HyperParams(Map<String, Object> values) {
        this.values = new TreeMap<>(values);
    }

    /** torch's defaults of {@code algorithm} with the given lr. */
    public static HyperParams defaults(Algorithm algorithm, double lr) {
        Map<String, Object> v = new LinkedHashMap<>();
        for (HyperParam p : algorithm.hyperParams()) {
            v.put(p.name(), p.defaultValue());
        }
        v.put("lr", lr);
        return new HyperParams(v);
    }

    /** torch's defaults of the optimizer named {@code type} with the given lr. */
    public static HyperParams defaults(String type, double lr) {
        return defaults(Algorithms.get(type), lr);
    }

    /**
     * From JSON (a checkpoint's groups). Format 1 checkpoints held one object of every algorithm's
     * fields in Java names ({@code weightDecay}, {@code beta1}, {@code beta2}, ...): they are read
     * under torch's names; an optimizer keeps the ones its algorithm declares.
     */
    @JsonCreator
    public static HyperParams of(Map<String, Object> values) {
        Map<String, Object> v = new LinkedHashMap<>();
        values.forEach((k, x) -> v.put(torchName(k), x instanceof Integer i ? i.doubleValue() : x));
        if (v.containsKey("beta1") && v.containsKey("beta2")) {
            v.put("betas", List.of(((Number) v.remove("beta1")).doubleValue(), ((Number) v.remove("beta2")).doubleValue()));
        }
        v.replaceAll((k, x) -> x instanceof List<?> l ? l.stream().map(n -> ((Number) n).doubleValue()).toList()
                : x instanceof Number n ? n.doubleValue() : x);
        return new HyperParams(v);
    }

    private static String torchName(String key) {
        return key.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** The values by torch's name: Double, Boolean, or a list of 2 Doubles. */
    @JsonValue
    public Map<String, Object> values() {
        return Collections.unmodifiableMap(values);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public double lr() {
        return number("lr");
    }

    /** A numeric hyper-parameter; an algorithm reads only those it declares. */
    public double number(String name) {
        Object v = values.get(name);
        if (!(v instanceof Number n)) {
            throw new IllegalStateException("no number '" + name + "' in the hyper-parameters " + values);
        }
        return n.doubleValue();
    }

    public boolean flag(String name) {
        Object v = values.get(name);
        if (!(v instanceof Boolean b)) {
            throw new IllegalStateException("no flag '" + name + "' in the hyper-parameters " + values);
        }
        return b;
    }

    /** A pair, e.g. {@code betas}: {first, second}. */
    public double[] pair(String name) {
        Object v = values.get(name);
        if (!(v instanceof List<?> l) || l.size() != 2) {
            throw new IllegalStateException("no pair '" + name + "' in the hyper-parameters " + values);
        }
        return new double[]{((Number) l.get(0)).doubleValue(), ((Number) l.get(1)).doubleValue()};
    }

    /** A copy with one value replaced or added (a Double, Boolean or list of 2 Doubles). */
    public HyperParams with(String name, Object value) {
        Map<String, Object> v = new LinkedHashMap<>(values);
        v.put(name, value);
        return new HyperParams(v);
    }

    public HyperParams withLr(double lr) {
        return with("lr", lr);
    }

    /** The momentum a scheduler cycles: beta1 of betas when {@code betas}, else momentum (0 without one). */
    public double momentum(boolean betas) {
        if (betas) {
            return pair("betas")[0];
        }
        return has("momentum") ? number("momentum") : 0;
    }

    /** With that momentum set (beta1 when {@code betas}; nothing for an algorithm without momentum). */
    public HyperParams withMomentum(double m, boolean betas) {
        if (betas) {
            return with("betas", List.of(m, pair("betas")[1]));
        }
        return has("momentum") ? with("momentum", m) : this;
    }

    /** Only the values {@code algorithm} declares (a format-1 checkpoint holds every algorithm's). */
    public HyperParams project(Algorithm algorithm) {
        Map<String, Object> v = new LinkedHashMap<>();
        for (HyperParam p : algorithm.hyperParams()) {
            if (values.containsKey(p.name())) {
                v.put(p.name(), values.get(p.name()));
            }
        }
        v.put("lr", values.get("lr"));
        return new HyperParams(v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HyperParams h && h.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
