package dev.sealpost.inbound;

import java.io.IOException;
import java.io.InputStream;

/** Read access to a received message's content (as the client sent it, after dot-unstuffing), for content policies. */
public interface MessageContent {
    /** Content length in octets. */
    long size();

    /** A fresh stream over the whole content; callers close it. */
    InputStream open() throws IOException;

    /**
     * Asks local delivery to file the message into the recipient's mailbox with this RFC 6154
     * special-use attribute (e.g. {@code \Junk} for DMARC quarantine) instead of INBOX.
     */
    default void fileInto(String specialUse) {}

    /**
     * Hands a value to the policies that run after this one on the same message (the per-message
     * attributes): {@link AuthenticationPolicy} attaches its verdict, which the filter reads for
     * the DMARC result of the From domain. One value per type.
     */
    default <T> void attach(Class<T> type, T value) {}

    /** A value an earlier policy attached for this message, or null. */
    default <T> T attachment(Class<T> type) {
        return null;
    }

    /**
     * Asks that no recipient be filed into a mailbox at acceptance: local delivery must see the
     * message first (the filter's quarantine and {@code $Phishing} are decided there).
     */
    default void deliverLater() {}

    /**
     * Replaces the content that the later policies see and that is stored (a transformation before
     * "250": signing or encrypting at submission, decrypting for a gateway-mode recipient). The
     * header fields the policies return are still prepended above it.
     */
    default void replace(byte[] content) {
        throw new UnsupportedOperationException("this message content cannot be replaced");
    }
}
