package dev.sealpost.smtp.client;

import java.util.Locale;

/** The body type of a message (the MAIL BODY= parameter). */
public enum BodyType {
    /** Only 7-bit octets, lines up to 998 octets (RFC 5321 §2.4). */
    SEVEN_BIT("7BIT"),
    /** RFC 6152: 8-bit octets in lines. */
    EIGHT_BIT_MIME("8BITMIME"),
    /** RFC 3030 §3: arbitrary octets; only with BDAT. */
    BINARY_MIME("BINARYMIME");

    private final String wire;

    BodyType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** From the parameter value as the server engine keeps it ({@code 7BIT}, {@code 8BITMIME}, {@code BINARYMIME}; null = 7BIT). */
    public static BodyType fromWire(String s) {
        if (s == null) return SEVEN_BIT;
        return switch (s.toUpperCase(Locale.ROOT)) {
            case "7BIT" -> SEVEN_BIT;
            case "8BITMIME" -> EIGHT_BIT_MIME;
            case "BINARYMIME" -> BINARY_MIME;
            default -> throw new IllegalArgumentException("unknown BODY type " + s);
        };
    }
}
