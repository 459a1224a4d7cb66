package dev.sealpost.sieve.run;

import java.time.Duration;
import java.util.List;

/** An action a script asks for, in the order it asked (RFC 5228 §4, §2.10). */
public sealed interface Action {
    /** RFC 5228 §4.3; flags per RFC 5232 §5 (empty: none). */
    record Keep(List<String> flags) implements Action {}

    /** RFC 5228 §4.4. */
    record Discard() implements Action {}

    /**
     * RFC 5228 §4.1; {@code copy} per RFC 3894; flags per RFC 5232 §5; {@code create} per RFC 5490
     * §3.2; {@code mailboxId} (RFC 9042 §3: file by id when that mailbox exists) and
     * {@code specialUse} (RFC 8579 §4: file into the mailbox with that flag when there is one) are
     * null when not given.
     */
    record FileInto(String mailbox, boolean copy, List<String> flags, boolean create, String mailboxId,
                    String specialUse) implements Action {
        public FileInto(String mailbox, boolean copy, List<String> flags, boolean create) {
            this(mailbox, copy, flags, create, null, null);
        }
    }

    /** RFC 5228 §4.2; {@code copy} per RFC 3894. */
    record Redirect(String address, boolean copy) implements Action {}

    /** RFC 5429 §2.1 (reject) and §2.2 (ereject). */
    record Reject(String reason, boolean ereject) implements Action {}

    /**
     * RFC 5230 §4: the vacation action. When {@code suppressed} is null, {@code reply} is the whole
     * auto-reply (RFC 5322, CRLF) that the environment sends with a null envelope sender, already
     * checked against the rules of RFC 5230 §4.5, §4.6 and RFC 3834 §2; after sending it, the environment
     * remembers ({@code to}, {@code handle}) for {@code period} (see
     * {@link Environment#vacationAlreadyReplied}). Otherwise {@code suppressed} says why no reply
     * is sent (the action still counts, as in RFC 5230 §4.7) and {@code reply} is null.
     */
    record Vacation(String to, String from, String subject, String reason, boolean mime, String handle,
                    Duration period, byte[] reply, String suppressed) implements Action {
        /** Whether a reply is to be sent. */
        public boolean sends() { return suppressed == null; }
    }

    /**
     * RFC 5435 §3: a notification the environment sends; {@code method} is the URI (mailto, RFC
     * 5436); {@code importance} "1" high, "2" normal, "3" low; {@code message} the short text.
     */
    record Notify(String method, String from, String importance, List<String> options, String message) implements Action {
        /** The mailto URI's recipients (RFC 5436 §2.1, RFC 6068 §2: the path and "to"), or null when one is not valid. */
        public List<String> recipients() {
            return dev.sealpost.sieve.internal.Mailto.recipients(method);
        }

        /** The value of header {@code name} in the mailto URI (RFC 6068 §2), or null. */
        public String uriHeader(String name) {
            return dev.sealpost.sieve.internal.Mailto.header(method, name);
        }
    }

    /** RFC 5293 §4: a header field added to the message (first, or last with {@code last}). */
    record AddHeader(String name, String value, boolean last) implements Action {}

    /**
     * RFC 5293 §5: header fields named {@code name} deleted: the fields with exactly these values,
     * one occurrence each, in the message's order (the script's :index, :last and value patterns
     * are already resolved).
     */
    record DeleteHeader(String name, List<String> values) implements Action {}
}
