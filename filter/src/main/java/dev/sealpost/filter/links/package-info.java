/**
 * Link analysis: a bounded link extractor for text/plain and text/html parts
 * ({@link dev.sealpost.filter.links.LinkExtractor}) and the checks on the links found
 * ({@link dev.sealpost.filter.links.LinkCheck}): link text naming another site than the target
 * (phishing, with redirectors followed), IP-address links, shorteners, lookalike domains.
 *
 * <p><b>Security:</b> parses untrusted message text. The extractor reads at most 2 MiB of a part
 * and returns at most 500 links of at most 4096 characters, in linear time; redirector unwrapping
 * follows at most 5 levels and 16 targets. Nothing is fetched: links are judged by their text only.
 *
 * <p><b>Standards:</b> RFC 3986 (URI syntax: authority, user information, percent-encoding), RFC
 * 3490 §3.1 (label separators), the Public Suffix List (registrable domains).
 *
 * <p><b>Configuration:</b> extra shortener domains ({@code [filter.links] shorteners}); the protected
 * domains of {@code [filter.spoof]} for {@code lookalike_link}.
 */
package dev.sealpost.filter.links;
