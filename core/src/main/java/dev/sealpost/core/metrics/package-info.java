/**
 * Metrics: the names and the one way every module records them.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.core.metrics.Meters} records counters, timers and gauges on Micrometer's
 * global registry, so that a module needs no registry handed to it; the web module adds a
 * Prometheus registry to the global one and serves it at {@code /metrics}. Every metric name is a
 * constant here, so the whole list is in one file (and in {@code docs/metrics.md}).
 *
 * <h2>Security</h2>
 * Tags carry only bounded, server-chosen values (protocol, listener kind, reply class, outcome,
 * method and result words): never an address, a user name, an IP address or anything a client
 * chose, so a client can neither grow the registry without bound nor read another user's
 * activity from it.
 *
 * <h2>Standards</h2>
 * None (Prometheus text exposition format is the web module's concern).
 *
 * <h2>Configuration</h2>
 * None here; {@code web.metrics} and {@code web.metrics_token} say who may read them.
 */
package dev.sealpost.core.metrics;
