package dev.sealpost.imap.fetch;

import dev.sealpost.message.MessageStructure;
import dev.sealpost.message.Part;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * RFC 8970 PREVIEW: the start of the message's first text part (text/plain preferred over
 * text/html, attachments and embedded messages skipped), transfer-decoded, charset-decoded, tags
 * removed from HTML, white space collapsed, at most {@link #MAX_CHARS} characters.
 */
final class Preview {
    /** RFC 8970 §3.1 allows up to 256 characters; we send 200. */
    static final int MAX_CHARS = 200;
    /** Octets of a part read at most to make a preview. */
    private static final int MAX_SOURCE = 16 * 1024;

    private Preview() {}

    /** The preview text; empty when the message has no text part (RFC 8970 §3.1: an empty string, not NIL). */
    static String of(byte[] raw, MessageStructure st) {
        Part p = find(st.root(), "plain", 0);
        if (p == null) p = find(st.root(), "html", 0);
        if (p == null) return "";
        int from = (int) Math.min(p.bodyStart(), raw.length);
        int len = (int) Math.min(Math.min(p.bodyLength(), raw.length - from), MAX_SOURCE);
        byte[] decoded;
        try {
            decoded = TransferDecoding.decode(p.encoding(), raw, from, len);
        } catch (UnknownCteException e) {
            return "";
        }
        String text = decodeCharset(decoded, p.param("charset"));
        if (p.subtype().equals("html")) text = stripHtml(text);
        return collapse(text);
    }

    private static Part find(Part p, String subtype, int depth) {
        if (depth > 50) return null;
        if (p.isMultipart()) {
            for (Part c : p.children()) {
                Part f = find(c, subtype, depth + 1);
                if (f != null) return f;
            }
            return null;
        }
        if (p.isMessage() && depth > 0) return null; // a forwarded message is not this message's text
        if (p.isMessage()) return find(p.message(), subtype, depth + 1);
        boolean attachment = "attachment".equals(p.disposition());
        return !attachment && p.type().equals("text") && p.subtype().equals(subtype) ? p : null;
    }

    private static String decodeCharset(byte[] b, String charset) {
        Charset cs = StandardCharsets.UTF_8;
        if (charset != null) {
            try {
                cs = Charset.forName(charset.strip());
            } catch (RuntimeException e) {
                cs = StandardCharsets.UTF_8; // unknown charset: best effort
            }
        }
        try {
            return cs.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    /** Crude but bounded: drops comments, script and style content and tags; decodes a few entities. */
    static String stripHtml(String html) {
        String s = html.replaceAll("(?is)<!--.*?-->", " ")
                .replaceAll("(?is)<(script|style|head)\\b.*?</\\1\\s*>", " ")
                .replaceAll("(?s)<[^>]*>", " ");
        return s.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
    }

    /** White space runs (and control characters) become one space; trimmed; cut at {@link #MAX_CHARS} code points. */
    static String collapse(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_CHARS * 2));
        boolean space = false;
        int count = 0;
        for (int i = 0; i < s.length() && count < MAX_CHARS; ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isISOControl(cp) || Character.isSpaceChar(cp) || cp == 0xfeff) {
                space = b.length() > 0;
                continue;
            }
            if (space) {
                b.append(' ');
                count++;
                space = false;
                if (count >= MAX_CHARS) break;
            }
            b.appendCodePoint(cp);
            count++;
        }
        return b.toString();
    }
}
