package dev.sealpost.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One MIME entity of a message, with the byte ranges IMAP needs for BODY[section], BODYSTRUCTURE
 * and partial fetches (RFC 9051 §6.4.5, §7.5.2). Offsets count octets from the start of the whole
 * message as stored; lengths are raw (a message with bare LF line ends is not CRLF-normalized here,
 * see {@link MessageStructure#bareLineFeeds()}).
 *
 * <p>The header section runs from {@code headerStart} for {@code headerLength} octets and includes
 * the empty line that ends it; the body follows directly ({@code bodyStart == headerStart +
 * headerLength}). Inside a multipart the CRLF before a delimiter line belongs to the delimiter, not
 * to the part (RFC 2046 §5.1.1).
 *
 * @param type              lower-case media type; {@code text} when Content-Type is absent or invalid (RFC 2045 §5.2)
 * @param subtype           lower-case subtype
 * @param params            Content-Type parameters: names lower case, RFC 2231 continuations and
 *                          charsets decoded, first occurrence wins, in header order
 * @param encoding          Content-Transfer-Encoding, lower case, {@code 7bit} by default (RFC 2045 §6.1)
 * @param disposition       Content-Disposition type in lower case (RFC 2183), or null
 * @param language          Content-Language tags (RFC 3282), empty when absent
 * @param bodyLines         text lines of the body: line ends in it, plus one for a last line without
 *                          its own line end (RFC 9051 body-fld-lines)
 * @param envelope          for a message (the root, and the embedded message of a message/rfc822 or
 *                          message/global part): its envelope; null for other parts
 * @param children          the body parts of a multipart (at least one); empty otherwise
 * @param message           for message/rfc822 and message/global: the embedded message (its header is
 *                          this part's body); null otherwise
 * @param limitHit          true when a {@link MessageStructure.Limits limit} stopped the parser inside
 *                          this part: fields after the limit are not seen and a composite part is
 *                          treated as a {@code text/plain} leaf
 */
public record Part(long headerStart, long headerLength, long bodyStart, long bodyLength, long bodyLines,
                   String type, String subtype, Map<String, String> params,
                   String id, String description, String encoding,
                   String disposition, Map<String, String> dispositionParams,
                   List<String> language, String location, String md5,
                   Envelope envelope, List<Part> children, Part message, boolean limitHit) {

    public Part {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        dispositionParams = Collections.unmodifiableMap(new LinkedHashMap<>(dispositionParams));
        language = List.copyOf(language);
        children = List.copyOf(children);
    }

    public boolean isMultipart() {
        return !children.isEmpty();
    }

    /** True for message/rfc822 and message/global parts with their embedded message parsed. */
    public boolean isMessage() {
        return message != null;
    }

    /** {@code type/subtype}. */
    public String mediaType() {
        return type + "/" + subtype;
    }

    /** One past the last octet of this part (end of its body). */
    public long end() {
        return bodyStart + bodyLength;
    }

    /** A Content-Type parameter by lower-case name, or null. */
    public String param(String name) {
        return params.get(name);
    }
}
