package dev.sealpost.core.net.dial;

import java.io.IOException;

/** Why {@link Dialer#connect} made no connection. Stackless: these are the network's outcomes, not bugs. */
public final class DialException extends IOException {
    public enum Kind {
        /** The name does not exist or has no address: permanent. */
        NAME_NOT_FOUND,
        /** DNS failure (SERVFAIL, timeout): temporary. */
        NAME_TEMPFAIL,
        /** Addresses found, none accepted a connection within the time. */
        UNREACHABLE
    }

    private final Kind kind;

    public DialException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // stackless
    }

    public Kind kind() {
        return kind;
    }
}
