package dev.sealpost.sieve.run;

import java.util.List;

/**
 * What a script sees of the message being delivered (RFC 5228 §5): its header fields, envelope,
 * size and body. Implementations do no I/O during a run that can fail in ways the script sees.
 */
public interface Environment {
    /** The values of every field named {@code name} (case-insensitive), unfolded and RFC 2047-decoded, in order. */
    List<String> header(String name);

    /** The envelope part ("from", "to", "auth"), empty when not known; "from" is "" for the null path. */
    List<String> envelope(String part);

    /** The size of the message in octets (RFC 5228 §5.9). */
    long size();

    /** The body as text (after the header section), for the body test (RFC 5173). */
    String body();

    /** The whole message as octets, for MIME-aware body transforms (RFC 5173 §5); null when not available. */
    default byte[] message() {
        return null;
    }

    /** Whether the user's mailbox exists (RFC 5490 §3.1); none by default. */
    default boolean mailboxExists(String name) {
        return false;
    }
}
