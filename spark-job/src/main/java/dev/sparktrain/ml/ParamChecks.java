package dev.sparktrain.ml;

import com.typesafe.config.ConfigFactory;
import dev.sparktrain.config.ConfigLoader;
import scala.Function1;

import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of the training Params that Spark's {@code ParamValidators} do not have. A rule that
 * fails throws its own one-line message (naming the Param and the value) rather than Spark's generic
 * "given invalid value"; the rules are serializable, as Spark's are.
 */
final class ParamChecks {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    private ParamChecks() {
    }

    private interface Rule<T> extends Function1<T, Object>, Serializable {
    }

    /** Not empty or blank. */
    static Function1<String, Object> nonBlank() {
        return (Rule<String>) s -> s != null && !s.isBlank();
    }

    /** 0 (not set: decided by the data), or at least {@code min}. */
    static Function1<Object, Object> noneOrAtLeast(int min) {
        return (Rule<Object>) v -> (Integer) v == 0 || (Integer) v >= min;
    }

    /** Every width positive. */
    static Function1<int[], Object> allPositive() {
        return (Rule<int[]>) widths -> {
            for (int w : widths) {
                if (w < 1) {
                    throw new IllegalArgumentException("hiddenLayers: every width must be >= 1, found "
                            + java.util.Arrays.toString(widths));
                }
            }
            return true;
        };
    }

    /** A job config that loads: HOCON that parses, known keys, values checked as a config file's. */
    static Function1<String, Object> jobConfig() {
        return (Rule<String>) hocon -> {
            try {
                ConfigLoader.parse(hocon, List.of());
            } catch (RuntimeException e) { // ConfigException, or typesafe's own for HOCON that does not parse
                throw new IllegalArgumentException("config: " + firstLine(e.getMessage()), e);
            }
            return true;
        };
    }

    /** "" (the built-in loss), a loss name, or a HOCON object with its type. */
    static Function1<String, Object> lossSpec() {
        return (Rule<String>) s -> {
            String t = s.trim();
            if (t.isEmpty() || NAME.matcher(t).matches()) {
                return true;
            }
            Object block = hoconObject("loss", t);
            if (!(block instanceof java.util.Map<?, ?> m) || !(m.get("type") instanceof String)) {
                throw new IllegalArgumentException("loss: expected a loss name or a HOCON object with its type, "
                        + "found '" + s + "'");
            }
            return true;
        };
    }

    /** A name such as {@code adam}, or the HOCON object {@code { type = sgd, ... }} as a map. */
    static Object hoconObject(String param, String text) {
        String t = text.trim();
        if (NAME.matcher(t).matches()) {
            return t;
        }
        try {
            return ConfigFactory.parseString("v = " + t).getValue("v").unwrapped();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(param + ": cannot parse '" + text + "' as a name or HOCON object: "
                    + firstLine(e.getMessage()), e);
        }
    }

    static String firstLine(String m) {
        if (m == null) {
            return "";
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
