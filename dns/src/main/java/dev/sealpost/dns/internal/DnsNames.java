package dev.sealpost.dns.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.xbill.DNS.Name;

/** Conversions between the API's plain strings and dnsjava {@link Name}s. */
public final class DnsNames {
    private DnsNames() {}

    /**
     * Parses a domain name given as dot-separated labels, with or without the trailing dot, into an
     * absolute, lower-case {@link Name}. Backslashes and other characters are taken literally (no
     * master-file escapes): the input may come from a peer (HELO, MAIL FROM, SPF macro expansion).
     *
     * @return empty when the name cannot exist in the DNS: an empty label, a label over 63 octets
     *     or a name over 255 octets in wire form (RFC 1035 §2.3.4)
     */
    public static Optional<Name> parse(String text) {
        if (text == null) throw new NullPointerException("name");
        String s = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (s.isEmpty()) return text.equals(".") ? Optional.of(Name.root) : Optional.empty();
        ByteArrayOutputStream wire = new ByteArrayOutputStream(s.length() + 2);
        int start = 0;
        while (true) {
            int dot = s.indexOf('.', start);
            String label = dot < 0 ? s.substring(start) : s.substring(start, dot);
            byte[] bytes = label.getBytes(StandardCharsets.UTF_8);
            if (bytes.length == 0 || bytes.length > 63) return Optional.empty(); // RFC 1035 §2.3.4
            wire.write(bytes.length);
            wire.writeBytes(bytes);
            if (wire.size() > 254) return Optional.empty(); // 255 octets including the root label
            if (dot < 0) break;
            start = dot + 1;
        }
        wire.write(0);
        try {
            return Optional.of(new Name(wire.toByteArray()).canonicalize());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Parses a name the program itself supplies (builders, tests); throws on a malformed one. */
    public static Name require(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a valid domain name: " + text));
    }

    /** The API's form of a name: absolute, without the trailing dot; the root is the empty string. */
    public static String toText(Name name) {
        return name.toString(true).equals(".") ? "" : name.toString(true);
    }
}
