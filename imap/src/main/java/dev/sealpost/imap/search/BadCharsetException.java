package dev.sealpost.imap.search;

/**
 * A SEARCH, SORT or THREAD charset this server does not know: the session answers
 * {@code NO [BADCHARSET (...)]} with {@link #responseCode()} (RFC 9051 §6.4.4, §7.1).
 */
public final class BadCharsetException extends Exception {
    private final String charset;

    public BadCharsetException(String charset) {
        super("unsupported charset: " + charset, null, false, false);
        this.charset = charset;
    }

    public String charset() {
        return charset;
    }

    /** {@code BADCHARSET (UTF-8 US-ASCII ISO-8859-1)}: the charsets advertised (others Java knows work too). */
    public String responseCode() {
        return "BADCHARSET (UTF-8 US-ASCII ISO-8859-1)";
    }
}
