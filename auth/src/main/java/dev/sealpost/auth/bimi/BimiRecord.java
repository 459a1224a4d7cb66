package dev.sealpost.auth.bimi;

import dev.sealpost.auth.TagList;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A BIMI Assertion Record (BIMI draft §5.2): the TXT record at {@code <selector>._bimi.<domain>}.
 *
 * <pre>
 * bimi-record  = bimi-version (bimi-sep bimi-location) (bimi-sep bimi-evidence-location) [bimi-sep]
 * bimi-version = %x76 *WSP "=" *WSP %x42.49.4d.49 1DIGIT        ; "v=BIMI1", first
 * bimi-location          = %x6c *WSP "=" bimi-uri                 ; l=, REQUIRED, empty or one https URI
 * bimi-evidence-location = %x61 *WSP "=" bimi-uri                 ; a=, OPTIONAL, empty or one https URI
 * </pre>
 *
 * The tag list follows DKIM's syntax (RFC 6376 §3.2, {@link TagList}). Unknown tags are ignored;
 * nothing is repaired (§5.2: "Mail receivers MUST NOT attempt to fix syntactical or
 * capitalization errors").
 *
 * @param location the {@code l=} URI, or null when empty
 * @param evidence the {@code a=} URI, or null when empty or absent
 */
public record BimiRecord(URI location, URI evidence) {
    /** Longest record parsed (a TXT record of several strings; real ones are under 300 characters). */
    public static final int MAX_LENGTH = 4096;
    /** Longest URI accepted in {@code l=} or {@code a=}: it must fit one header line (RFC 5322 §2.1.1: 998) in BIMI-Location. */
    public static final int MAX_URI_LENGTH = 900;

    /** The outcome of {@link #parse}. */
    public sealed interface Parsed permits Valid, Invalid {}

    /** A well-formed record. */
    public record Valid(BimiRecord record) implements Parsed {}

    /** Not a usable record, with the reason. */
    public record Invalid(String reason) implements Parsed {}

    /** §5.2.1: both {@code l=} and {@code a=} empty is an explicit declination to publish. */
    public boolean declined() {
        return location == null && evidence == null;
    }

    /**
     * True when the text starts with the {@code v=BIMI1} tag: BIMI draft §8.2 steps 4 and 6,
     * "records that do not start with a v= tag that identifies the current version of BIMI MUST be discarded".
     */
    public static boolean isBimiRecord(String txt) {
        if (txt == null) return false;
        int i = skipWs(txt, 0);
        if (i >= txt.length() || txt.charAt(i) != 'v') return false; // %x76: lower-case only
        i = skipWs(txt, i + 1);
        if (i >= txt.length() || txt.charAt(i) != '=') return false;
        i = skipWs(txt, i + 1);
        // §5.2: the value "MUST match precisely" BIMI1
        if (!txt.startsWith("BIMI1", i)) return false;
        i = skipWs(txt, i + 5);
        return i == txt.length() || txt.charAt(i) == ';';
    }

    /** Parses a record; never throws. */
    public static Parsed parse(String txt) {
        if (txt == null) return new Invalid("no record");
        if (txt.length() > MAX_LENGTH) return new Invalid("record longer than " + MAX_LENGTH);
        if (!isBimiRecord(txt)) return new Invalid("does not start with v=BIMI1");
        TagList tags;
        switch (TagList.parse(txt)) {
            case TagList.Invalid inv -> { return new Invalid(inv.reason()); }
            case TagList.Parsed p -> tags = p.tags();
        }
        // §5.2 v=: "It MUST be the first tag in the list"; isBimiRecord checked it (TagList keeps input order)
        // §5.2 l=: REQUIRED (its value may be empty)
        if (!tags.has("l")) return new Invalid("no l= tag");
        URI location;
        URI evidence;
        try {
            location = httpsUri(tags.get("l").orElse(""), "l");
            evidence = httpsUri(tags.get("a").orElse(""), "a"); // §5.2 a=: absent means empty
        } catch (IllegalArgumentException e) {
            return new Invalid(e.getMessage());
        }
        return new Valid(new BimiRecord(location, evidence));
    }

    /**
     * An {@code l=}/{@code a=} value: empty (null) or a single absolute https URI with a host
     * name (§5.2: "MUST contain a fully qualified domain name (FQDN) and MUST specify HTTPS";
     * "commas within a URI MUST be encoded", so a comma means a list, which is not allowed).
     */
    static URI httpsUri(String value, String tag) {
        if (value.isEmpty()) return null;
        if (value.length() > MAX_URI_LENGTH) throw new IllegalArgumentException(tag + "= URI longer than " + MAX_URI_LENGTH);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7F) throw new IllegalArgumentException(tag + "= URI has white space or a non-ASCII character");
            if (c == ',') throw new IllegalArgumentException(tag + "= holds more than one URI (unencoded comma)");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(tag + "= is not a URI: " + clip(value));
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) throw new IllegalArgumentException(tag + "= is not an https URI: " + clip(value));
        String host = uri.getHost();
        if (host == null || host.isEmpty() || host.startsWith("[")) {
            throw new IllegalArgumentException(tag + "= URI has no host name: " + clip(value));
        }
        if (uri.getRawUserInfo() != null) throw new IllegalArgumentException(tag + "= URI carries user information");
        if (uri.getRawFragment() != null) throw new IllegalArgumentException(tag + "= URI carries a fragment");
        return uri;
    }

    /** The canonical text, which parses back to an equal record. */
    public String toText() {
        return "v=BIMI1; l=" + (location == null ? "" : location.toString()) + "; a=" + (evidence == null ? "" : evidence.toString()) + ";";
    }

    private static int skipWs(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\r' || s.charAt(i) == '\n')) i++;
        return i;
    }

    static String clip(String s) {
        String t = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            b.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return b.toString();
    }
}
