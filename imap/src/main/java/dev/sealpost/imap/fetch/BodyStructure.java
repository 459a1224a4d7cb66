package dev.sealpost.imap.fetch;

import dev.sealpost.imap.proto.Wire;
import dev.sealpost.message.Address;
import dev.sealpost.message.Envelope;
import dev.sealpost.message.Part;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** ENVELOPE, BODY and BODYSTRUCTURE (RFC 9051 §7.5.2, §9 {@code envelope}, {@code body}). */
final class BodyStructure {
    private BodyStructure() {}

    /** RFC 9051 §9 envelope = "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP env-to SP env-cc SP env-bcc SP env-in-reply-to SP env-message-id ")". */
    static void envelope(ByteArrayOutputStream out, Envelope e) {
        if (e == null) e = Envelope.EMPTY;
        out.write('(');
        Wire.nstring(out, e.date());
        out.write(' ');
        Wire.nstring(out, e.subject());
        out.write(' ');
        addresses(out, e.from());
        out.write(' ');
        // RFC 9051 §7.5.2: sender and reply-to default to from
        addresses(out, e.imapSender());
        out.write(' ');
        addresses(out, e.imapReplyTo());
        out.write(' ');
        addresses(out, e.to());
        out.write(' ');
        addresses(out, e.cc());
        out.write(' ');
        addresses(out, e.bcc());
        out.write(' ');
        Wire.nstring(out, e.inReplyTo());
        out.write(' ');
        Wire.nstring(out, e.messageId());
        out.write(')');
    }

    /** "(" 1*address ")" / nil; a group is (NIL NIL name NIL) ... (NIL NIL NIL NIL) (RFC 9051 §7.5.2). */
    private static void addresses(ByteArrayOutputStream out, List<Address> list) {
        if (list.isEmpty()) {
            Wire.ascii(out, "NIL");
            return;
        }
        out.write('(');
        for (Address a : list) {
            out.write('(');
            if (a.isGroupEnd()) {
                Wire.ascii(out, "NIL NIL NIL NIL");
            } else if (a.isGroupStart()) {
                Wire.ascii(out, "NIL NIL ");
                Wire.string(out, a.mailbox());
                Wire.ascii(out, " NIL");
            } else {
                Wire.nstring(out, a.name());
                out.write(' ');
                Wire.nstring(out, a.route());
                out.write(' ');
                Wire.string(out, a.mailbox());
                out.write(' ');
                Wire.string(out, a.host()); // "" for an address without domain: NIL would mean a group
            }
            out.write(')');
        }
        out.write(')');
    }

    /**
     * RFC 9051 §9 body: {@code extensible} gives BODYSTRUCTURE (with body-ext-1part / body-ext-mpart),
     * otherwise the non-extensible BODY. Recursion is bounded by the parser's depth limit
     * ({@link dev.sealpost.message.MessageStructure.Limits#maxDepth()}).
     */
    static void body(ByteArrayOutputStream out, Part p, boolean extensible) {
        out.write('(');
        if (p.isMultipart()) {
            // body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
            for (Part c : p.children()) body(out, c, extensible);
            out.write(' ');
            Wire.string(out, upper(p.subtype()));
            if (extensible) {
                out.write(' ');
                params(out, p.params());
                extension(out, p);
            }
        } else {
            boolean message = p.isMessage();
            String type = p.type(), subtype = p.subtype();
            if (!message && type.equals("message") && (subtype.equals("rfc822") || subtype.equals("global"))) {
                // media-message must carry envelope and body; without a parsed message send it as opaque data
                type = "application";
                subtype = "octet-stream";
            }
            Wire.string(out, upper(type));
            out.write(' ');
            Wire.string(out, upper(subtype));
            out.write(' ');
            Map<String, String> params = p.params();
            if (type.equals("text") && !params.containsKey("charset")) {
                // RFC 2045 §5.2 / RFC 2046 §4.1.2: text without a charset is us-ascii (as Dovecot shows it)
                Map<String, String> withCharset = new LinkedHashMap<>();
                withCharset.put("charset", "us-ascii");
                withCharset.putAll(params);
                params = withCharset;
            }
            params(out, params);
            out.write(' ');
            Wire.nstring(out, p.id());
            out.write(' ');
            Wire.nstring(out, p.description());
            out.write(' ');
            Wire.string(out, upper(p.encoding()));
            out.write(' ');
            Wire.ascii(out, Long.toString(p.bodyLength()));
            if (message) {
                // body-type-msg = media-message SP body-fields SP envelope SP body SP body-fld-lines
                out.write(' ');
                envelope(out, p.message().envelope());
                out.write(' ');
                body(out, p.message(), extensible);
                out.write(' ');
                Wire.ascii(out, Long.toString(p.bodyLines()));
            } else if (type.equals("text")) {
                // body-type-text = media-text SP body-fields SP body-fld-lines
                out.write(' ');
                Wire.ascii(out, Long.toString(p.bodyLines()));
            }
            if (extensible) {
                // body-ext-1part = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc]]]
                out.write(' ');
                Wire.nstring(out, p.md5());
                extension(out, p);
            }
        }
        out.write(')');
    }

    /** SP body-fld-dsp SP body-fld-lang SP body-fld-loc. */
    private static void extension(ByteArrayOutputStream out, Part p) {
        out.write(' ');
        if (p.disposition() == null) {
            Wire.ascii(out, "NIL");
        } else {
            out.write('(');
            Wire.string(out, upper(p.disposition()));
            out.write(' ');
            params(out, p.dispositionParams());
            out.write(')');
        }
        out.write(' ');
        List<String> lang = p.language();
        if (lang.isEmpty()) {
            Wire.ascii(out, "NIL");
        } else if (lang.size() == 1) {
            Wire.string(out, lang.get(0));
        } else {
            out.write('(');
            for (int i = 0; i < lang.size(); i++) {
                if (i > 0) out.write(' ');
                Wire.string(out, lang.get(i));
            }
            out.write(')');
        }
        out.write(' ');
        Wire.nstring(out, p.location());
    }

    /** body-fld-param = "(" string SP string *(SP string SP string) ")" / nil. */
    private static void params(ByteArrayOutputStream out, Map<String, String> params) {
        if (params.isEmpty()) {
            Wire.ascii(out, "NIL");
            return;
        }
        out.write('(');
        boolean first = true;
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!first) out.write(' ');
            first = false;
            String name = upper(e.getKey());
            String value = e.getValue() == null ? "" : e.getValue();
            if (!printableAscii(value)) {
                // the parser decoded RFC 2231 values; 8-bit text is sent RFC 2231-encoded again so that
                // IMAP4rev1 clients get 7-bit data they know how to decode (as the message had it)
                name = name + "*";
                value = rfc2231(value);
            }
            Wire.string(out, name);
            out.write(' ');
            Wire.string(out, value);
        }
        out.write(')');
    }

    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) return false;
        }
        return true;
    }

    /** RFC 2231 §4 extended-value {@code utf-8''} with %XX for everything but attribute-char. */
    static String rfc2231(String value) {
        StringBuilder b = new StringBuilder("utf-8''");
        for (byte x : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0;
            if (plain) b.append((char) c);
            else b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
        }
        return b.toString();
    }

    private static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }
}
