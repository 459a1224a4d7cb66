/**
 * Attachment analysis: the real type from the content (Tika core's magic detection, and our own
 * magic for executables, shortcuts and disk images) against the declared type and the extension;
 * dangerous types; double extensions; misleading Unicode in file names (RFC 2047 and RFC 2231
 * encoded names decoded first); archives listed and nested to a bounded depth (zip, 7z, tar, gzip,
 * bzip2, xz with commons-compress; RAR 4 and 5 by their headers; CAB by magic), encrypted archives
 * flagged, bombs stopped; Office macros (OLE {@code VBA} storage read from the compound file's
 * directory, OOXML {@code vbaProject.bin}); PDFs with JavaScript, launch or open actions.
 *
 * <p><b>Security:</b> parses untrusted attachments. Every reader is bounded: archive depth, entry
 * count, decompressed octets in total and per attachment octet (ratio), octets kept per entry,
 * decoder memory for LZMA; the compound-file and RAR walkers follow chains with loop detection
 * and index checks. Nothing is written to disk and nothing is executed. A bound reached is a
 * finding ({@code archive_limit}), never an exception.
 *
 * <p><b>Standards:</b> RFC 2045 (transfer encodings), RFC 2047 and RFC 2231 (encoded file names),
 * RFC 2183 (Content-Disposition filename), RFC 1952 (gzip FNAME); MS-CFB, MS-OVBA, MS-SHLLINK;
 * ISO 32000-1 (PDF names and actions); the RAR 4 and RAR 5 format notes.
 *
 * <p><b>Configuration:</b> {@code [filter.attachments]}: archive bounds and allowed file names
 * ({@link dev.sealpost.filter.attach.AttachmentCheck.Settings}); weights and actions through
 * {@code [filter.weights]} and {@code [filter.actions]}.
 */
package dev.sealpost.filter.attach;
