package dev.sparktrain.loss;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A loss's arguments by PyTorch name, read with checks; arguments never read are an error. */
public final class LossArgs {
    private final String loss;
    private final Map<String, Object> values;
    private final Set<String> read = new HashSet<>();

    LossArgs(String loss, Map<String, Object> values) {
        this.loss = loss;
        this.values = values;
    }

    private Object get(String key) {
        read.add(key);
        return values.get(key);
    }

    public double number(String key, double otherwise) {
        Object v = get(key);
        if (v == null) {
            return otherwise;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw bad(key, "a number", v);
    }

    public boolean bool(String key, boolean otherwise) {
        Object v = get(key);
        if (v == null) {
            return otherwise;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw bad(key, "true or false", v);
    }

    public Reduction reduction() {
        Object v = get("reduction");
        return v == null ? Reduction.MEAN : Reduction.parse(v.toString());
    }

    /** A list of numbers (e.g. class weights), or null when absent. */
    public double[] numbers(String key) {
        Object v = get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> list)) {
            throw bad(key, "a list of numbers", v);
        }
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Number n)) {
                throw bad(key, "a list of numbers", v);
            }
            out[i] = n.doubleValue();
        }
        return out;
    }

    void rejectUnused() {
        Set<String> unused = new TreeSet<>(values.keySet());
        unused.removeAll(read);
        unused.remove("type");
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("loss " + loss + " has no argument(s) " + unused);
        }
    }

    private IllegalArgumentException bad(String key, String expected, Object v) {
        return new IllegalArgumentException("loss " + loss + " argument " + key + " must be " + expected + ", found " + v);
    }
}
