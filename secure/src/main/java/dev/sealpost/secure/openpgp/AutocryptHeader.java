package dev.sealpost.secure.openpgp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code Autocrypt:} (and {@code Autocrypt-Gossip:}) header field of Autocrypt Level 1 §2.1:
 * {@code addr}, {@code prefer-encrypt} and {@code keydata} attributes. Parsing is bounded and
 * returns a value; an unknown critical attribute (one not starting with '_') makes the whole header
 * invalid, as the spec requires. Whether {@code addr} matches the From address, and whether a message
 * carries more than one header, are the caller's checks (§2.3).
 *
 * @param addr          the address, as written (compare case-insensitively)
 * @param preferEncrypt {@code true} for {@code prefer-encrypt=mutual}; any other value means no preference (§2.1)
 * @param keydata       the binary OpenPGP certificate (base64-decoded)
 */
public record AutocryptHeader(String addr, boolean preferEncrypt, byte[] keydata) {
    /** The longest header value read (unfolded), and the longest keydata kept. */
    public static final int MAX_VALUE_CHARS = 64 * 1024;
    public static final int MAX_KEYDATA_BYTES = 32 * 1024;
    /** Attributes read; a header with more is refused. */
    public static final int MAX_ATTRIBUTES = 32;

    public AutocryptHeader {
        Objects.requireNonNull(addr);
        keydata = keydata.clone();
        if (addr.isEmpty() || keydata.length == 0) throw new IllegalArgumentException("addr and keydata are required");
    }

    @Override
    public byte[] keydata() {
        return keydata.clone();
    }

    /** The outcome of parsing a header value. */
    public sealed interface Parsed {
        record Valid(AutocryptHeader header) implements Parsed {}

        record Invalid(String reason) implements Parsed {}
    }

    /** Parses a header value (folded or unfolded; the field name not included). Never throws. */
    public static Parsed parse(String value) {
        if (value == null) return new Parsed.Invalid("no value");
        if (value.length() > MAX_VALUE_CHARS) return new Parsed.Invalid("value longer than " + MAX_VALUE_CHARS + " characters");
        String addr = null;
        String keydata = null;
        boolean mutual = false;
        int count = 0;
        for (String attr : value.split(";", -1)) {
            String a = attr.strip();
            if (a.isEmpty()) continue;
            if (++count > MAX_ATTRIBUTES) return new Parsed.Invalid("more than " + MAX_ATTRIBUTES + " attributes");
            int eq = a.indexOf('=');
            if (eq <= 0) return new Parsed.Invalid("attribute without '=': " + shorten(a));
            String name = a.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String val = a.substring(eq + 1).strip();
            switch (name) {
                case "addr" -> {
                    if (addr != null) return new Parsed.Invalid("addr given twice");
                    addr = val;
                }
                case "keydata" -> {
                    if (keydata != null) return new Parsed.Invalid("keydata given twice");
                    keydata = val;
                }
                case "prefer-encrypt" -> mutual = val.equals("mutual");
                default -> {
                    // Autocrypt Level 1 §2.1: unknown attributes starting with '_' are ignored; any other makes the header invalid
                    if (!name.startsWith("_")) return new Parsed.Invalid("unknown critical attribute " + shorten(name));
                }
            }
        }
        if (addr == null || addr.isEmpty()) return new Parsed.Invalid("no addr attribute");
        if (!validAddr(addr)) return new Parsed.Invalid("addr is not a mail address: " + shorten(addr));
        if (keydata == null) return new Parsed.Invalid("no keydata attribute");
        StringBuilder b64 = new StringBuilder(keydata.length());
        for (int i = 0; i < keydata.length(); i++) {
            char c = keydata.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue; // folding white space inside keydata
            b64.append(c);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(b64.toString());
        } catch (IllegalArgumentException e) {
            return new Parsed.Invalid("keydata is not base64");
        }
        if (key.length == 0) return new Parsed.Invalid("empty keydata");
        if (key.length > MAX_KEYDATA_BYTES) return new Parsed.Invalid("keydata longer than " + MAX_KEYDATA_BYTES + " octets");
        return new Parsed.Valid(new AutocryptHeader(addr, mutual, key));
    }

    private static boolean validAddr(String addr) {
        int at = addr.lastIndexOf('@');
        if (at <= 0 || at == addr.length() - 1) return false;
        for (int i = 0; i < addr.length(); i++) {
            char c = addr.charAt(i);
            if (c <= ' ' || c == '<' || c == '>' || c == ';' || c == ',' || c == '"' || c == 0x7f) return false;
        }
        return true;
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /**
     * The header value, folded for a field named {@code Autocrypt} (keydata in lines of 76 base64
     * characters after CRLF and one space, RFC 5322 §2.2.3), without the field name and final CRLF.
     */
    public String value() {
        StringBuilder sb = new StringBuilder("addr=").append(addr).append(';');
        if (preferEncrypt) sb.append(" prefer-encrypt=mutual;");
        sb.append(" keydata=");
        String b64 = Base64.getEncoder().encodeToString(keydata);
        for (int i = 0; i < b64.length(); i += 76) sb.append("\r\n ").append(b64, i, Math.min(b64.length(), i + 76));
        return sb.toString();
    }

    /** The whole field, {@code Autocrypt: ...CRLF}. */
    public String field() {
        return "Autocrypt: " + value() + "\r\n";
    }

    /** Collects the unfolded values of every field with this name (case-insensitive) in a header section. */
    public static List<String> fieldValues(byte[] message, String fieldName) {
        String head = new String(message, StandardCharsets.ISO_8859_1);
        int end = head.indexOf("\r\n\r\n");
        int endLf = head.indexOf("\n\n");
        if (end < 0 || (endLf >= 0 && endLf < end)) end = endLf;
        if (end >= 0) head = head.substring(0, end);
        List<String> out = new ArrayList<>();
        String prefix = fieldName.toLowerCase(Locale.ROOT) + ":";
        StringBuilder cur = null;
        for (String line : head.split("\r?\n", -1)) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (cur != null) cur.append(line);
                continue;
            }
            if (cur != null) out.add(cur.toString());
            cur = line.toLowerCase(Locale.ROOT).startsWith(prefix) ? new StringBuilder(line.substring(prefix.length())) : null;
        }
        if (cur != null) out.add(cur.toString());
        return out;
    }
}
