package dev.sealpost.message.internal;

import dev.sealpost.message.Address;
import dev.sealpost.message.Envelope;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.message.MessageStructure.Limits;
import dev.sealpost.message.Part;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The streaming MIME parser behind {@link MessageStructure#parse}. One pass, line by line, with a
 * stack of the active multipart boundaries; recursion depth is bounded by {@link Limits#maxDepth()}.
 *
 * <p>Invariant of {@link #part}: on entry the reader's current line is the part's first line (or
 * the input is at its end); on return it is the delimiter line that ended the part (an enclosing
 * multipart's, see {@link #endIndex}) or the input is at its end.
 */
public final class StructureParser {
    private static final Map<String, String> US_ASCII = Map.of("charset", "us-ascii");

    private final LineReader r;
    private final Limits limits;
    private final byte[][] boundaries;
    private int active;
    private boolean hasLine;
    private int parts;
    /** For the current line: index of the boundary it delimits, or -1. */
    private int endIndex = -1;
    /** For the current line: true when it is a close delimiter ({@code --boundary--}). */
    private boolean endClose;

    public StructureParser(InputStream in, Limits limits) {
        this.limits = limits;
        // the line prefix must hold a whole header line and any delimiter line
        int cap = Math.max(limits.maxHeaderBytes(), limits.maxBoundaryLength() + 4) + 2;
        this.r = new LineReader(in, cap);
        this.boundaries = new byte[limits.maxDepth() + 2][];
    }

    public MessageStructure parse() throws IOException {
        advance();
        Part root = part(0, 0, false, true);
        // the root ends only at the end of input (no boundary is active at its level)
        while (hasLine) advance();
        return new MessageStructure(root, r.offset(), r.bareLineFeeds);
    }

    private void advance() throws IOException {
        hasLine = r.next();
        classify();
    }

    /**
     * RFC 2046 §5.1.1: a delimiter line is "--" boundary, then "--" for the close delimiter, then
     * optional linear white space (transport padding) up to the line end. Framing is strict here: a
     * line with anything else after the boundary is content. The innermost boundary wins.
     */
    private void classify() {
        endIndex = -1;
        endClose = false;
        if (!hasLine || active == 0 || r.stored < 2 || r.line[0] != '-' || r.line[1] != '-') return;
        for (int k = active - 1; k >= 0; k--) {
            byte[] b = boundaries[k];
            if (r.stored < 2 + b.length || !java.util.Arrays.equals(r.line, 2, 2 + b.length, b, 0, b.length)) continue;
            int j = 2 + b.length;
            boolean close = false;
            if (j + 1 < r.stored && r.line[j] == '-' && r.line[j + 1] == '-') {
                close = true;
                j += 2;
            }
            boolean padding = r.tailBlank;
            for (int x = j; x < r.stored && padding; x++) padding = r.line[x] == ' ' || r.line[x] == '\t';
            if (!padding) continue;
            endIndex = k;
            endClose = close;
            return;
        }
    }

    private boolean atDelimiter() {
        return hasLine && endIndex >= 0;
    }

    /** Lines read before the current one. */
    private long linesBefore() {
        return hasLine ? r.lineNumber - 1 : r.lineNumber;
    }

    /**
     * Parses one entity starting at {@code start}.
     *
     * @param digest    true inside multipart/digest (RFC 2046 §5.1.5: default type message/rfc822)
     * @param isMessage true for the root and embedded messages: collect the envelope
     */
    private Part part(long start, int depth, boolean digest, boolean isMessage) throws IOException {
        parts++;
        // --- header section (RFC 5322 §2.2, RFC 2045 §3) ---
        HeaderBlock hb = new HeaderBlock(limits.maxHeaderBytes(), limits.maxHeaderFields());
        int headerLines = 0;
        long bodyStart;
        while (true) {
            if (!hasLine) {
                bodyStart = r.offset();
                break;
            }
            if (atDelimiter()) {
                // a part with a header and no empty line before the next delimiter: no body
                bodyStart = headerLines == 0 ? start : r.start - r.prevTermLength;
                break;
            }
            if (r.contentLength == 0) {
                bodyStart = r.start + r.termLength;
                advance();
                break;
            }
            hb.add(r);
            headerLines++;
            advance();
        }
        List<HeaderBlock.Field> fields = hb.fields();
        boolean limitHit = hb.limitHit;

        // --- MIME fields ---
        String type = digest ? "message" : "text";
        String subtype = digest ? "rfc822" : "plain";
        Map<String, String> params = digest ? Map.of() : US_ASCII; // RFC 2045 §5.2, RFC 2046 §5.1.5
        String ctValue = first(fields, "content-type");
        if (ctValue != null) {
            MimeValues.MediaType mt = MimeValues.contentType(ctValue);
            if (mt != null) {
                type = mt.type();
                subtype = mt.subtype();
                params = mt.params();
            } else {
                // RFC 2045 §5.2: an invalid Content-Type means text/plain; charset=us-ascii
                type = "text";
                subtype = "plain";
                params = US_ASCII;
            }
        }
        String encoding = MimeValues.transferEncoding(first(fields, "content-transfer-encoding"));
        MimeValues.Disposition disp = null;
        String dispValue = first(fields, "content-disposition");
        if (dispValue != null) disp = MimeValues.disposition(dispValue);
        List<String> language = MimeValues.languages(first(fields, "content-language"));
        String id = trimmed(first(fields, "content-id"));
        String description = trimmed(first(fields, "content-description"));
        String location = trimmed(first(fields, "content-location"));
        String md5 = trimmed(first(fields, "content-md5"));
        Envelope envelope = isMessage ? envelope(fields) : null;
        // from here on the header section is no longer held: only the fields above are kept

        // --- what kind of body ---
        boolean multipart = type.equals("multipart");
        boolean message = type.equals("message") && (subtype.equals("rfc822") || subtype.equals("global"));
        byte[] boundary = null;
        if (multipart || message) {
            boolean identity = encoding.equals("7bit") || encoding.equals("8bit") || encoding.equals("binary");
            if (!identity) {
                // RFC 2045 §6.4: composite types allow only 7bit, 8bit and binary; an encoded one is opaque
                type = "application";
                subtype = "octet-stream";
                multipart = message = false;
            } else if (limitHit || depth >= limits.maxDepth() || (message && parts >= limits.maxParts())) {
                limitHit = true;
                type = "text";
                subtype = "plain";
                params = US_ASCII;
                multipart = message = false;
            } else if (multipart) {
                String b = params.get("boundary");
                if (b == null || b.isEmpty()) {
                    // RFC 2046 §5.1.1: the boundary parameter is required; without it the type is invalid
                    type = "text";
                    subtype = "plain";
                    params = US_ASCII;
                    multipart = false;
                } else {
                    byte[] bb = b.getBytes(StandardCharsets.UTF_8);
                    if (bb.length > limits.maxBoundaryLength()) {
                        limitHit = true;
                        type = "text";
                        subtype = "plain";
                        params = US_ASCII;
                        multipart = false;
                    } else {
                        boundary = bb;
                    }
                }
            }
        }

        // --- body ---
        long bodyFirstLine = linesBefore();
        List<Part> children = new ArrayList<>();
        Part embedded = null;
        if (multipart) {
            int own = active;
            boundaries[active++] = boundary;
            classify(); // the current line may be our own first delimiter
            boolean childDigest = subtype.equals("digest");
            // preamble (RFC 2046 §5.1.1): not part of any body part
            while (hasLine && endIndex < 0) advance();
            boolean more = atDelimiter() && endIndex == own && !endClose;
            while (more) {
                if (parts >= limits.maxParts()) {
                    limitHit = true;
                    break;
                }
                advance(); // past the delimiter line
                long childStart = hasLine ? r.start : r.offset();
                children.add(part(childStart, depth + 1, childDigest, false));
                more = atDelimiter() && endIndex == own && !endClose;
            }
            // after the close delimiter, or after the parts limit: epilogue up to an enclosing delimiter
            if (atDelimiter() && endIndex >= own) {
                do {
                    advance();
                } while (hasLine && !(endIndex >= 0 && endIndex < own));
            }
            active--;
            boundaries[active] = null;
            classify();
            if (children.isEmpty()) {
                // RFC 2046 §5.1.1 needs at least one body part; without one the part is a leaf
                type = "text";
                subtype = "plain";
                params = US_ASCII;
            }
        } else if (message) {
            // RFC 2046 §5.2.1: the body is a complete message; it ends where this part ends
            embedded = part(bodyStart, depth + 1, false, true);
        } else {
            while (hasLine && endIndex < 0) advance();
        }

        // --- where the body ends ---
        long bodyEnd;
        long lines;
        long k = linesBefore() - bodyFirstLine;
        if (!hasLine) {
            bodyEnd = r.offset();
            lines = k;
        } else if (k == 0) {
            // RFC 2046 §5.1.1 again: when the empty line that ends the header is the one right before the
            // delimiter, its line end belongs to the delimiter, so the header stops short of it
            long limit = Math.max(start, r.start - r.prevTermLength);
            if (bodyStart > limit) {
                bodyStart = limit;
                if (embedded != null) embedded = emptyAt(embedded, limit);
            }
            bodyEnd = bodyStart;
            lines = 0;
        } else {
            // RFC 2046 §5.1.1: the CRLF before the delimiter belongs to the delimiter
            bodyEnd = r.start - r.prevTermLength;
            lines = (k - 1) + (r.prevContentLength > 0 ? 1 : 0);
        }
        if (bodyEnd < bodyStart) bodyEnd = bodyStart;
        return new Part(start, bodyStart - start, bodyStart, bodyEnd - bodyStart, lines, type, subtype, params,
                id, description, encoding, disp == null ? null : disp.type(), disp == null ? Map.of() : disp.params(),
                language, location, md5, envelope, children, embedded, limitHit);
    }

    /** An embedded message that read no line, moved to {@code at} (it has no header, body or children). */
    private static Part emptyAt(Part p, long at) {
        return new Part(at, 0, at, 0, 0, p.type(), p.subtype(), p.params(), p.id(), p.description(), p.encoding(),
                p.disposition(), p.dispositionParams(), p.language(), p.location(), p.md5(), p.envelope(), p.children(),
                p.message(), p.limitHit());
    }

    private static String first(List<HeaderBlock.Field> fields, String name) {
        for (HeaderBlock.Field f : fields) if (f.name().equals(name)) return f.value();
        return null;
    }

    private static String trimmed(String v) {
        if (v == null) return null;
        v = v.strip();
        return v.isEmpty() ? null : v;
    }

    /** RFC 9051 §7.5.2 ENVELOPE from the first occurrence of each field. */
    private static Envelope envelope(List<HeaderBlock.Field> fields) {
        return new Envelope(trimmed(first(fields, "date")), trimmed(first(fields, "subject")),
                addresses(fields, "from"), addresses(fields, "sender"), addresses(fields, "reply-to"),
                addresses(fields, "to"), addresses(fields, "cc"), addresses(fields, "bcc"),
                trimmed(first(fields, "in-reply-to")), trimmed(first(fields, "message-id")));
    }

    private static List<Address> addresses(List<HeaderBlock.Field> fields, String name) {
        return AddressParser.parse(first(fields, name));
    }
}
