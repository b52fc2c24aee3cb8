package dev.sparktrain.config;

import java.util.Set;

/**
 * The value checks of the config records, run in their constructors, so that a record built from
 * Java fails as the config file would: the same rule, the same message naming the key and the value.
 */
final class Check {
    private Check() {
    }

    /** An integer in [min, max]. */
    static long range(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw ConfigException.badValue(key, ConfigReader.describeRange(min, max), value);
        }
        return value;
    }

    static int positive(String key, int value) {
        return (int) range(key, value, 1, Integer.MAX_VALUE);
    }

    static int nonNegative(String key, int value) {
        return (int) range(key, value, 0, Integer.MAX_VALUE);
    }

    /** A finite number in [min, max], or [min, max) when {@code maxExclusive}. */
    static double number(String key, double value, double min, double max, boolean maxExclusive) {
        boolean aboveMax = maxExclusive ? value >= max : value > max;
        if (!Double.isFinite(value) || value < min || aboveMax) {
            throw ConfigException.badValue(key, "a number in [" + min + ", " + max + (maxExclusive ? ")" : "]"), value);
        }
        return value;
    }

    static String choice(String key, String value, Set<String> allowed) {
        if (!allowed.contains(value)) {
            throw ConfigException.badValue(key, "one of " + allowed, "'" + value + "'");
        }
        return value;
    }

    static String nonBlank(String key, String value, String expected) {
        if (value == null || value.isBlank()) {
            throw ConfigException.badValue(key, expected, "''");
        }
        return value;
    }
}
