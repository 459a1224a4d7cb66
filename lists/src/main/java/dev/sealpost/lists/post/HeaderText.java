package dev.sealpost.lists.post;

import dev.sealpost.message.Address;
import dev.sealpost.message.EncodedWords;
import dev.sealpost.message.MessageStructure;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writing display names and phrases into header fields (RFC 5322 §3.2, RFC 2047), and reading addresses back. */
public final class HeaderText {
    private HeaderText() {}

    /** RFC 2047 §2: an encoded word is at most 75 characters. */
    static final int MAX_WORD = 75;

    /**
     * A phrase (display name) for a header field: as an atom sequence when it is plain ASCII
     * words, as a quoted-string (RFC 5322 §3.2.4) when it has specials, and as RFC 2047
     * {@code =?UTF-8?Q?...?=} words, folded, when it has non-ASCII characters or controls.
     */
    public static String phrase(String text) {
        boolean ascii = text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        if (!ascii) return encodedWords(text);
        boolean atoms = !text.isEmpty() && !text.startsWith(" ") && !text.endsWith(" ") && !text.contains("  ")
                && text.chars().allMatch(c -> c == ' ' || isAtext(c));
        if (atoms && !text.startsWith("=?")) return text;
        StringBuilder q = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') q.append('\\'); // RFC 5322 §3.2.4 quoted-pair
            q.append(c);
        }
        return q.append('"').toString();
    }

    /** RFC 2047 §5 (3): Q-encoded UTF-8 words for a phrase, each at most 75 characters, folded between words. */
    static String encodedWords(String text) {
        StringBuilder out = new StringBuilder();
        StringBuilder word = new StringBuilder();
        final String open = "=?UTF-8?Q?", close = "?=";
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            StringBuilder enc = new StringBuilder();
            if (cp == ' ') enc.append('_');
            else if (cp < 0x7f && cp > 0x20 && (Character.isLetterOrDigit(cp) || "!*+-/".indexOf(cp) >= 0)) enc.append((char) cp);
            else for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) enc.append(String.format("=%02X", b & 0xff));
            // a character's octets stay in one word (RFC 2047 §5: no splitting of a multi-octet character)
            if (open.length() + word.length() + enc.length() + close.length() > MAX_WORD) {
                if (!out.isEmpty()) out.append("\r\n ");
                out.append(open).append(word).append(close);
                word.setLength(0);
            }
            word.append(enc);
        }
        if (!out.isEmpty()) out.append("\r\n ");
        return out.append(open).append(word).append(close).toString();
    }

    /** {@code phrase <addr>}, or {@code <addr>} alone when the name is empty. */
    public static String mailbox(String displayName, String address) {
        if (displayName == null || displayName.isBlank()) return "<" + address + ">";
        return phrase(displayName) + " <" + address + ">";
    }

    /** A mailbox read from a header value: the display name decoded (RFC 2047), the address as written. */
    public record Mailbox(String displayName, String address) {}

    /**
     * The mailboxes of an address-list header value (From, Reply-To, Cc), group markers skipped.
     * {@code raw} is the value as {@link Post.Field} holds it (octets as ISO-8859-1); UTF-8 octets
     * (RFC 6532) are read as UTF-8.
     */
    public static List<Mailbox> mailboxes(String raw) {
        String value = utf8IfValid(raw).replaceAll("\r?\n", " ");
        byte[] header = ("From: " + value + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        List<Address> from = MessageStructure.parse(header).envelope().from();
        return from.stream().filter(Address::isMailbox).filter(a -> !a.host().isEmpty())
                .map(a -> new Mailbox(a.name() == null ? "" : EncodedWords.decode(a.name()).strip(), a.address())).toList();
    }

    /** The octets of an ISO-8859-1-held value read as UTF-8 when they are valid UTF-8, else unchanged. */
    static String utf8IfValid(String latin1) {
        byte[] bytes = latin1.getBytes(StandardCharsets.ISO_8859_1);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return latin1;
        }
    }

    /** The same text as octets held in ISO-8859-1 chars (for {@link Post.Field}), UTF-8 encoded. */
    static String asOctets(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static boolean isAtext(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }
}
