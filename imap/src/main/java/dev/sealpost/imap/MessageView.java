package dev.sealpost.imap;

import dev.sealpost.message.MessageStructure;

import java.io.IOException;
import java.time.Instant;
import java.util.Set;

/**
 * One message of the selected mailbox as FETCH, SEARCH, SORT and THREAD see it: the session's
 * sequence number, the stored attributes, and the content (read lazily from the blob store).
 */
public interface MessageView {
    /** Message sequence number in the session's view (RFC 9051 §2.3.1.2), from 1. */
    int seq();

    long uid();

    /** RFC 7162 MODSEQ. */
    long modSeq();

    /**
     * Flags and keywords; {@code \Recent} is included only when the message is recent in an
     * IMAP4rev1 session (RFC 3501 §2.3.2; RFC 9051 removed it).
     */
    Set<String> flags();

    Instant internalDate();

    /** RFC822.SIZE: octets of the message as stored. */
    long size();

    /** RFC 8514 SAVEDATE. */
    Instant saveDate();

    /** RFC 8474 EMAILID. */
    String emailId();

    /** RFC 8474 THREADID, or null. */
    String threadId();

    /** The whole message as stored (CRLF line ends). */
    byte[] raw() throws IOException;

    /** The parsed MIME structure (from the store's cache when present, else parsed from {@link #raw()}). */
    MessageStructure structure() throws IOException;
}
