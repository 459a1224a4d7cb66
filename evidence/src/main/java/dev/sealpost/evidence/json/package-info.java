/**
 * JSON for evidence records: a writer of RFC 8785 canonical JSON (JCS), so that a record's bytes
 * (and so its hash, leaf and signature) are fixed by its content, and a small strict parser for
 * reading records, receipts and conformance data back.
 *
 * <p><b>Security:</b> the parser reads untrusted input (receipts given to {@code evidence
 * verify}); it is bounded (nesting depth, number length), refuses duplicate member names and lone
 * surrogates (RFC 7493 I-JSON), and reports failures as values with an offset, never by
 * exception. No I/O.
 *
 * <p><b>Standards:</b> RFC 8259 (JSON grammar), RFC 7493 (I-JSON restrictions), RFC 8785 (JCS:
 * member order by UTF-16 code units, string escaping, number form).
 *
 * <p><b>Configuration:</b> none.
 */
package dev.sealpost.evidence.json;
