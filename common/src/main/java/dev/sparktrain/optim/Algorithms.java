package dev.sparktrain.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registered optimizer algorithms by {@code optimizer.type}; see {@link AlgorithmRegistrations}. */
public final class Algorithms {
    private static final Map<String, Algorithm> REGISTRY = new LinkedHashMap<>();

    private Algorithms() {
    }

    static synchronized void register(Algorithm a) {
        if (REGISTRY.putIfAbsent(a.name(), a) != null) {
            throw new IllegalStateException("optimizer '" + a.name() + "' registered twice");
        }
    }

    /** The algorithm named {@code type}; an unknown name names the known ones. */
    public static synchronized Algorithm get(String type) {
        AlgorithmRegistrations.ensure();
        Algorithm a = REGISTRY.get(type);
        if (a == null) {
            throw new IllegalArgumentException("unknown optimizer type '" + type + "', expected one of "
                    + String.join(", ", REGISTRY.keySet()));
        }
        return a;
    }

    /** The names, in registration order. */
    public static synchronized List<String> names() {
        AlgorithmRegistrations.ensure();
        return new ArrayList<>(REGISTRY.keySet());
    }
}
