package dev.sealpost.imap.proto;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * A relative IMAP URL (RFC 5092) naming a message or a part of one on this server, as CATENATE
 * uses them (RFC 4469 §3): {@code /mailbox[;UIDVALIDITY=n]/;UID=n[/;SECTION=s][/;PARTIAL=o[.l]]}.
 * A pure value: {@link #parse} checks the syntax and decodes the mailbox name; finding the message
 * and the rights to read it is the caller's.
 *
 * @param mailbox       the mailbox name, percent-decoded UTF-8 ({@code INBOX} in any case is INBOX)
 * @param uidValidity   the UIDVALIDITY the URL requires, or 0 when it names none
 * @param uid           the message's UID (positive)
 * @param section       the body section (as in FETCH BODY[section]), or null for the whole message
 * @param partialFrom   the first octet of a PARTIAL, or -1 when there is none
 * @param partialLength the length of a PARTIAL, or -1 for "to the end"
 */
public record ImapUrl(String mailbox, long uidValidity, long uid, String section, long partialFrom, long partialLength) {
    /** Longer URLs are refused. */
    public static final int MAX_LENGTH = 2000;

    /** The URL, or null when it is not a relative IMAP URL of that form. */
    public static ImapUrl parse(String url) {
        if (!url.startsWith("/") || url.startsWith("//") || url.length() > MAX_LENGTH) return null; // relative to this server only
        String[] segs = url.substring(1).split("/", -1);
        if (segs.length < 2) return null;
        String mailboxPart = segs[0];
        long uidValidity = 0;
        int semi = mailboxPart.indexOf(';');
        if (semi >= 0) {
            String param = mailboxPart.substring(semi + 1);
            if (!param.regionMatches(true, 0, "UIDVALIDITY=", 0, 12)) return null;
            Long v = positive(param.substring(12));
            if (v == null) return null;
            uidValidity = v;
            mailboxPart = mailboxPart.substring(0, semi);
        }
        String mailboxName = percentDecode(mailboxPart);
        if (mailboxName == null || mailboxName.isEmpty()) return null;
        Long uid = null;
        String section = null;
        long partialFrom = -1;
        long partialLen = -1;
        for (int k = 1; k < segs.length; k++) {
            String sg = segs[k];
            if (k == 1) {
                if (!sg.regionMatches(true, 0, ";UID=", 0, 5)) return null;
                uid = positive(sg.substring(5));
                if (uid == null) return null;
            } else if (sg.regionMatches(true, 0, ";SECTION=", 0, 9) && section == null && partialFrom < 0) {
                section = percentDecode(sg.substring(9));
                if (section == null) return null;
            } else if (sg.regionMatches(true, 0, ";PARTIAL=", 0, 9) && partialFrom < 0) {
                String pr = sg.substring(9);
                int dot = pr.indexOf('.');
                Long from = positiveOrZero(dot < 0 ? pr : pr.substring(0, dot));
                Long len = dot < 0 ? Long.valueOf(-1) : positive(pr.substring(dot + 1));
                if (from == null || len == null) return null;
                partialFrom = from;
                partialLen = len;
            } else {
                return null;
            }
        }
        if (uid == null) return null;
        if (mailboxName.equalsIgnoreCase("INBOX")) mailboxName = "INBOX";
        return new ImapUrl(mailboxName, uidValidity, uid, section, partialFrom, partialLen);
    }

    /** RFC 5092 §3 PARTIAL=offset[.length] applied to the octets; past the end gives nothing. */
    public byte[] partial(byte[] data) {
        if (partialFrom < 0) return data;
        int from = (int) Math.min(partialFrom, data.length);
        int to = partialLength < 0 ? data.length : (int) Math.min((long) data.length, from + partialLength);
        return java.util.Arrays.copyOfRange(data, from, to);
    }

    private static Long positive(String digits) {
        Long v = positiveOrZero(digits);
        return v == null || v == 0 ? null : v;
    }

    private static Long positiveOrZero(String digits) {
        if (digits.isEmpty() || digits.length() > 18) return null;
        for (int k = 0; k < digits.length(); k++) if (digits.charAt(k) < '0' || digits.charAt(k) > '9') return null;
        return Long.parseLong(digits);
    }

    /** RFC 3986 percent-decoding to UTF-8 (RFC 5092 §3 enc-mailbox), or null when malformed. */
    static String percentDecode(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(s.length());
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '%') {
                if (k + 2 >= s.length()) return null;
                int hi = Character.digit(s.charAt(k + 1), 16);
                int lo = Character.digit(s.charAt(k + 2), 16);
                if (hi < 0 || lo < 0) return null;
                b.write(hi * 16 + lo);
                k += 2;
            } else if (c > 0x7e || c < 0x20) {
                return null;
            } else {
                b.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
