package dev.sparktrain.optim.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a scheduler's state_dict for loadStateDict. Like PyTorch's {@code __dict__.update}, a key that
 * is absent keeps the current value (the {@code current} argument); a key that is present must have
 * the right kind of value. Numbers may come as any {@link Number} or, for non-finite floats, as the
 * strings Jackson and Python write ("Infinity", "-Infinity", "NaN", "inf", ...). Nothing here changes
 * a scheduler: loaders read everything first, then assign.
 */
final class StateReader {
    private final Map<String, Object> state;
    private final String owner;

    StateReader(Map<String, Object> state, String owner) {
        if (state == null) {
            throw new IllegalArgumentException(owner + " state dict is null");
        }
        this.state = state;
        this.owner = owner;
    }

    boolean has(String key) {
        return state.get(key) != null;
    }

    Object raw(String key) {
        return state.get(key);
    }

    IllegalArgumentException wrong(String key, String expected) {
        Object v = state.get(key);
        return new IllegalArgumentException(owner + " state: '" + key + "' should be " + expected + ", got "
                + (v == null ? "null" : v.getClass().getSimpleName() + " " + v));
    }

    /** Each listed per-group key that is present must hold one value per param group of the target. */
    void checkGroups(int groupCount, String... keys) {
        for (String key : keys) {
            if (has(key)) {
                int n = list(key).size();
                if (n != groupCount) {
                    throw new IllegalArgumentException(owner + " state has " + n + " param groups (" + key
                            + ") but the target has " + groupCount);
                }
            }
        }
    }

    static Double number(Object v) {
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof String) {
            switch (((String) v).trim().toLowerCase()) {
                case "infinity": case "inf": case "+infinity": case "+inf":
                    return Double.POSITIVE_INFINITY;
                case "-infinity": case "-inf":
                    return Double.NEGATIVE_INFINITY;
                case "nan":
                    return Double.NaN;
                default:
                    return null;
            }
        }
        return null;
    }

    static Integer integer(Object v) {
        if (v instanceof Number) {
            double d = ((Number) v).doubleValue();
            if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        return null;
    }

    double getDouble(String key, double current) {
        if (!has(key)) {
            return current;
        }
        Double d = number(state.get(key));
        if (d == null) {
            throw wrong(key, "a number");
        }
        return d;
    }

    int getInt(String key, int current) {
        if (!has(key)) {
            return current;
        }
        Integer i = integer(state.get(key));
        if (i == null) {
            throw wrong(key, "an integer");
        }
        return i;
    }

    boolean getBool(String key, boolean current) {
        if (!has(key)) {
            return current;
        }
        if (!(state.get(key) instanceof Boolean)) {
            throw wrong(key, "a boolean");
        }
        return (Boolean) state.get(key);
    }

    String getString(String key, String current) {
        if (!has(key)) {
            return current;
        }
        if (!(state.get(key) instanceof String)) {
            throw wrong(key, "a string");
        }
        return (String) state.get(key);
    }

    List<?> list(String key) {
        if (!(state.get(key) instanceof List)) {
            throw wrong(key, "a list");
        }
        return (List<?>) state.get(key);
    }

    double[] getDoubles(String key, double[] current) {
        if (!has(key)) {
            return current;
        }
        List<?> l = list(key);
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            Double d = number(l.get(i));
            if (d == null) {
                throw wrong(key, "a list of numbers");
            }
            out[i] = d;
        }
        return out;
    }

    int[] getInts(String key, int[] current) {
        if (!has(key)) {
            return current;
        }
        List<?> l = list(key);
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            Integer v = integer(l.get(i));
            if (v == null) {
                throw wrong(key, "a list of integers");
            }
            out[i] = v;
        }
        return out;
    }

    /** A list of maps (SequentialLR's nested states, OneCycleLR's phases). */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> getMaps(String key) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : list(key)) {
            if (!(o instanceof Map)) {
                throw wrong(key, "a list of objects");
            }
            out.add((Map<String, Object>) o);
        }
        return out;
    }

    /** A double[] as a JSON-friendly list. */
    static List<Double> toList(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }

    static List<Integer> toList(int[] values) {
        List<Integer> out = new ArrayList<>(values.length);
        for (int v : values) {
            out.add(v);
        }
        return out;
    }
}
