/**
 * The ManageSieve wire syntax (RFC 5804 §4): {@link dev.sealpost.managesieve.proto.SieveCommandReader}
 * reads client lines into tokens; {@link dev.sealpost.managesieve.proto.SieveStrings} writes strings
 * and checks script names.
 *
 * <h2>Security</h2>
 * Parses untrusted input from the network. Every read is bounded: line length outside literals,
 * quoted strings (1024 octets), literal size (the script size quota), argument count; a literal
 * over its bound is skipped, not stored. Strings must be UTF-8. Nothing here does I/O beyond
 * the input stream it is given. Fuzzed by {@code SieveCommandReaderFuzzTest}.
 *
 * <h2>Standards</h2>
 * RFC 5804 §4 (formal syntax), §1.6 (script names). Leniency: {@code {n}} literals from the client
 * are read like {@code {n+}}; a bare LF ends a line.
 *
 * <h2>Configuration</h2>
 * {@link dev.sealpost.managesieve.proto.SieveCommandReader.Limits}, set by the server from its config.
 */
package dev.sealpost.managesieve.proto;
