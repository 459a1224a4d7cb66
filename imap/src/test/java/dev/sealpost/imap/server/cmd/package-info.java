/**
 * One test class per IMAP command, replaying the RFCs' own C:/S: examples against a live
 * {@link dev.sealpost.imap.server.ImapServer}.
 *
 * <h2>Purpose</h2>
 * Each {@code <Command>Test} sets up the state an RFC example assumes (accounts, mailboxes,
 * messages appended first), replays the example's client lines with {@link
 * dev.sealpost.imap.server.cmd.Transcript} and compares the server's lines with the example's
 * S: lines: exactly where the RFC's output is determined, with a commented {@code …} wildcard,
 * an {@code S~} regular expression or an {@code S?} (any order) line where it is not (UIDVALIDITY
 * and MODSEQ values, dates, capability lists, free text after the status, order of untagged
 * responses and of flags). Every class also covers the command's error cases: BAD syntax, wrong
 * state, and NO with the response code RFC 5530 / the extension defines.
 *
 * <h2>Security</h2>
 * Test code only: talks to a server on 127.0.0.1 (port 0) over a store in a JUnit temp dir.
 *
 * <h2>Standards</h2>
 * RFC 9051 (§6.x examples), RFC 3501 (LSUB, IMAP4rev1 SEARCH), RFC 2971 ID, RFC 3516 BINARY,
 * RFC 3691 UNSELECT, RFC 4314 ACL, RFC 4315 UIDPLUS, RFC 4731 ESEARCH, RFC 4959 SASL-IR,
 * RFC 4978 COMPRESS, RFC 5161 ENABLE, RFC 5182 SEARCHRES, RFC 5256 SORT / THREAD, RFC 5258
 * LIST-EXTENDED, RFC 5464 METADATA, RFC 5819 LIST-STATUS, RFC 6154 special use, RFC 6851 MOVE,
 * RFC 7162 CONDSTORE / QRESYNC, RFC 7888 LITERAL+, RFC 8437 UNAUTHENTICATE, RFC 9208 QUOTA,
 * RFC 2177 IDLE.
 *
 * <h2>Configuration</h2>
 * None: {@link dev.sealpost.imap.server.cmd.CommandTestBase} starts a listener that allows
 * cleartext LOGIN; tests that need LOGINDISABLED / STARTTLS or other limits start their own.
 */
package dev.sealpost.imap.server.cmd;
