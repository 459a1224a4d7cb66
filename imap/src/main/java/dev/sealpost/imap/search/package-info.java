/**
 * SEARCH, SORT and THREAD for the IMAP session: command parsing, evaluation against
 * {@link dev.sealpost.imap.MessageView}s and response rendering. No I/O of its own beyond reading
 * the messages it is given.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.imap.search.SearchCommand}, {@link dev.sealpost.imap.search.SortCommand} and
 * {@link dev.sealpost.imap.search.ThreadCommand} parse the tokenized arguments into a
 * {@link dev.sealpost.imap.search.SearchKey} tree; {@link dev.sealpost.imap.search.Search} matches
 * messages and renders {@code * SEARCH} and {@code * ESEARCH};
 * {@link dev.sealpost.imap.search.Sort} and {@link dev.sealpost.imap.search.Threads} order and
 * group the matches. String keys match case-insensitively as substrings of the decoded text
 * (RFC 2047 words, base64 and quoted-printable bodies in their charsets).
 *
 * <h2>Security</h2>
 * Parses untrusted input (command arguments and message content). Bounded: key nesting
 * ({@code SearchParser.MAX_DEPTH}) and count, decoded body text per message
 * ({@code MessageText.MAX_BODY_CHARS}), subject length for base subjects, references per message.
 * Each message is read and decoded at most once per command.
 *
 * <h2>Standards</h2>
 * RFC 9051 §6.4.4 (SEARCH) and RFC 3501 §6.4.4 (IMAP4rev1 RECENT, NEW, OLD), RFC 4731 (ESEARCH),
 * RFC 5182 (SEARCHRES), RFC 5032 (WITHIN), RFC 7162 §3.1.5 (MODSEQ search key and response),
 * RFC 9394 (PARTIAL), RFC 8474 (EMAILID, THREADID), RFC 8514 (SAVEDATE keys), RFC 5256 (SORT,
 * THREAD, base subject), RFC 5957 (SORT=DISPLAY), RFC 5267 (ESORT; the UPDATE return option is parsed here,
 * the server keeps such results up to date).
 *
 * <h2>Configuration</h2>
 * None; the server's time zone (for calendar-date keys) comes with the {@code SearchContext} clock.
 */
package dev.sealpost.imap.search;
