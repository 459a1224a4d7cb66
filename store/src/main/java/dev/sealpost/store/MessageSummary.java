package dev.sealpost.store;

/**
 * The cached facts of a stored message, kept next to it so that IMAP need not parse the blob:
 * the serialized MIME structure ({@code dev.sealpost.message.MessageStructure#toBytes()}, opaque
 * to the store) and a few decoded header values for listing and sorting. Every component may be
 * null (not computed, or absent from the message); the store truncates the strings to
 * {@link #MAX_TEXT} characters.
 *
 * @param structure serialized structure, or null
 * @param subject   decoded Subject (RFC 2047), or null
 * @param from      first From mailbox for display ({@code Name <addr>}), or null
 * @param messageId Message-ID as written, or null
 * @param references the message ids of In-Reply-To and References as written (space separated),
 *                   or null; used to give replies their parent's THREADID (RFC 8474)
 */
public record MessageSummary(byte[] structure, String subject, String from, String messageId, String references) {
    /** Longest subject, from and message id kept, in chars. */
    public static final int MAX_TEXT = 1000;

    public MessageSummary(byte[] structure, String subject, String from, String messageId) {
        this(structure, subject, from, messageId, null);
    }
}
