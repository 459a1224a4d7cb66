/**
 * Sans-I/O POP3 protocol pieces: the command parser ({@link dev.sealpost.pop3.proto.Pop3Command}),
 * the bounded line reader ({@link dev.sealpost.pop3.proto.Pop3Input}) and the multi-line response
 * writer with byte-stuffing ({@link dev.sealpost.pop3.proto.MultilineWriter}).
 *
 * <h2>Security</h2>
 * Parses untrusted input from unauthenticated clients. Lines are bounded before parsing
 * (an over-long line is skipped to its end, keeping the stream in sync); the parser never throws,
 * accepts keywords in ASCII case only (no Unicode case mapping), allows only printable ASCII in
 * arguments (strict UTF-8 without controls for USER), bounds every number (message numbers
 * 1..2^31-1) and keeps PASS arguments as bytes (never in a String, never in {@code toString}).
 * A Jazzer fuzz target checks these properties. Reaches nothing.
 *
 * <h2>Standards</h2>
 * RFC 1939 §3 (commands, multi-line responses, byte-stuffing), RFC 2449 §3 (grammar),
 * RFC 5034 §4 (AUTH syntax).
 *
 * <h2>Configuration</h2>
 * None; the session passes its line limits.
 */
package dev.sealpost.pop3.proto;
