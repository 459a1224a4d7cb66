package dev.sealpost.sieve.run;

import java.util.List;

/** An action a script asks for, in the order it asked (RFC 5228 §4, §2.10). */
public sealed interface Action {
    /** RFC 5228 §4.3; flags per RFC 5232 §5 (empty: none). */
    record Keep(List<String> flags) implements Action {}

    /** RFC 5228 §4.4. */
    record Discard() implements Action {}

    /** RFC 5228 §4.1; {@code copy} per RFC 3894; flags per RFC 5232 §5; {@code create} per RFC 5490 §3.2. */
    record FileInto(String mailbox, boolean copy, List<String> flags, boolean create) implements Action {}

    /** RFC 5228 §4.2; {@code copy} per RFC 3894. */
    record Redirect(String address, boolean copy) implements Action {}

    /** RFC 5429 §2.1 (reject) and §2.2 (ereject). */
    record Reject(String reason, boolean ereject) implements Action {}
}
