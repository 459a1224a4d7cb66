package dev.sealpost.web;

import dev.sealpost.core.metrics.Meters;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code /metrics} in the Prometheus text format: a Prometheus registry added to Micrometer's
 * global one (where every module records, see {@link Meters}), with the JVM's own meters.
 *
 * <p>Who may read it: a client on a loopback address, or one that presents the configured token
 * as {@code Authorization: Bearer TOKEN} (compared in constant time). Anyone else gets 403: the
 * figures reveal traffic volumes, so they are off the public listener by default.
 */
public final class MetricsEndpoint implements AutoCloseable {
    /** The Prometheus text exposition format, version 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final byte[] token;
    private final JvmGcMetrics gc;

    /** @param token the bearer token that also admits non-loopback clients; empty or null for loopback only */
    public MetricsEndpoint(String token) {
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // two of Micrometer's system meters break Prometheus naming rules (promtool check metrics:
        // "system_cpu_count" ends in _count without being a histogram, "process_cpu_time_ns_total"
        // abbreviates its unit); process_cpu_usage and system_cpu_usage say the same
        registry.config().meterFilter(io.micrometer.core.instrument.config.MeterFilter.deny(
                id -> id.getName().equals("system.cpu.count") || id.getName().equals("process.cpu.time")));
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Metrics.addRegistry(registry);
    }

    /** Whether this client may read the metrics. */
    boolean allowed(InetAddress client, String authorization) {
        if (client != null && client.isLoopbackAddress()) return true;
        if (token == null || authorization == null) return false;
        String prefix = "Bearer ";
        if (authorization.length() <= prefix.length() || !authorization.regionMatches(true, 0, prefix, 0, prefix.length())) return false;
        byte[] given = authorization.substring(prefix.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }

    /**
     * A gauge of this endpoint's own (not the global registry's): state owned by one server
     * instance, such as its store's queue depth, read at each scrape. {@code obj} is held weakly.
     */
    public <T> void gauge(String name, String description, T obj, java.util.function.ToDoubleFunction<T> f) {
        io.micrometer.core.instrument.Gauge.builder(name, obj, f).description(description).register(registry);
    }

    /** The current figures, in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        Metrics.removeRegistry(registry);
        gc.close();
        registry.close();
    }
}
