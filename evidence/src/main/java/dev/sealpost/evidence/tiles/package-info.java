/**
 * C2SP tlog-tiles: the log served as static, cacheable files. Hash tiles
 * ({@code tile/<L>/<N>[.p/<W>]}: up to 256 consecutive hashes of tree level 8·L, concatenated) and
 * entry bundles ({@code tile/entries/<N>[.p/<W>]}: up to 256 records, each behind a big-endian
 * 16-bit length), produced from the log's Merkle tree and records for a given tree size.
 *
 * <p><b>Security:</b> tile paths requested from outside are parsed strictly (the x000 three-digit
 * encoding, no leading zeros or padding variants), so one tile has one name. No I/O.
 *
 * <p><b>Standards:</b> C2SP tlog-tiles (tile height 8, width 256, path encoding, partial tiles,
 * entry bundles), RFC 9162 §2.1 (the hashes).
 *
 * <p><b>Configuration:</b> none.
 */
package dev.sealpost.evidence.tiles;
