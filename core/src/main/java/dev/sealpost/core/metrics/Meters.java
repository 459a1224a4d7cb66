package dev.sealpost.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * Every metric Sealpost records, by name, and the helpers that record them on Micrometer's global
 * registry. Micrometer's Prometheus naming turns {@code sealpost.messages.accepted} (a counter)
 * into {@code sealpost_messages_accepted_total}.
 *
 * <p>Recording is cheap and never fails the caller: with no registry added (unit tests, the CLI)
 * the global registry is empty and meters are no-ops.
 */
public final class Meters {
    private Meters() {
    }

    // ---------------------------------------------------------------- names (docs/metrics.md)

    /** Connections accepted, tags {@code protocol}, {@code port}. */
    public static final String CONNECTIONS = "sealpost.connections";
    /** Connections refused by a limit before any session, tags {@code protocol}, {@code reason}. */
    public static final String CONNECTIONS_REFUSED = "sealpost.connections.refused";
    /** Sessions open now (gauge), tags {@code protocol}, {@code port}. */
    public static final String SESSIONS_ACTIVE = "sealpost.sessions.active";
    /** Login attempts, tags {@code protocol}, {@code outcome} (ok, failed, aborted, refused). */
    public static final String LOGINS = "sealpost.logins";
    /** SMTP commands received, tag {@code command} (a known verb, or "other"). */
    public static final String SMTP_COMMANDS = "sealpost.smtp.commands";
    /** SMTP replies sent, tag {@code class} (2xx, 3xx, 4xx, 5xx). */
    public static final String SMTP_REPLIES = "sealpost.smtp.replies";
    /** Messages accepted with "250", tag {@code listener} (mx, submission, submissions). */
    public static final String MESSAGES_ACCEPTED = "sealpost.messages.accepted";
    /** Recipient deliveries settled, tags {@code route} (local, remote), {@code outcome} (delivered, deferred, bounced). */
    public static final String DELIVERIES = "sealpost.deliveries";
    /** Outbound SMTP connections by the TLS they had, tag {@code tls} (dane, pkix for MTA-STS or REQUIRETLS, opportunistic, plaintext, refused). */
    public static final String OUTBOUND_TLS = "sealpost.outbound.tls";
    /** Sender-authentication results at the MX, tags {@code method} (spf, dkim, dmarc, arc), {@code result}. */
    public static final String AUTH_RESULTS = "sealpost.auth.results";
    /** Queued recipient deliveries not yet settled (gauge). */
    public static final String QUEUE_DEPTH = "sealpost.queue.depth";
    /** Age in seconds of the oldest unsettled queued message (gauge). */
    public static final String QUEUE_OLDEST_AGE = "sealpost.queue.oldest.age.seconds";
    /** The threat filter's session outcomes, tag {@code outcome} (dnsbl_reject, greylisted, malware_reject, scanner_tempfail, rate_limited, outbound_held). */
    public static final String FILTER_OUTCOMES = "sealpost.filter.outcomes";
    /** Store write transactions (group commits), a timer with a histogram. */
    public static final String STORE_COMMIT = "sealpost.store.commit";

    // ---------------------------------------------------------------- recording

    /** The registry meters are recorded on (Micrometer's global composite). */
    public static MeterRegistry registry() {
        return Metrics.globalRegistry;
    }

    /** A counter; {@code tags} are key, value pairs. Keep the result where it is used often. */
    public static Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry());
    }

    /** Adds one to a counter found by name and tags (for rare events; cache hot ones with {@link #counter}). */
    public static void count(String name, String description, String... tags) {
        counter(name, description, tags).increment();
    }

    /** A timer publishing a Prometheus histogram (buckets from 1 ms to 10 s). */
    public static Timer histogramTimer(String name, String description, String... tags) {
        return Timer.builder(name).description(description).tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry());
    }

    /**
     * A gauge reading {@code f(obj)} at each scrape. The registry holds {@code obj} weakly: keep a
     * reference to it for as long as the gauge should report.
     */
    public static <T> void gauge(String name, String description, T obj, ToDoubleFunction<T> f, String... tags) {
        Gauge.builder(name, obj, f).description(description).tags(tags).register(registry());
    }
}
