package dev.sparktrain.loss;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Losses by their PyTorch functional names ({@code cross_entropy}, {@code smooth_l1}, ...), built
 * from a spec of PyTorch argument names: {@code Losses.create("smooth_l1", Map.of("beta", 0.5))}.
 * Unknown names and unknown or bad arguments fail naming the loss, the argument and the value.
 */
public final class Losses {
    private static final Map<String, Function<LossArgs, Loss>> REGISTRY = new TreeMap<>();

    private Losses() {
    }

    /** Registers a loss by name (each loss class registers itself from {@link LossRegistrations}). */
    static void register(String name, Function<LossArgs, Loss> factory) {
        REGISTRY.put(name, factory);
    }

    public static Set<String> names() {
        LossRegistrations.ensure();
        return Collections.unmodifiableSet(REGISTRY.keySet());
    }

    public static Loss create(String name, Map<String, Object> args) {
        LossRegistrations.ensure();
        String key = name.toLowerCase(Locale.ROOT).replace('-', '_');
        Function<LossArgs, Loss> factory = REGISTRY.get(key);
        if (factory == null) {
            throw new IllegalArgumentException("unknown loss '" + name + "'; known losses: " + REGISTRY.keySet());
        }
        LossArgs a = new LossArgs(key, args);
        Loss loss = factory.apply(a);
        a.rejectUnused();
        return loss;
    }
}
