package dev.sealpost.evidence.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON parser (RFC 8259 grammar, RFC 7493 I-JSON restrictions). Values come back as
 * {@code Map<String, Object>} (members in document order, unmodifiable), {@code List<Object>},
 * {@code String}, {@code Long} (integers that fit) or {@code BigInteger}, {@code BigDecimal} (numbers
 * with a fraction or exponent), {@code Boolean} and {@link Json#NULL}.
 */
public final class JsonParser {
    /** Nesting deeper than this is refused. */
    public static final int MAX_DEPTH = 64;
    private static final int MAX_NUMBER_CHARS = 400;

    /** The outcome of a parse. */
    public sealed interface Result {}

    /** The document parsed; {@code value} is its top-level value. */
    public record Parsed(Object value) implements Result {}

    /** The document is not strict JSON; {@code offset} is the char index where that showed. */
    public record Failed(int offset, String reason) implements Result {}

    private final String s;
    private int pos;

    private JsonParser(String s) {
        this.s = s;
    }

    /** Parses one JSON text: a value surrounded by optional whitespace, nothing else. */
    public static Result parse(String text) {
        JsonParser p = new JsonParser(text);
        try {
            p.ws();
            Object v = p.value(0);
            p.ws();
            if (p.pos != text.length()) throw p.fail("text after the JSON value");
            return new Parsed(v);
        } catch (Bad b) {
            return new Failed(b.offset, b.getMessage());
        }
    }

    /** Parses and returns the value, or throws {@link IllegalArgumentException} naming the fault (for trusted input). */
    public static Object parseOrThrow(String text) {
        return switch (parse(text)) {
            case Parsed p -> p.value();
            case Failed f -> throw new IllegalArgumentException("bad JSON at " + f.offset() + ": " + f.reason());
        };
    }

    private Object value(int depth) {
        if (depth >= MAX_DEPTH) throw fail("nested deeper than " + MAX_DEPTH);
        if (pos >= s.length()) throw fail("a value was expected");
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", Json.NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw fail("unexpected character");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        pos++;
        Map<String, Object> out = new LinkedHashMap<>();
        ws();
        if (peek() == '}') {
            pos++;
            return Collections.unmodifiableMap(out);
        }
        while (true) {
            ws();
            if (peek() != '"') throw fail("a member name was expected");
            int at = pos;
            String name = string();
            // RFC 7493 §2.3: member names must be unique.
            if (out.containsKey(name)) {
                pos = at;
                throw fail("duplicate member name \"" + name + "\"");
            }
            ws();
            expect(':');
            ws();
            out.put(name, value(depth + 1));
            ws();
            char c = peek();
            pos++;
            if (c == '}') return Collections.unmodifiableMap(out);
            if (c != ',') {
                pos--;
                throw fail("',' or '}' was expected");
            }
        }
    }

    private List<Object> array(int depth) {
        pos++;
        List<Object> out = new ArrayList<>();
        ws();
        if (peek() == ']') {
            pos++;
            return Collections.unmodifiableList(out);
        }
        while (true) {
            ws();
            out.add(value(depth + 1));
            ws();
            char c = peek();
            pos++;
            if (c == ']') return Collections.unmodifiableList(out);
            if (c != ',') {
                pos--;
                throw fail("',' or ']' was expected");
            }
        }
    }

    private String string() {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= s.length()) throw fail("unterminated string");
            char c = s.charAt(pos++);
            if (c == '"') break;
            if (c < 0x20) {
                pos--;
                throw fail("a control character in a string must be escaped");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= s.length()) throw fail("unterminated escape");
            char e = s.charAt(pos++);
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) throw fail("short \\u escape");
                    int v = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(s.charAt(pos + i), 16);
                        if (d < 0) throw fail("bad hex digit in \\u escape");
                        v = v * 16 + d;
                    }
                    pos += 4;
                    sb.append((char) v);
                }
                default -> {
                    pos--;
                    throw fail("unknown escape \\" + e);
                }
            }
        }
        String out = sb.toString();
        // RFC 7493 §2.1: no lone surrogates (they have no UTF-8 form and no canonical one).
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < out.length() && Character.isLowSurrogate(out.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw fail("a lone surrogate in a string");
            }
        }
        return out;
    }

    // RFC 8259 §6: number = [ minus ] int [ frac ] [ exp ]; int = zero / ( digit1-9 *DIGIT ).
    private Object number() {
        int start = pos;
        boolean integer = true;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) pos++;
        } else {
            throw fail("a digit was expected");
        }
        if (peek() == '.') {
            integer = false;
            pos++;
            if (!isDigit(peek())) throw fail("a digit was expected after '.'");
            while (isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            integer = false;
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(peek())) throw fail("a digit was expected in the exponent");
            while (isDigit(peek())) pos++;
        }
        if (pos - start > MAX_NUMBER_CHARS) {
            pos = start;
            throw fail("a number longer than " + MAX_NUMBER_CHARS + " characters");
        }
        String t = s.substring(start, pos);
        if (!integer) {
            try {
                return new BigDecimal(t);
            } catch (NumberFormatException e) {
                // An exponent beyond BigDecimal's int scale (found by EvidenceInputsFuzzTest#receipt): no double holds it either.
                pos = start;
                throw fail("a number out of range");
            }
        }
        BigInteger b = new BigInteger(t);
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, pos)) throw fail("unexpected character");
        pos += word.length();
        return v;
    }

    private void ws() {
        // RFC 8259 §2: ws = space, tab, line feed, carriage return.
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) throw fail("'" + c + "' was expected");
        pos++;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Bad fail(String reason) {
        return new Bad(pos, reason);
    }

    private static final class Bad extends RuntimeException {
        final int offset;

        Bad(int offset, String reason) {
            super(reason, null, false, false);
            this.offset = offset;
        }
    }
}
