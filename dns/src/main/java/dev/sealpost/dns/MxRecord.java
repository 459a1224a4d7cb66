package dev.sealpost.dns;

/** An MX record (RFC 1035 §3.3.9): lower preference is tried first; the exchange is an absolute name without the trailing dot. */
public record MxRecord(int preference, String exchange) {}
