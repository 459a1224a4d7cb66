/**
 * SPF: Sender Policy Framework verification (RFC 7208).
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.auth.spf.SpfVerifier} runs check_host() for the HELO and MAIL FROM
 * identities and returns an {@link dev.sealpost.auth.spf.SpfOutcome} (result in RFC terms,
 * explanation, matched mechanism). {@link dev.sealpost.auth.spf.SpfRecord} parses a record
 * strictly; {@link dev.sealpost.auth.spf.MacroString} holds parsed macro-strings (§7).
 *
 * <h2>Security</h2>
 * Parses untrusted input: SPF and explanation TXT records from any domain, and the sender and
 * HELO names from the SMTP client, which feed macros that build DNS names. Every parser is
 * bounded (record length and term count, macro expansion length, names cut to 253 octets) and
 * fuzzed. DNS work is bounded as RFC 7208 §4.6.4 requires: 10 DNS-querying terms, 2 void
 * lookups, 10 MX names, 10 PTR names, and a wall-clock budget per check (the evaluation runs on
 * its own virtual thread, the caller never waits longer than the budget). It reaches only the
 * {@link dev.sealpost.dns.Resolver} it is given.
 *
 * <h2>Standards</h2>
 * RFC 7208 (all mechanisms and modifiers, macros, limits; the SPF RR type is not queried, §3.1);
 * RFC 5952 (the {@code %{c}} form of IPv6); RFC 7505 (null MX is skipped). Decisions where the
 * RFC leaves room, as the openspf suite prefers: a target name that cannot be queried (empty or
 * over-long label) does not exist (no match, a void lookup); an explicit empty {@code exp=} is a
 * permerror; {@code %{p}} counts once against the 10-term limit; {@code %{i}} writes IPv6 nibbles
 * in upper case (pyspf's form, which the suite's explanation text expects).
 *
 * <h2>Configuration</h2>
 * {@link dev.sealpost.auth.spf.SpfSettings}: time budget (default 20 s, the RFC's floor), lookup
 * and void-lookup limits, default explanation, the receiver name for {@code %{r}}.
 */
package dev.sealpost.auth.spf;
