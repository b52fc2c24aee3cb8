package dev.sparktrain.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import dev.sparktrain.optim.Clipping;
import dev.sparktrain.optim.GroupSpec;
import dev.sparktrain.optim.HyperParams;
import dev.sparktrain.optim.HyperParamsOverrides;
import dev.sparktrain.optim.OptimizerSpec;
import dev.sparktrain.optim.OptimizerSpec.TimedGroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code optimizer} block into an {@link OptimizerSpec}; errors name the conf key and value. */
final class OptimizerReader {
    private static final List<String> HYPER_KEYS = List.of("weight-decay", "maximize", "momentum", "dampening",
            "nesterov", "betas", "eps", "amsgrad", "alpha", "centered", "lr-decay", "initial-accumulator-value");

    private OptimizerReader() {
    }

    static OptimizerSpec read(ConfigReader r) {
        Config c = r.raw();
        String type = r.choice("optimizer.type", OptimizerSpec.TYPES);
        double lr = r.number("optimizer.lr", Double.NEGATIVE_INFINITY, Double.MAX_VALUE, false);
        Map<String, Object> given = new LinkedHashMap<>();
        for (String key : HYPER_KEYS) {
            if (!c.getIsNull("optimizer." + key)) {
                given.put(key, c.getValue("optimizer." + key).unwrapped());
            }
        }
        try {
            HyperParams defaults = HyperParamsOverrides.apply(HyperParams.defaults(type, lr), given, "optimizer");
            List<GroupSpec> groups = new ArrayList<>();
            List<? extends Config> declared = c.getConfigList("optimizer.groups");
            for (int i = 0; i < declared.size(); i++) {
                groups.add(group(declared.get(i), "optimizer.groups[" + i + "]", false));
            }
            List<TimedGroup> added = new ArrayList<>();
            List<? extends Config> timed = c.getConfigList("optimizer.add-groups");
            for (int i = 0; i < timed.size(); i++) {
                String what = "optimizer.add-groups[" + i + "]";
                if (!timed.get(i).hasPath("epoch") || timed.get(i).getInt("epoch") < 1) {
                    throw new ConfigException(what + " needs an epoch >= 1 (when to add the group), found "
                            + (timed.get(i).hasPath("epoch") ? timed.get(i).getValue("epoch").render() : "none"));
                }
                added.add(new TimedGroup(timed.get(i).getInt("epoch"), group(timed.get(i), what, true)));
            }
            return new OptimizerSpec(type, defaults, groups, c.getStringList("optimizer.frozen"), added, clipping(r));
        } catch (IllegalArgumentException | com.typesafe.config.ConfigException e) {
            throw new ConfigException(e.getMessage() + " (conf key " + keyOf(e.getMessage()) + ")", e);
        }
    }

    /** The conf key a torch.optim-style message is about. */
    private static String keyOf(String message) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        String[][] keys = {{"optimizer.groups", "optimizer.groups"}, {"optimizer.add-groups", "optimizer.add-groups"},
                {"learning rate", "optimizer.lr"}, {"beta", "optimizer.betas"}, {"weight_decay", "optimizer.weight-decay"},
                {"nesterov", "optimizer.nesterov"}, {"momentum", "optimizer.momentum"}, {"epsilon", "optimizer.eps"},
                {"lr_decay", "optimizer.lr-decay"}, {"initial_accumulator_value", "optimizer.initial-accumulator-value"},
                {"alpha", "optimizer.alpha"}, {"clip", "optimizer.clip-grad-norm"}};
        for (String[] k : keys) {
            if (m.contains(k[0])) {
                return k[1];
            }
        }
        return "optimizer";
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
