package dev.sealpost.evidence.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 (JCS) canonical JSON: one byte form for one value, so that the hash of a record is a
 * function of its content. No whitespace; object members sorted by their names' UTF-16 code units
 * (§3.2.3); strings escaped exactly as §3.2.2.2 says; numbers in the ECMAScript form of §3.2.2.3;
 * output in UTF-8 (§3.2.4).
 *
 * <p>Accepted values: {@code Map<String, ?>}, {@code List<?>}, {@code String}, {@code Boolean},
 * {@link Json#NULL}, integers ({@code Integer}, {@code Long}, {@code BigInteger}) within ±(2^53−1) or
 * written exactly as the ECMAScript form of a double (others would change, RFC 7493 §2.2), and {@code Double} / {@code
 * BigDecimal} that are finite doubles. Anything else, including a string with a lone surrogate, is
 * a bug of the caller: {@link IllegalArgumentException}.
 */
public final class CanonicalJson {
    private static final long MAX_SAFE = (1L << 53) - 1;

    private CanonicalJson() {}

    /** The canonical UTF-8 bytes of {@code value}. */
    public static byte[] bytes(Object value) {
        return string(value).getBytes(StandardCharsets.UTF_8);
    }

    /** The canonical text of {@code value}. */
    public static String string(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, int depth) {
        if (depth >= JsonParser.MAX_DEPTH) throw new IllegalArgumentException("nested deeper than " + JsonParser.MAX_DEPTH);
        switch (v) {
            case null -> throw new IllegalArgumentException("a Java null is not a JSON value (use Json.NULL)");
            case String s -> string(sb, s);
            case Boolean b -> sb.append(b ? "true" : "false");
            case Integer i -> sb.append(i.intValue());
            case Long l -> integer(sb, BigInteger.valueOf(l));
            case BigInteger b -> integer(sb, b);
            case Double d -> sb.append(number(d));
            case BigDecimal d -> sb.append(number(d.doubleValue()));
            case Map<?, ?> m -> object(sb, m, depth);
            case List<?> l -> {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) sb.append(',');
                    write(sb, l.get(i), depth + 1);
                }
                sb.append(']');
            }
            default -> {
                if (v == Json.NULL) sb.append("null");
                else throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
            }
        }
    }

    private static void object(StringBuilder sb, Map<?, ?> m, int depth) {
        List<String> names = new ArrayList<>(m.size());
        for (Object k : m.keySet()) {
            if (!(k instanceof String s)) throw new IllegalArgumentException("a member name must be a string: " + k);
            names.add(s);
        }
        // RFC 8785 §3.2.3: members sorted by name as arrays of UTF-16 code units; String.compareTo
        // compares char values, which are exactly those code units.
        names.sort(String::compareTo);
        sb.append('{');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) sb.append(',');
            string(sb, names.get(i));
            sb.append(':');
            write(sb, m.get(names.get(i)), depth + 1);
        }
        sb.append('}');
    }

    private static void integer(StringBuilder sb, BigInteger b) {
        if (b.abs().compareTo(BigInteger.valueOf(MAX_SAFE)) <= 0) {
            sb.append(b);
            return;
        }
        // RFC 8785 §3.2.2.3 / RFC 7493 §2.2: numbers are IEEE 754 doubles. A larger integer that is
        // the ECMAScript form of a double stands for that double (found by JsonFuzzTest:
        // 5.555000000000001e19 is written 55550000000000010000 and reads back as an integer);
        // any other would be changed by the round trip through a double, and is refused.
        double d = b.doubleValue();
        String form = Double.isInfinite(d) ? "" : number(d);
        if (!form.equals(b.toString())) {
            throw new IllegalArgumentException("integer " + b + " is beyond ±(2^53-1) and not the form of a double");
        }
        sb.append(form);
    }

    // RFC 8785 §3.2.2.2: the seven short escapes, other controls as \\u00xx in lower case hex,
    // everything else (including '/', DEL and non-ASCII) as itself.
    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        // RFC 8785 §3.2.2.2 / RFC 7493 §2.1: a lone surrogate has no UTF-8 form.
                        throw new IllegalArgumentException("a lone surrogate at char " + i);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /**
     * RFC 8785 §3.2.2.3: the ECMAScript Number.prototype.toString form of a finite double: the
     * shortest decimal that rounds back to it (closest if several), written plainly for decimal
     * exponents -6 < n <= 21 and as {@code d.ddde±x} otherwise.
     */
    public static String number(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) throw new IllegalArgumentException("NaN and Infinity have no JSON form");
        if (x == 0) return "0";   // also -0 (ECMAScript prints "0")
        String sign = x < 0 ? "-" : "";
        double a = Math.abs(x);
        BigDecimal d = shortest(a);
        String digits = d.unscaledValue().toString();
        int k = digits.length();
        int n = k - d.scale();    // a = 0.digits × 10^n
        StringBuilder sb = new StringBuilder(sign);
        if (k <= n && n <= 21) {
            sb.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            sb.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            sb.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            sb.append(digits.charAt(0));
            if (k > 1) sb.append('.').append(digits, 1, k);
            int e = n - 1;
            sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
        }
        return sb.toString();
    }

    /**
     * The shortest decimal (fewest significant digits, then closest) that reads back as {@code a}
     * (a > 0), without trailing zeros. Java's Double.toString (JDK 19+) gives the shortest when it
     * needs 2 or more digits, but picks among 1- and 2-digit decimals the closest (4.9E-324 for
     * the least double, where ECMAScript writes 5e-324); so a 1-digit answer is looked for first.
     */
    static BigDecimal shortest(double a) {
        BigDecimal java = new BigDecimal(Double.toString(a)).stripTrailingZeros();
        if (java.precision() == 2) {
            BigDecimal exact = new BigDecimal(a);
            BigDecimal best = null;
            for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
                BigDecimal c = java.round(new java.math.MathContext(1, mode));
                if (c.signum() > 0 && c.doubleValue() == a) {
                    if (best == null || c.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0) best = c;
                }
            }
            if (best != null) return best.stripTrailingZeros();
        }
        return java;
    }
}
