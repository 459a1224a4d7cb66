package dev.sealpost.sieve.run;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

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

    // Everything below has a default, so environments written before these extensions still compile.

    /**
     * The addresses of the user whose script runs (RFC 5230 §4.5: no reply to one's own mail, and
     * the recipient must be named in the message); by default the envelope recipient.
     */
    default List<String> userAddresses() {
        return envelope("to");
    }

    /**
     * Whether a vacation reply with this handle was already sent to {@code sender} within
     * {@code period} (RFC 5230 §4.2, RFC 6131 §2). The environment records a reply when it sends
     * one (delivery stores it); by default nothing is remembered.
     */
    default boolean vacationAlreadyReplied(String sender, String handle, Duration period) {
        return false;
    }

    /**
     * RFC 7352 §3: whether a message with this unique value was seen before under this handle within
     * {@code period}; {@code last} asks for the period to count from the last occurrence. The
     * environment marks the value as seen once the message is delivered; by default nothing is.
     */
    default boolean duplicate(String handle, String value, Duration period, boolean last) {
        return false;
    }

    /** The current time, for currentdate (RFC 5260 §5) and the vacation period. */
    default ZonedDateTime now() {
        return ZonedDateTime.now();
    }

    /**
     * An environment item (RFC 5183 §4): domain, host, location, name, phase, remote-host,
     * remote-ip, version, or a vendor item; empty when not known.
     */
    default Optional<String> environmentItem(String name) {
        return switch (name) {
            case "name" -> Optional.of("Sealpost");
            case "location" -> Optional.of("MDA"); // RFC 5183 §4.1: we run at delivery
            case "phase" -> Optional.of("during");
            case "version" -> Optional.of("0.1.0");
            default -> Optional.empty();
        };
    }

    /**
     * The text of a script to include (RFC 6609 §3.2): a personal script of the user or a global
     * one; empty when there is none. No includes by default.
     */
    default Optional<String> includeScript(String name, boolean global) {
        return Optional.empty();
    }

    /** Whether a mailbox with this unique id exists (RFC 9042 §4, ids per RFC 8474); none by default. */
    default boolean mailboxIdExists(String id) {
        return false;
    }

    /**
     * RFC 8579 §3: whether a mailbox with this special-use flag exists; {@code mailbox} null asks
     * about any mailbox of the user.
     */
    default boolean specialUseExists(String mailbox, String flag) {
        return false;
    }

    /**
     * The spam score (RFC 5235 §3.2): 0 not tested, 1 certainly not spam to 10 certainly spam;
     * with {@code percent} (spamtestplus, §3.3) 0 to 100, empty when not tested.
     */
    default Optional<Integer> spamScore(boolean percent) {
        return Optional.empty();
    }

    /** The virus score (RFC 5235 §3.4): 0 not tested, 1 clean to 5 infected beyond repair; empty when not tested. */
    default Optional<Integer> virusScore() {
        return Optional.empty();
    }
}
