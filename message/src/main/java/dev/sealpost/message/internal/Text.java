package dev.sealpost.message.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Small text helpers shared by the parsers. */
public final class Text {
    private Text() {}

    /** The charset named in an encoded word or RFC 2231 value ({@code *language} suffix dropped, RFC 2231 §5); null when unknown. */
    public static Charset charset(String name) {
        int star = name.indexOf('*');
        if (star >= 0) name = name.substring(0, star);
        name = name.strip();
        if (name.isEmpty()) return null;
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) { // IllegalCharsetNameException, UnsupportedCharsetException
            return null;
        }
    }

    public static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /**
     * Header bytes as text: UTF-8 (RFC 6532 §3.2 allows UTF-8 in header values). Leniency: bytes that
     * are not valid UTF-8 (legacy 8-bit headers) are read as ISO-8859-1, so no octet is lost.
     */
    public static String headerText(byte[] b, int off, int len) {
        boolean ascii = true;
        for (int i = off; i < off + len; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) return new String(b, off, len, StandardCharsets.ISO_8859_1);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len)).toString();
        } catch (CharacterCodingException e) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
    }
}
