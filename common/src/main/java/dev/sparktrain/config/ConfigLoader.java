package dev.sparktrain.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import org.apache.commons.text.similarity.LevenshteinDistance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Loads a job config: defaults, then the HOCON file, then {@code key=value} overrides (last wins).
 * Keys not in the defaults are rejected, naming the key, where it was set, and the closest known key.
 */
public final class ConfigLoader {
    private static final Config DEFAULTS =
            ConfigFactory.parseResources(ConfigLoader.class, "defaults.conf").resolve();

    /**
     * Blocks whose arguments vary by their {@code type} and are checked where they are built
     * (Schedulers.fromSpec, Losses.create, the optimizer's algorithm: OptimizerReader), not against the
     * defaults, and the Spark SQL reader's options.
     */
    private static final List<String> FREE_FORM_BLOCKS = List.of("scheduler", "loss", "data.table.options", "optimizer");

    private ConfigLoader() {
    }

    public static Config defaults() {
        return DEFAULTS;
    }

    /** Loads {@code file} (may be null for defaults only) with overrides like {@code train.epochs=3}. */
    public static JobConfig load(Path file, List<String> overrides) {
        Config user = ConfigFactory.empty();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("config file not found: " + file);
            }
            try {
                user = ConfigFactory.parseFile(file.toFile(),
                        ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (com.typesafe.config.ConfigException e) {
                throw new ConfigException("cannot parse config file " + file + ": " + e.getMessage(), e);
            }
        }
        return fromLayers(user, overrides);
    }

    /** Loads from HOCON text, for tests and embedded use. */
    public static JobConfig parse(String hocon, List<String> overrides) {
        return fromLayers(ConfigFactory.parseString(hocon), overrides);
    }

    /**
     * {@code base} with {@code values} set, keyed as in a config file ({@code train.epochs}, {@code loss},
     * ...), values as Java numbers, strings, booleans, lists and maps; checked as a config file is. A map
     * given for a whole free-form block ({@code optimizer}, {@code scheduler}, {@code loss}) replaces
     * the base's block, whose unset keys take their defaults: {@code optimizer = {type = sgd, lr = 0.1}}
     * keeps none of the base's Adam betas.
     */
    public static JobConfig with(JobConfig base, Map<String, ?> values) {
        Config user = ConfigFactory.empty();
        Config fallback = base.resolved();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> && FREE_FORM_BLOCKS.contains(e.getKey())) {
                fallback = fallback.withoutPath(e.getKey());
            }
            try {
                user = user.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue(), "set from Java"));
            } catch (com.typesafe.config.ConfigException ex) {
                throw new ConfigException("bad key or value '" + e.getKey() + "' = " + e.getValue() + ": "
                        + ex.getMessage(), ex);
            }
        }
        rejectUnknownKeys(user);
        try {
            return JobConfig.from(user.withFallback(fallback).withFallback(DEFAULTS).resolve());
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("bad config value: " + e.getMessage(), e);
        }
    }

    private static JobConfig fromLayers(Config user, List<String> overrides) {
        Config merged = user;
        for (String override : overrides) {
            merged = applyOverride(merged, override);
        }
        rejectUnknownKeys(merged);
        Config resolved;
        try {
            resolved = merged.withFallback(DEFAULTS).resolve();
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("cannot resolve config: " + e.getMessage(), e);
        }
        try {
            return JobConfig.from(resolved);
        } catch (com.typesafe.config.ConfigException e) {
            // a value of the wrong shape that no typed read catches, e.g. model.hidden = abc or train = 3
            throw new ConfigException("bad config value: " + e.getMessage(), e);
        }
    }

    static Config applyOverride(Config config, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("override must look like key=value, found '" + override + "'");
        }
        String key = override.substring(0, eq).trim();
        String text = override.substring(eq + 1).trim();
        ConfigValue value;
        try {
            value = ConfigFactory.parseString("v = " + text,
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)).getValue("v");
            if (value.valueType() == ConfigValueType.STRING && !text.startsWith("\"")) {
                // an unquoted string is the text itself: HOCON would cut it at '#' or '//' (comments)
                value = ConfigValueFactory.fromAnyRef(text);
            }
        } catch (com.typesafe.config.ConfigException e) {
            value = ConfigValueFactory.fromAnyRef(text); // a plain string such as a URI
        }
        try {
            return config.withValue(key, value.withOrigin(value.origin().withComments(null)));
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("bad override key '" + key + "' in '" + override + "': " + e.getMessage(), e);
        }
    }

    private static void rejectUnknownKeys(Config user) {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            boolean freeForm = FREE_FORM_BLOCKS.stream().anyMatch(b -> e.getKey().startsWith(b + "."));
            if (!freeForm && !DEFAULTS.hasPathOrNull(e.getKey())) {
                String where = e.getValue().origin().description();
                unknown.add("unknown config key '" + e.getKey() + "' (set in " + where + ")"
                        + suggestion(e.getKey()));
            }
        }
        if (!unknown.isEmpty()) {
            unknown.sort(Comparator.naturalOrder());
            throw new ConfigException(String.join("; ", unknown));
        }
    }

    private static String suggestion(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Map.Entry<String, ConfigValue> e : DEFAULTS.entrySet()) {
            int d = LevenshteinDistance.getDefaultInstance().apply(key, e.getKey());
            if (d < bestDistance) {
                bestDistance = d;
                best = e.getKey();
            }
        }
        return best != null && bestDistance <= Math.max(3, key.length() / 3) ? "; did you mean '" + best + "'?" : "";
    }
}
