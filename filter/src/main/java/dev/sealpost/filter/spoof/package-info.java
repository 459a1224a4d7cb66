/**
 * Spoofing checks: {@code lookalike_domain} (UTS #39 confusable skeletons and restriction levels
 * through ICU4J's SpoofChecker, mixed-script IDNs, edit distance on the registrable label by the
 * Public Suffix List, against a protected set) and {@code display_name_spoof} (a display name
 * holding another address, or a protected person's name from outside their domain on first
 * contact).
 *
 * <p><b>Security:</b> reads untrusted header text (display names, domains); names are bounded
 * (253 octets a domain, 512 characters a display name) and invalid names are not lookalikes, never
 * errors. No I/O: the protected set ({@link dev.sealpost.filter.spoof.Protection}) is given by the
 * caller, per recipient.
 *
 * <p><b>Standards:</b> Unicode UTS #39 (skeletons §4, restriction levels §5.2); RFC 5891 (IDNA
 * A- and U-labels); RFC 2047 (encoded display names); RFC 5322 §3.4 (mailboxes).
 *
 * <p><b>Configuration:</b> {@code [filter.spoof] protect} (domains) and {@code vips}
 * ({@code "Name <address>"}); our domains, users and their correspondents are added by the caller.
 */
package dev.sealpost.filter.spoof;
