package dev.sparktrain.optim;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Applies a group's overrides, keyed by torch's names (or their config spelling, with dashes), to the defaults. */
public final class HyperParamsOverrides {
    private HyperParamsOverrides() {
    }

    /**
     * {@code d} with {@code overrides} set; a key {@code algorithm} does not declare is an error naming
     * the ones it does ({@code what} names the group or block in messages).
     */
    public static HyperParams apply(Algorithm algorithm, HyperParams d, Map<String, Object> overrides, String what) {
        HyperParams h = d;
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            String name = e.getKey().replace('-', '_');
            if (name.equals("lr")) {
                h = h.with("lr", HyperParam.number("lr", 0).coerce(e.getValue(), what));
                continue;
            }
            HyperParam p = algorithm.hyperParams().stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(what + " has unknown key '" + e.getKey()
                            + "' for optimizer " + algorithm.name() + "; it takes " + keys(algorithm)));
            h = h.with(p.name(), p.coerce(e.getValue(), what));
        }
        return h;
    }

    /** The config keys of {@code algorithm}'s hyper-parameters, lr first. */
    public static String keys(Algorithm algorithm) {
        return "lr, " + algorithm.hyperParams().stream().map(HyperParam::configKey).collect(Collectors.joining(", "));
    }

    /** For the validation of config keys: every key any algorithm declares. */
    static List<String> allKeys() {
        return Algorithms.names().stream().flatMap(n -> Algorithms.get(n).hyperParams().stream())
                .map(HyperParam::configKey).distinct().sorted().toList();
    }
}
