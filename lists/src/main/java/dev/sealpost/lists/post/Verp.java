package dev.sealpost.lists.post;

import dev.sealpost.core.mail.EmailAddress;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Variable envelope return paths for list mail: each member's copy is sent with the return path
 * {@code LIST-bounces+member=domain@listdomain}, so that a bounce names the member by the address
 * it arrives at, whatever the bounce's format.
 *
 * <p>Encoding: the member's local part, then {@code =}, then the member's domain (A-label, lower
 * case). A member local part that is a plain Dot-string (RFC 5321 §4.1.2) is used as it is, with
 * only {@code %} written {@code %25}; any other (a quoted local part with spaces, {@code @},
 * {@code ..}, or UTF-8 under RFC 6531) has every octet outside atext, and every dot, written as
 * {@code %XX} of its UTF-8 octets. The result is always an ASCII Dot-string local part, so the
 * return path never needs quoting or SMTPUTF8. {@code +} and {@code =} are atext and stay: decoding
 * knows the list's prefix and splits at the last {@code =} (a domain never contains one).
 *
 * <p>Decoding is case-insensitive for the {@code LIST-bounces+} prefix and the list domain (RFC
 * 5321 §2.4: only the local part's case may matter, and a relay may have changed it); the member's
 * local part is returned as found.
 *
 * <p>Length: RFC 5321 §4.5.3.1.1 limits a local part to 64 octets, which a VERP local part exceeds
 * for long member addresses. Most MTAs accept longer ones (our own inbound does); callers can test
 * {@link #withinLocalPartLimit} and decide.
 */
public final class Verp {
    static final String SUFFIX = "-bounces";

    private Verp() {}

    /** {@code LIST-bounces@listdomain}: the plain bounce address (for mail that is not per member). */
    public static String bounceAddress(EmailAddress list) {
        return list.localPart() + SUFFIX + "@" + list.domain();
    }

    /** The return path for {@code member}'s copy of a post to {@code list}. */
    public static String encode(EmailAddress list, EmailAddress member) {
        return list.localPart() + SUFFIX + "+" + escape(member.localPart()) + "=" + member.domain() + "@" + list.domain();
    }

    /**
     * The member a VERP address names, or empty when {@code recipient} is not a VERP address of
     * {@code list} (another list, the plain bounce address, a malformed address).
     *
     * @param recipient the envelope recipient the bounce arrived at ({@code <>} and quotes allowed)
     */
    public static Optional<EmailAddress> decode(EmailAddress list, String recipient) {
        if (recipient == null) return Optional.empty();
        String r = recipient.strip();
        if (r.startsWith("<") && r.endsWith(">")) r = r.substring(1, r.length() - 1);
        Optional<EmailAddress> parsed = EmailAddress.parse(r);
        if (parsed.isEmpty() || !parsed.get().domain().equalsIgnoreCase(list.domain())) return Optional.empty();
        String local = parsed.get().localPart();
        String prefix = list.localPart() + SUFFIX + "+";
        if (local.length() <= prefix.length() || !local.regionMatches(true, 0, prefix, 0, prefix.length())) return Optional.empty();
        String rest = local.substring(prefix.length());
        int eq = rest.lastIndexOf('=');
        if (eq <= 0 || eq == rest.length() - 1) return Optional.empty();
        Optional<String> memberLocal = unescape(rest.substring(0, eq));
        if (memberLocal.isEmpty()) return Optional.empty();
        String domain = rest.substring(eq + 1).toLowerCase(Locale.ROOT);
        try {
            return Optional.of(new EmailAddress(memberLocal.get(), domain)).filter(a -> EmailAddress.parse(a.toString()).isPresent());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** RFC 5321 §4.5.3.1.1: at most 64 octets of local part. */
    public static boolean withinLocalPartLimit(String verpAddress) {
        int at = verpAddress.lastIndexOf('@');
        return at >= 0 && at <= EmailAddress.MAX_LOCAL_PART;
    }

    static String escape(String local) {
        boolean dotString = isDotString(local);
        StringBuilder out = new StringBuilder(local.length() + 8);
        for (byte b : local.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean keep = c != '%' && isAtext(c) && (dotString || c != '.');
            if (keep || (dotString && c == '.')) out.append((char) c);
            else out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
        }
        return out.toString();
    }

    static Optional<String> unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) return Optional.empty();
                int h = Character.digit(s.charAt(i + 1), 16), l = Character.digit(s.charAt(i + 2), 16);
                if (h < 0 || l < 0) return Optional.empty();
                out.write(h << 4 | l);
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                return Optional.empty(); // we never write non-ASCII
            }
        }
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return Optional.of(decoder.decode(java.nio.ByteBuffer.wrap(out.toByteArray())).toString());
        } catch (java.nio.charset.CharacterCodingException e) {
            return Optional.empty();
        }
    }

    // RFC 5322 §3.2.3 atext (ASCII only: UTF-8 octets are escaped)
    private static boolean isAtext(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-/=?^_`{|}~.".indexOf(c) >= 0;
    }

    /** RFC 5321 §4.1.2 Dot-string over ASCII atext. */
    private static boolean isDotString(String s) {
        if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80 || !isAtext(s.charAt(i))) return false;
        return true;
    }
}
