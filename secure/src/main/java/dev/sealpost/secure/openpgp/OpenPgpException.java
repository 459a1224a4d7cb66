package dev.sealpost.secure.openpgp;

/**
 * Key material or input that the OpenPGP engine cannot use, with a named reason (the caller maps it
 * to a protocol reply or a SOP exit code). Not for bugs.
 */
public final class OpenPgpException extends Exception {
    /** Why the input was refused. */
    public enum Reason {
        /** Not OpenPGP, broken armor or packets. */
        BAD_DATA,
        /** A key or certificate that RFC 9580 forbids or that we do not support. */
        UNSUPPORTED_KEY,
        /** A secret key was needed and a certificate was given (or the key is locked). */
        KEY_CANNOT_SIGN,
        /** A certificate has no usable encryption subkey. */
        CERT_CANNOT_ENCRYPT,
        /** Past a size limit. */
        TOO_LARGE
    }

    private final Reason reason;

    public OpenPgpException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public OpenPgpException(Reason reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
