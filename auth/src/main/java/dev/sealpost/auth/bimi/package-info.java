/**
 * BIMI, Brand Indicators for Message Identification (draft-brand-indicators-for-message-identification;
 * section numbers as in that draft: §5.2 Assertion Record, §5.3 Selectors, §6 header fields,
 * §8 Receiver Actions), for received mail.
 *
 * <h2>Purpose</h2>
 * For a message that passed DMARC under an enforcing policy, find the sender's BIMI Assertion
 * Record ({@code <selector>._bimi.<domain>}, {@link BimiRecord}, {@link BimiSelector}), fetch the
 * Indicator over HTTPS ({@link HttpsBimiFetcher}), check it against the SVG Tiny PS profile
 * ({@link SvgTinyPs}), validate a VMC/CMC Evidence Document when mark roots are configured
 * ({@link MarkCertificate}), and produce the result ({@link BimiOutcome}, {@code bimi=} in
 * Authentication-Results) and, only on pass, the {@code BIMI-Location} and {@code BIMI-Indicator}
 * fields ({@link BimiHeaders}). {@link BimiEvaluator} runs it all.
 *
 * <h2>Security</h2>
 * Everything here is untrusted input: DNS TXT data, the BIMI-Selector header, SVG and PEM
 * documents from URLs the sender chooses. Parsers are bounded (record 4 KiB, URIs 900 chars,
 * SVG 32 KiB uncompressed, PEM 64 KiB and 10 certificates) and never throw on content; Jazzer
 * targets cover them. The SVG is parsed with DTDs and external entities off and every entity
 * declaration refused (no XXE, no entity expansion); nothing an SVG or certificate references is
 * ever fetched. Fetches go only to https URLs, with certificate and host name validation, no
 * redirects, a size cap read as a retrieval limit and a time bound; their host names are
 * resolved through the server's {@code Dialer} on the configured resolver, never the JVM's
 * (ADR 0006). The code reaches the DNS resolver and the HTTPS hosts named in the record, nothing else. Senders' BIMI-Location and
 * BIMI-Indicator fields must be removed by the caller ({@link BimiHeaders#mustRemove}, §8.8).
 *
 * <h2>Standards</h2>
 * BIMI draft §5.2 (record), §5.2.1 (declination), §5.3 and §6.1 (selector), §6.2 / §6.3
 * (BIMI-Location, BIMI-Indicator), §6.4 (BIMI-Selector must be covered by an aligned DKIM
 * signature), §8.1 (DMARC requirements), §8.2 (discovery), §8.3 - §8.6 (indicator discovery and
 * validation), §8.7 - §8.10 (results and headers); draft-svg-tiny-ps-abrotman (SVG Tiny PS);
 * RFC 3709 (logotype extension); RFC 5280 (PKIX path validation); RFC 2397 (data: URIs);
 * RFC 7489 (DMARC records). Not done: the Indicator taken from an indirect (remote) logotype,
 * revocation checks of mark certificates, the VMC's mark type and other VMC Guidelines
 * profile details beyond EKU, SAN and logotype, sender reputation (§9).
 *
 * <h2>Configuration</h2>
 * {@link BimiEvaluator.Settings}: the mark roots (empty: evidence not checked, self-asserted
 * Indicators pass), whether validated evidence is required, the evidence size cap.
 * {@link HttpsBimiFetcher.Settings}: the TLS trust (JDK CAs by default) and timeouts.
 */
package dev.sealpost.auth.bimi;
