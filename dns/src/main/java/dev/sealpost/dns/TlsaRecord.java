package dev.sealpost.dns;

/** A TLSA record (RFC 6698 §2.1): usage, selector, matching type and the association data. */
public record TlsaRecord(int usage, int selector, int matchingType, byte[] data) {}
