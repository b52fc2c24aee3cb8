package dev.sparktrain.optim;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code repr(float)} (also its {@code str} and {@code "{}".format}), for messages worded
 * as PyTorch's: the shortest round-tripping digits, positional when the decimal exponent is in
 * [-4, 16), else scientific with a signed exponent of at least two digits ({@code 1e-08},
 * {@code 1.5e+16}); {@code nan}, {@code inf}, {@code -inf}.
 */
final class PyRepr {
    private PyRepr() {
    }

    static String of(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        String sign = (v < 0 || (v == 0 && 1 / v < 0)) ? "-" : "";
        if (v == 0) {
            return sign + "0.0";
        }
        BigDecimal d = shortest(Math.abs(v));
        String digits = d.unscaledValue().toString();
        int decpt = digits.length() - d.scale(); // v = 0.digits * 10^decpt
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                return sign + "0." + "0".repeat(-decpt) + digits;
            }
            if (decpt < digits.length()) {
                return sign + digits.substring(0, decpt) + "." + digits.substring(decpt);
            }
            return sign + digits + "0".repeat(decpt - digits.length()) + ".0";
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        int exp = decpt - 1;
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
    }

    /** The fewest significant digits that read back as {@code v} (Java 17's Double.toString is not always shortest). */
    private static BigDecimal shortest(double v) {
        BigDecimal exact = new BigDecimal(v);
        for (int precision = 1; precision < 17; precision++) {
            BigDecimal d = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (d.doubleValue() == v) {
                return d.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }
}
