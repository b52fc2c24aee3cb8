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
        if (value < min || value > max) {
            throw ConfigException.badValue(key, describeRange(min, max), value);
        }
        return value;
    }

    public int positiveInt(String key) {
        return (int) integer(key, 1, Integer.MAX_VALUE);
    }

    public int nonNegativeInt(String key) {
        return (int) integer(key, 0, Integer.MAX_VALUE);
    }

    /** A finite number in [min, max] (inclusive) or [min, max) when {@code maxExclusive}. */
    public double number(String key, double min, double max, boolean maxExclusive) {
        double value;
        try {
            value = config.getDouble(key);
        } catch (WrongType e) {
            throw ConfigException.badValue(key, "a number", render(key));
        }
        boolean aboveMax = maxExclusive ? value >= max : value > max;
        if (!Double.isFinite(value) || value < min || aboveMax) {
            String range = "a number in [" + min + ", " + max + (maxExclusive ? ")" : "]");
            throw ConfigException.badValue(key, range, value);
        }
        return value;
    }

    public double[] numbers(String key, int expectedLength) {
        List<Double> list;
        try {
            list = config.getDoubleList(key);
        } catch (WrongType e) {
            throw ConfigException.badValue(key, "a list of " + expectedLength + " numbers", render(key));
        }
        if (list.size() != expectedLength) {
            throw ConfigException.badValue(key, "a list of " + expectedLength + " numbers", render(key));
        }
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private String render(String key) {
        ConfigValue v = config.getValue(key);
        return v.render(com.typesafe.config.ConfigRenderOptions.concise());
    }

    private static String describeRange(long min, long max) {
        if (max == Integer.MAX_VALUE || max == Long.MAX_VALUE) {
            return min == 1 ? "a positive integer" : min == 0 ? "a non-negative integer" : "an integer >= " + min;
        }
        return "an integer in [" + min + ", " + max + "]";
    }
}
