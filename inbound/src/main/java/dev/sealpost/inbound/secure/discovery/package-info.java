/**
 * Key discovery (issue 13, docs/keys.md "Discovery"): finds the OpenPGP key or S/MIME certificate
 * of a remote recipient that has none in the key store, by Web Key Directory
 * (draft-koch-openpgp-webkey-service §3.1, advanced then direct method), OPENPGPKEY (RFC 7929)
 * and SMIMEA (RFC 8162) records, and stores what it finds with its origin, fetch time and
 * validity. Used by the submission gateway ({@code SubmissionSecurity}) within a time budget per
 * message, and by {@code sealpost keys discover}.
 *
 * <h2>Security</h2>
 * Everything fetched is untrusted: WKD bodies are bounded (256 KiB) and time-bounded, fetched
 * only over HTTPS with the certificate checked for the host name ({@code core.net.dial.HttpsGet},
 * ADR 0006: names resolved through our resolver, never the JVM's), no redirects. A certificate is
 * kept only when one of its (self-signed, valid) User IDs carries the asked address; an S/MIME
 * certificate only when its subjectAltName or subject e-mail is the address. DNS records are used
 * only when the answer is DNSSEC-validated ({@code DnsAnswer.authentic}, the resolver DANE uses);
 * insecure answers are ignored and logged, bogus ones are SERVFAIL. Discovered keys are never
 * "trusted" (only own keys and administrator imports are): they encrypt, they do not make a
 * signature {@code pass}. Failures are cached briefly so a missing key cannot make every message
 * wait. The addresses asked for leave the server (in DNS names and to the recipient's domain's
 * web server): that is the point of discovery, and it is done only for recipients of mail the
 * user is sending to them anyway.
 *
 * <h2>Configuration</h2>
 * {@code secure.discover} (on by default) and {@code secure.wkd_port} (443; test labs only).
 */
package dev.sealpost.inbound.secure.discovery;
