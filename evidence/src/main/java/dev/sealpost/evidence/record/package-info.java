/**
 * Evidence records: what happened to a message (an event named from the ETSI EN 319 522
 * vocabulary where one fits), when, to which bytes (their SHA-256), for whom; as RFC 8785
 * canonical JSON, the one byte form that the log leaf, the signature and the time-stamp imprint
 * are all computed over.
 *
 * <p><b>Security:</b> a record holds hashes and metadata, never a body. Records read back (from
 * the log or from a receipt) are parsed strictly and must be in canonical form; anything else is
 * refused as a value with a reason.
 *
 * <p><b>Standards:</b> RFC 8785 (canonical JSON), RFC 3339 (time, UTC, milliseconds), RFC 5322
 * (Message-ID), RFC 5321 (envelope), ETSI EN 319 522-2 (event names), RFC 8032 (Ed25519
 * signatures over the canonical bytes).
 *
 * <p><b>Configuration:</b> none.
 */
package dev.sealpost.evidence.record;
