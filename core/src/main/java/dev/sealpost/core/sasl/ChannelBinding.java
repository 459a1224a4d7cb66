package dev.sealpost.core.sasl;

/**
 * TLS channel binding data for SCRAM-*-PLUS (RFC 5056, RFC 9266 tls-exporter).
 *
 * @param type the channel binding type name, e.g. {@code tls-exporter}
 * @param data the binding data (for tls-exporter: 32 bytes of keying material exported with
 *             label "EXPORTER-Channel-Binding" and an empty context)
 */
public record ChannelBinding(String type, byte[] data) {}
