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
}
