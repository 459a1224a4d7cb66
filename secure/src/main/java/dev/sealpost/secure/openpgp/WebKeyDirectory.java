package dev.sealpost.secure.openpgp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Web Key Directory names (draft-koch-openpgp-webkey-service §3.1): the z-base-32 encoded SHA-1 of
 * the lower-cased local part, and the advanced and direct lookup URLs.
 */
public final class WebKeyDirectory {
    private WebKeyDirectory() {}

    private static final char[] ZBASE32 = "ybndrfg8ejkmcpqxot1uwisza345h769".toCharArray();

    /**
     * The 32-character hash of a local part. Only ASCII A-Z are lower-cased, as the draft says and
     * GnuPG does (Sequoia lower-cases Unicode too: publish under both names when they differ).
     */
    public static String hash(String localPart) {
        StringBuilder lower = new StringBuilder(localPart.length());
        for (int i = 0; i < localPart.length(); i++) {
            char c = localPart.charAt(i);
            lower.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        try {
            return zbase32(MessageDigest.getInstance("SHA-1").digest(lower.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** z-base-32 (the draft's §3.1 reference, 5 bits per character, most significant first); 20 octets give 32 characters. */
    static String zbase32(byte[] data) {
        StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(ZBASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) sb.append(ZBASE32[(buffer << (5 - bits)) & 31]);
        return sb.toString();
    }

    private static String[] split(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) throw new IllegalArgumentException("not a mail address: " + address);
        return new String[] {address.substring(0, at), address.substring(at + 1).toLowerCase(Locale.ROOT)};
    }

    /** The advanced method's URL: {@code https://openpgpkey.DOMAIN/.well-known/openpgpkey/DOMAIN/hu/HASH?l=LOCAL}. */
    public static String advancedUrl(String address) {
        String[] p = split(address);
        return "https://openpgpkey." + p[1] + "/.well-known/openpgpkey/" + p[1] + "/hu/" + hash(p[0]) + "?l=" + percentEncode(p[0]);
    }

    /** The direct method's URL: {@code https://DOMAIN/.well-known/openpgpkey/hu/HASH?l=LOCAL}. */
    public static String directUrl(String address) {
        String[] p = split(address);
        return "https://" + p[1] + "/.well-known/openpgpkey/hu/" + hash(p[0]) + "?l=" + percentEncode(p[0]);
    }

    /** The path below {@code /.well-known/openpgpkey/} a server answers for an address: {@code hu/HASH}. */
    public static String path(String address) {
        return "hu/" + hash(split(address)[0]);
    }

    /** RFC 3986 §2.1 percent-encoding of every octet outside the unreserved set (§2.3), upper-case hex. */
    static String percentEncode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append("0123456789ABCDEF".charAt(c >> 4)).append("0123456789ABCDEF".charAt(c & 15));
            }
        }
        return sb.toString();
    }
}
