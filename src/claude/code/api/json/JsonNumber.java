package claude.code.api.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A JSON number, kept as its exact text so no precision is lost; converted on demand.
 * Two numbers are {@code equals} when their texts are equal ({@code 1.0} and {@code 1} differ);
 * {@link #canonicalText()} compares values.
 */
public record JsonNumber(String text) implements JsonValue {

    /** @throws IllegalArgumentException when {@code text} is not an RFC 8259 number */
    public JsonNumber {
        Objects.requireNonNull(text, "text");
        if (!isNumberText(text)) {
            throw new IllegalArgumentException("not a JSON number: \"" + text + "\"");
        }
    }

    public static JsonNumber of(long value) {
        return new JsonNumber(Long.toString(value));
    }

    public static JsonNumber of(BigInteger value) {
        return new JsonNumber(value.toString());
    }

    public static JsonNumber of(BigDecimal value) {
        return new JsonNumber(value.toString());
    }

    /** @throws IllegalArgumentException for NaN and infinities, which JSON cannot represent */
    public static JsonNumber of(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("JSON has no representation for " + value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return of((long) value);
        }
        return new JsonNumber(Double.toString(value));
    }

    /** The exact value as a long. @throws ArithmeticException if it has a fraction or does not fit */
    public long longValue() {
        if (isPlainInteger(text) && text.length() <= 18) {
            return Long.parseLong(text);
        }
        try {
            return bigDecimalValue().longValueExact();
        } catch (ArithmeticException e) {
            throw new ArithmeticException("JSON number " + text + " is not a long");
        }
    }

    /** The exact value as an int. @throws ArithmeticException if it has a fraction or does not fit */
    public int intValue() {
        long v = longValue();
        if (v != (int) v) {
            throw new ArithmeticException("JSON number " + text + " is not an int");
        }
        return (int) v;
    }

    /** The nearest double (infinite when out of range, as {@link Double#parseDouble}). */
    public double doubleValue() {
        return Double.parseDouble(text);
    }

    /** @throws NumberFormatException when the exponent is beyond BigDecimal's range */
    public BigDecimal bigDecimalValue() {
        return new BigDecimal(text);
    }

    /** @throws ArithmeticException if the value has a fraction */
    public BigInteger bigIntegerValue() {
        return isPlainInteger(text) ? new BigInteger(text) : bigDecimalValue().toBigIntegerExact();
    }

    /**
     * One text per decimal value, used by {@link Json#canonical}: integers of up to 21 digits in
     * plain form ({@code 1.0}, {@code 1e0}, {@code 10E-1} all give {@code 1}; {@code -0} gives
     * {@code 0}), other values as {@link BigDecimal#toString()} of the value with trailing zeros
     * stripped ({@code 1.50} gives {@code 1.5}, {@code 1e30} gives {@code 1E+30}). A number whose
     * exponent is beyond BigDecimal's range keeps its text.
     */
    public String canonicalText() {
        if (isPlainInteger(text) && text.length() <= 21) {
            return text.equals("-0") ? "0" : text;
        }
        try {
            BigDecimal value = new BigDecimal(text).stripTrailingZeros();
            if (value.signum() == 0) {
                return "0";
            }
            if (value.scale() <= 0 && value.precision() - value.scale() <= 21) {
                return value.toPlainString();
            }
            return value.toString();
        } catch (NumberFormatException | ArithmeticException beyondRange) {
            return text;
        }
    }

    @Override
    public String toString() {
        return text;
    }

    private static boolean isPlainInteger(String s) {
        int i = s.charAt(0) == '-' ? 1 : 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The RFC 8259 number grammar: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    static boolean isNumberText(String s) {
        int n = s.length(), i = 0;
        if (i < n && s.charAt(i) == '-') {
            i++;
        }
        if (i >= n) {
            return false;
        }
        if (s.charAt(i) == '0') {
            i++;
        } else if (isDigit(s.charAt(i))) {
            while (i < n && isDigit(s.charAt(i))) i++;
        } else {
            return false;
        }
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && isDigit(s.charAt(i))) i++;
            if (i == start) {
                return false;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int start = i;
            while (i < n && isDigit(s.charAt(i))) i++;
            if (i == start) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
