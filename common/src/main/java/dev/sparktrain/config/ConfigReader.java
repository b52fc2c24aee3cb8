package dev.sparktrain.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.WrongType;
import com.typesafe.config.ConfigValue;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Typed, checked reads of one resolved config; every failure names the key and the value found. */
public final class ConfigReader {
    private final Config config;

    public ConfigReader(Config config) {
        this.config = config;
    }

    public Config raw() {
        return config;
    }

    public String string(String key) {
        try {
            return config.getString(key);
        } catch (WrongType e) {
            throw ConfigException.badValue(key, "a string", render(key));
        }
    }

    /** A string, or a list of strings. */
    public List<String> stringOrList(String key) {
        ConfigValue v = config.getValue(key);
        if (v.valueType() == com.typesafe.config.ConfigValueType.LIST) {
            try {
                return config.getStringList(key);
            } catch (WrongType e) {
                throw ConfigException.badValue(key, "a string or a list of strings", render(key));
            }
        }
        return List.of(string(key));
    }

    public String choice(String key, Set<String> allowed) {
        String value = string(key).toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            throw ConfigException.badValue(key, "one of " + allowed, "'" + string(key) + "'");
        }
        return value;
    }

    public boolean bool(String key) {
        try {
            return config.getBoolean(key);
        } catch (WrongType e) {
            throw ConfigException.badValue(key, "true or false", render(key));
        }
    }

    public long integer(String key, long min, long max) {
        return Check.range(key, integer(key), min, max);
    }

    /** An integer, any value (its record checks the range). */
    public long integer(String key) {
        long value;
        try {
            value = config.getLong(key);
        } catch (WrongType e) {
            throw ConfigException.badValue(key, "an integer", render(key));
        }
        double d = config.getDouble(key);
        if (d != value) {
            throw ConfigException.badValue(key, "an integer", render(key));
        }
        return value;
    }

    /** An integer within int's range (its record checks the rest). */
    public int intValue(String key) {
        return (int) integer(key, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** A duration ("2h", "30m", "90s"; its record checks the range). */
    public java.time.Duration duration(String key) {
        try {
            return config.getDuration(key);
        } catch (com.typesafe.config.ConfigException e) {
            throw ConfigException.badValue(key, "a duration (2h, 30m, 90s)", render(key));
        }
    }

    /** A number, any value (its record checks the range). */
    public double number(String key) {
        try {
            return config.getDouble(key);
        } catch (WrongType e) {
            throw ConfigException.badValue(key, "a number", render(key));
        }
    }

    /** A finite number in [min, max] (inclusive) or [min, max) when {@code maxExclusive}. */
    public double number(String key, double min, double max, boolean maxExclusive) {
        return Check.number(key, number(key), min, max, maxExclusive);
    }

    private String render(String key) {
        ConfigValue v = config.getValue(key);
        return v.render(com.typesafe.config.ConfigRenderOptions.concise());
    }

    static String describeRange(long min, long max) {
        if (max == Integer.MAX_VALUE || max == Long.MAX_VALUE) {
            return min == 1 ? "a positive integer" : min == 0 ? "a non-negative integer" : "an integer >= " + min;
        }
        return "an integer in [" + min + ", " + max + "]";
    }
}
