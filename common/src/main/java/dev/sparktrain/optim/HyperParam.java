package dev.sparktrain.optim;

import java.io.Serializable;
import java.util.List;

/**
 * One hyper-parameter an {@link Algorithm} declares: torch's name ({@code weight_decay}), its kind
 * and torch's default. Its config key is the name with dashes ({@code optimizer.weight-decay}).
 */
public record HyperParam(String name, Kind kind, Object defaultValue) implements Serializable {

    /** A number, a flag, or a pair of numbers (betas). */
    public enum Kind {
        NUMBER, FLAG, PAIR
    }

    public static HyperParam number(String name, double defaultValue) {
        return new HyperParam(name, Kind.NUMBER, defaultValue);
    }

    public static HyperParam flag(String name, boolean defaultValue) {
        return new HyperParam(name, Kind.FLAG, defaultValue);
    }

    public static HyperParam pair(String name, double first, double second) {
        return new HyperParam(name, Kind.PAIR, List.of(first, second));
    }

    /** The key in a config file: torch's name with dashes. */
    public String configKey() {
        return name.replace('_', '-');
    }

    /** {@code value} as this parameter's kind (a Double, Boolean or a list of 2 Doubles); {@code what} names it in errors. */
    Object coerce(Object value, String what) {
        switch (kind) {
            case NUMBER -> {
                if (value instanceof Number n) {
                    return n.doubleValue();
                }
                throw new IllegalArgumentException(what + "." + configKey() + " must be a number, found " + value);
            }
            case FLAG -> {
                if (value instanceof Boolean b) {
                    return b;
                }
                throw new IllegalArgumentException(what + "." + configKey() + " must be true or false, found " + value);
            }
            default -> {
                if (value instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number a
                        && l.get(1) instanceof Number b) {
                    return List.of(a.doubleValue(), b.doubleValue());
                }
                if (value instanceof double[] d && d.length == 2) {
                    return List.of(d[0], d[1]);
                }
                throw new IllegalArgumentException(what + "." + configKey() + " must be a list of 2 numbers, found " + value);
            }
        }
    }
}
