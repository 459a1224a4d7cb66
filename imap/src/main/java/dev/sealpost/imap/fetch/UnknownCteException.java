package dev.sealpost.imap.fetch;

/**
 * BINARY or BINARY.SIZE of a part whose Content-Transfer-Encoding we cannot decode: the session
 * answers {@code tag NO [UNKNOWN-CTE] ...} (RFC 3516 §4.3, RFC 9051 §7.1) and sends no FETCH data
 * for that message.
 */
public final class UnknownCteException extends Exception {
    private final String encoding;

    public UnknownCteException(String encoding) {
        super("Unknown Content-Transfer-Encoding " + encoding, null, false, false);
        this.encoding = encoding;
    }

    /** The encoding as found (lower case). */
    public String encoding() {
        return encoding;
    }
}
