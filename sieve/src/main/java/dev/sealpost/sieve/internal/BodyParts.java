package dev.sealpost.sieve.internal;

import dev.sealpost.message.MessageStructure;
import dev.sealpost.message.Part;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The body-transform of the body test (RFC 5173 §5): the MIME structure comes from the message
 * module's parser (bounded by its limits); parts are transfer-decoded and converted to text.
 */
public final class BodyParts {
    private BodyParts() {}

    /** RFC 5173 §5.2: the decoded bodies of the leaf parts whose type matches one of {@code types} ("" matches all). */
    public static List<String> content(byte[] message, List<String> types) {
        MessageStructure s = MessageStructure.parse(message);
        List<String> out = new ArrayList<>();
        walk(s.root(), message, types, out);
        return out;
    }

    private static void walk(Part p, byte[] message, List<String> types, List<String> out) {
        if (p.isMultipart()) {
            for (Part c : p.children()) walk(c, message, types, out);
            return;
        }
        if (p.isMessage()) {
            walk(p.message(), message, types, out);
            return;
        }
        if (!wanted(p, types)) return;
        String text = decode(p, message);
        // RFC 5173 §5.2: text/html is matched on its text, without markup
        if (p.mediaType().equals("text/html")) text = text.replaceAll("(?s)<[^>]*>", "");
        out.add(text);
    }

    private static boolean wanted(Part p, List<String> types) {
        for (String t : types) {
            String l = t.toLowerCase(Locale.ROOT);
            if (l.isEmpty()) return true;
            int slash = l.indexOf('/');
            if (slash < 0 ? l.equals(p.type()) : l.equals(p.mediaType())) return true;
        }
        return false;
    }

    private static String decode(Part p, byte[] message) {
        int start = (int) Math.min(p.bodyStart(), message.length);
        int end = (int) Math.min(p.end(), message.length);
        byte[] raw = java.util.Arrays.copyOfRange(message, start, Math.max(start, end));
        byte[] octets = switch (p.encoding()) {
            case "base64" -> {
                try {
                    yield Base64.getMimeDecoder().decode(raw);
                } catch (IllegalArgumentException e) {
                    yield raw; // undecodable: matched as it is
                }
            }
            case "quoted-printable" -> qp(raw);
            default -> raw;
        };
        Charset cs = StandardCharsets.UTF_8;
        String name = p.param("charset");
        if (name != null) {
            try {
                cs = Charset.forName(name);
            } catch (RuntimeException e) {
                cs = StandardCharsets.UTF_8;
            }
        }
        return new String(octets, cs);
    }

    // RFC 2045 §6.7
    private static byte[] qp(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '=' && i + 1 < in.length && (in[i + 1] == '\r' || in[i + 1] == '\n')) {
                i += in[i + 1] == '\r' && i + 2 < in.length && in[i + 2] == '\n' ? 2 : 1; // soft line break
            } else if (b == '=' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                out.write(hex(in[i + 1]) * 16 + hex(in[i + 2]));
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static int hex(byte b) {
        return Character.digit((char) b, 16);
    }
}
