package dev.sealpost.auth.spf;

import java.time.Duration;
import java.util.Objects;

/**
 * SPF evaluation limits and texts. A bad value is a configuration fault: the constructor
 * throws naming the setting.
 *
 * @param maxDuration        the whole check_host() time budget; exceeding it gives temperror.
 *                           RFC 7208 §4.6.4 asks for at least 20 seconds; lower it only if SMTP
 *                           latency matters more than the odd temperror
 * @param maxDnsLookups      terms that cause DNS queries (include, a, mx, ptr, exists, redirect):
 *                           10 (RFC 7208 §4.6.4 "MUST"); more gives permerror
 * @param maxVoidLookups     DNS-querying terms that return no answer: 2 (RFC 7208 §4.6.4 "RECOMMENDED")
 * @param defaultExplanation explain-string (macros c, r, t allowed) used for fail when the
 *                           record has no usable {@code exp=} (RFC 7208 §6.2)
 * @param receiver           the receiving host's domain for the {@code %{r}} macro (RFC 7208 §7.2)
 */
public record SpfSettings(Duration maxDuration, int maxDnsLookups, int maxVoidLookups, String defaultExplanation,
                          String receiver) {
    /** The RFC 7208 §4.6.4 recommended elapsed-time floor. */
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofSeconds(20);
    public static final String DEFAULT_EXPLANATION = "%{c} is not one of %{d}'s designated mail servers";

    public SpfSettings {
        Objects.requireNonNull(maxDuration, "spf.max-duration");
        Objects.requireNonNull(defaultExplanation, "spf.default-explanation");
        Objects.requireNonNull(receiver, "spf.receiver");
        if (maxDuration.isNegative() || maxDuration.isZero() || maxDuration.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("spf.max-duration must be between 1 ms and 5 minutes, got " + maxDuration);
        }
        if (maxDnsLookups < 1 || maxDnsLookups > 100) {
            throw new IllegalArgumentException("spf.max-dns-lookups must be between 1 and 100, got " + maxDnsLookups);
        }
        if (maxVoidLookups < 0 || maxVoidLookups > 100) {
            throw new IllegalArgumentException("spf.max-void-lookups must be between 0 and 100, got " + maxVoidLookups);
        }
        try {
            MacroString.parse(defaultExplanation, MacroString.Kind.EXPLANATION);
        } catch (MacroString.SyntaxException e) {
            throw new IllegalArgumentException("spf.default-explanation is not a valid explain-string: " + e.getMessage());
        }
        if (receiver.isEmpty() || receiver.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
            throw new IllegalArgumentException("spf.receiver must be a host name, got '" + receiver + "'");
        }
    }

    /** RFC defaults: 20 s, 10 lookups, 2 void lookups, receiver "unknown". */
    public static SpfSettings defaults() {
        return new SpfSettings(DEFAULT_MAX_DURATION, 10, 2, DEFAULT_EXPLANATION, "unknown");
    }

    public SpfSettings withMaxDuration(Duration d) {
        return new SpfSettings(d, maxDnsLookups, maxVoidLookups, defaultExplanation, receiver);
    }

    public SpfSettings withDefaultExplanation(String text) {
        return new SpfSettings(maxDuration, maxDnsLookups, maxVoidLookups, text, receiver);
    }

    public SpfSettings withReceiver(String host) {
        return new SpfSettings(maxDuration, maxDnsLookups, maxVoidLookups, defaultExplanation, host);
    }
}
