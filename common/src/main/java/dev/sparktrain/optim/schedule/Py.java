package dev.sparktrain.optim.schedule;

import java.math.BigDecimal;

/** Python semantics the schedulers reproduce exactly: float division, max(), bisect_right, str(). */
final class Py {
    private Py() {
    }

    /** Python's {@code a / b} on floats: raises on a zero divisor instead of giving inf or nan. */
    static double div(double a, double b) {
        if (b == 0) {
            throw new ArithmeticException("float division by zero");
        }
        return a / b;
    }

    /** Python's {@code max(a, b)}: the first argument unless the second compares greater. */
    static double max(double a, double b) {
        return b > a ? b : a;
    }

    /** {@code bisect.bisect_right(a, x)}, the same binary search (so unsorted input behaves alike). */
    static int bisectRight(int[] a, int x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (x < a[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** What Python's {@code "{}".format(value)} prints for a number, bool or string. */
    static String str(Object value) {
        if (value instanceof Double || value instanceof Float) {
            return str(((Number) value).doubleValue());
        }
        if (value instanceof Boolean) {
            return (Boolean) value ? "True" : "False";
        }
        return String.valueOf(value);
    }

    /** Python's repr of a float: shortest digits, "1.5", "100.0", "1e-05", "inf". */
    static String str(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0.0" : "0.0";
        }
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exponent = digits.length() - 1 - d.scale();
        String sign = v < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        String plain = d.toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    /** Python's isinstance(value, int) for values from a spec (bool excluded). */
    static boolean isInt(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof java.math.BigInteger;
    }
}
