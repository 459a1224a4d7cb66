package dev.sealpost.queue;

import dev.sealpost.smtp.client.MessageSource;
import dev.sealpost.store.OutboundQueue;

import java.io.IOException;

/**
 * The hook that runs once per message before its first remote delivery attempt (DKIM signing,
 * ARC sealing). The header fields it returns are prepended and the result is stored as the
 * message's content ({@link OutboundQueue#prepared}), so every retry sends the same signed bytes.
 */
@FunctionalInterface
public interface OutboundSigner {
    /** Signs nothing. */
    OutboundSigner NONE = (message, content) -> new byte[0];

    /**
     * @param content the message as it will be sent (a leading Return-Path already removed)
     * @return header fields to prepend, each ending in CRLF; empty for none
     * @throws IOException when the content cannot be read (the message is tried again later)
     */
    byte[] headers(OutboundQueue.QueueMessage message, MessageSource content) throws IOException;
}
