package dev.sealpost.store;

/** A storage failure (database or file system): an I/O problem or a bug, never the peer's fault. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
