package dev.sparktrain.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import dev.sparktrain.optim.Algorithm;
import dev.sparktrain.optim.Algorithms;
import dev.sparktrain.optim.Clipping;
import dev.sparktrain.optim.GroupSpec;
import dev.sparktrain.optim.HyperParamException;
import dev.sparktrain.optim.HyperParams;
import dev.sparktrain.optim.HyperParamsOverrides;
import dev.sparktrain.optim.OptimizerSpec;
import dev.sparktrain.optim.OptimizerSpec.TimedGroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code optimizer} block into an {@link OptimizerSpec}: the general keys, and the
 * hyper-parameters the chosen algorithm declares (torch's names with dashes); any other key is an
 * error naming the ones the algorithm takes. Errors name the conf key and value.
 */
final class OptimizerReader {
    /** The keys every optimizer has; the rest of the block are its algorithm's hyper-parameters. */
    static final Set<String> GENERAL = Set.of("type", "lr", "groups", "frozen", "add-groups", "clip-grad-norm",
            "clip-norm-type", "clip-grad-value");

    private OptimizerReader() {
    }

    static OptimizerSpec read(ConfigReader r) {
        Config c = r.raw();
        String type = r.string("optimizer.type").toLowerCase(java.util.Locale.ROOT);
        Algorithm algorithm;
        try {
            algorithm = Algorithms.get(type);
        } catch (IllegalArgumentException e) {
            throw ConfigException.badValue("optimizer.type", "one of " + Algorithms.names(), "'" + type + "'");
        }
        double lr = r.number("optimizer.lr", Double.NEGATIVE_INFINITY, Double.MAX_VALUE, false);
        Map<String, Object> given = new LinkedHashMap<>();
        for (String key : c.getConfig("optimizer").root().keySet()) {
            if (GENERAL.contains(key) || c.getIsNull("optimizer." + key)) {
                continue;
            }
            if (algorithm.hyperParams().stream().noneMatch(p -> p.configKey().equals(key))) {
                throw new ConfigException("unknown config key 'optimizer." + key + "' (set in "
                        + c.getValue("optimizer." + key).origin().description() + "): optimizer " + type + " takes "
                        + HyperParamsOverrides.keys(algorithm) + ", and every optimizer " + new java.util.TreeSet<>(GENERAL)
                        + " (conf key optimizer." + key + ")");
            }
            given.put(key, c.getValue("optimizer." + key).unwrapped());
        }
        try {
            HyperParams defaults = HyperParamsOverrides.apply(algorithm, HyperParams.defaults(algorithm, lr), given,
                    "optimizer");
            List<GroupSpec> groups = new ArrayList<>();
            List<? extends Config> declared = c.getConfigList("optimizer.groups");
            for (int i = 0; i < declared.size(); i++) {
                groups.add(checked(group(declared.get(i), "optimizer.groups[" + i + "]", false), algorithm, defaults,
                        "optimizer.groups[" + i + "]"));
            }
            List<TimedGroup> added = new ArrayList<>();
            List<? extends Config> timed = c.getConfigList("optimizer.add-groups");
            for (int i = 0; i < timed.size(); i++) {
                String what = "optimizer.add-groups[" + i + "]";
                if (!timed.get(i).hasPath("epoch") || timed.get(i).getInt("epoch") < 1) {
                    throw new ConfigException(what + " needs an epoch >= 1 (when to add the group), found "
                            + (timed.get(i).hasPath("epoch") ? timed.get(i).getValue("epoch").render() : "none"));
                }
                added.add(new TimedGroup(timed.get(i).getInt("epoch"),
                        checked(group(timed.get(i), what, true), algorithm, defaults, what)));
            }
            return new OptimizerSpec(type, defaults, groups, c.getStringList("optimizer.frozen"), added, clipping(r));
        } catch (HyperParamException e) {
            throw new ConfigException(e.getMessage() + " (conf key optimizer." + e.param().replace('_', '-') + ")", e);
        } catch (IllegalArgumentException | com.typesafe.config.ConfigException e) {
            throw new ConfigException(e.getMessage() + " (conf key " + keyOf(e.getMessage()) + ")", e);
        }
    }

    /** The conf key a message starts with ({@code optimizer.groups[0] ...}: optimizer.groups), else the block. */
    private static String keyOf(String message) {
        if (message == null || !message.startsWith("optimizer.")) {
            return "optimizer";
        }
        int end = message.length();
        for (char stop : new char[]{'[', ' '}) {
            int i = message.indexOf(stop);
            end = i > 0 ? Math.min(end, i) : end;
        }
        return message.substring(0, end);
    }

    /** A group's overrides must be the algorithm's keys and pass its checks, found at load rather than at the first step. */
    private static GroupSpec checked(GroupSpec group, Algorithm algorithm, HyperParams defaults, String what) {
        algorithm.validate(HyperParamsOverrides.apply(algorithm, defaults, group.overrides(), what));
        return group;
    }

    private static GroupSpec group(Config g, String what, boolean timed) {
        List<String> layers = g.hasPath("layers") ? g.getStringList("layers") : List.of();
        List<String> params = !g.hasPath("params") ? List.of()
                : g.getValue("params").valueType() == com.typesafe.config.ConfigValueType.LIST
                ? g.getStringList("params") : List.of(g.getString("params"));
        if (layers.isEmpty() && params.isEmpty()) {
            throw new ConfigException(what + " selects no parameters: give layers = [...] and/or params = \"glob\"");
        }
        Map<String, Object> overrides = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : g.root().entrySet()) {
            String k = e.getKey();
            if (!k.equals("layers") && !k.equals("params") && !(timed && k.equals("epoch"))) {
                overrides.put(k, e.getValue().unwrapped());
            }
        }
        return new GroupSpec(layers, params, overrides);
    }

    private static Clipping clipping(ConfigReader r) {
        Config c = r.raw();
        double normType;
        if (c.getValue("optimizer.clip-norm-type").unwrapped() instanceof String s) {
            if (!s.equalsIgnoreCase("inf")) {
                throw ConfigException.badValue("optimizer.clip-norm-type", "a positive number or \"inf\"", s);
            }
            normType = Double.POSITIVE_INFINITY;
        } else {
            normType = r.number("optimizer.clip-norm-type", Double.MIN_VALUE, Double.MAX_VALUE, false);
        }
        return new Clipping(r.number("optimizer.clip-grad-norm", 0, Double.MAX_VALUE, false), normType,
                r.number("optimizer.clip-grad-value", 0, Double.MAX_VALUE, false));
    }
}
