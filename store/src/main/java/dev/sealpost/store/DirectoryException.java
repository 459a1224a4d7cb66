package dev.sealpost.store;

/**
 * A refused directory change, with a message fit for an administrator: duplicate domain or
 * account, unknown domain, invalid address, domain still in use, and so on.
 */
public class DirectoryException extends RuntimeException {
    public DirectoryException(String message) {
        super(message);
    }
}
