package dev.sealpost.auth.dkim;

import dev.sealpost.auth.TagList;
import dev.sealpost.core.mail.Domain;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A parsed DKIM-Signature header field value (RFC 6376 §3.5).
 *
 * @param tags           all tags, with raw positions (for blanking {@code b=})
 * @param algorithm      {@code a=}
 * @param signature      {@code b=}, decoded
 * @param bodyHash       {@code bh=}, decoded
 * @param headerCanon    first half of {@code c=} (default simple)
 * @param bodyCanon      second half of {@code c=} (default simple)
 * @param domain         {@code d=}, lower-case A-label form
 * @param signedHeaders  {@code h=} field names as written
 * @param identity       {@code i=} (default {@code "@" + d}), as written
 * @param bodyLength     {@code l=}, or -1 when absent ({@link Long#MAX_VALUE} when too large to count)
 * @param selector       {@code s=} as written
 * @param timestamp      {@code t=} in epoch seconds, or -1 ({@link Long#MAX_VALUE} for over 12 digits)
 * @param expiration     {@code x=} in epoch seconds, or -1 ({@link Long#MAX_VALUE} for over 12 digits)
 * @param bTag           the {@code b=} value as written, white space removed (for {@code header.b}, RFC 6008)
 */
public record DkimSignature(TagList tags, DkimAlgorithm algorithm, byte[] signature, byte[] bodyHash,
                            Canonicalization headerCanon, Canonicalization bodyCanon, String domain,
                            List<String> signedHeaders, String identity, long bodyLength, String selector,
                            long timestamp, long expiration, String bTag) {

    /** The outcome of {@link #parse}. */
    public sealed interface Result permits Parsed, Invalid {}

    /** A usable signature field. */
    public record Parsed(DkimSignature signature) implements Result {}

    /**
     * A signature field that must be ignored with PERMERROR (RFC 6376 §6.1.1).
     *
     * @param reason   what is wrong
     * @param domain   {@code d=} as written when it could be read, else ""
     * @param selector {@code s=} as written when it could be read, else ""
     * @param algorithm {@code a=} as written when it could be read, else ""
     */
    public record Invalid(String reason, String domain, String selector, String algorithm) implements Result {}

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    // RFC 6376 §3.1 selector = sub-domain *( "." sub-domain ); "_" accepted leniently (seen in the wild)
    private static final Pattern SELECTOR = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*");
    // RFC 5322 §3.6.8 field-name = 1*ftext
    private static final Pattern FIELD_NAME = Pattern.compile("[\\x21-\\x39\\x3b-\\x7e]+");

    /** Parses a DKIM-Signature field value (the text after the colon, folding included); never throws. */
    public static Result parse(String value) {
        TagList tags;
        switch (TagList.parse(value)) {
            case TagList.Invalid(String reason) -> {
                return new Invalid("malformed tag list: " + reason, "", "", "");
            }
            case TagList.Parsed(TagList t) -> tags = t;
        }
        String d = tags.get("d").orElse("");
        String s = tags.get("s").orElse("");
        String a = tags.get("a").orElse("");
        // RFC 6376 §6.1.1: required tags
        for (String req : List.of("v", "a", "b", "bh", "d", "h", "s")) {
            if (!tags.has(req)) return new Invalid("missing required tag " + req + "=", d, s, a);
        }
        // RFC 6376 §3.5 v=: MUST be "1"
        if (!tags.get("v").orElseThrow().equals("1")) return new Invalid("unsupported version v=" + tags.get("v").orElseThrow(), d, s, a);
        Optional<DkimAlgorithm> alg = DkimAlgorithm.fromTag(a);
        if (alg.isEmpty()) return new Invalid("unknown algorithm a=" + a, d, s, a);
        String bTag = TagList.stripWhitespace(tags.get("b").orElseThrow());
        byte[] b = base64(bTag);
        if (b == null || b.length == 0) return new Invalid("b= is not base64", d, s, a);
        byte[] bh = base64(TagList.stripWhitespace(tags.get("bh").orElseThrow()));
        if (bh == null || bh.length == 0) return new Invalid("bh= is not base64", d, s, a);
        // RFC 6376 §3.5 c=: header[/body], default simple/simple; "relaxed" alone is relaxed/simple
        String c = tags.get("c").orElse("simple/simple");
        int slash = c.indexOf('/');
        Canonicalization hc = Canonicalization.fromTag(slash < 0 ? c : c.substring(0, slash));
        Canonicalization bc = slash < 0 ? Canonicalization.SIMPLE : Canonicalization.fromTag(c.substring(slash + 1));
        if (hc == null || bc == null) return new Invalid("unknown canonicalization c=" + c, d, s, a);
        Optional<String> domain = d.isEmpty() || d.length() > 253 || !d.chars().allMatch(ch -> ch > 0x20 && ch != '(' && ch != '@') ? Optional.empty() : Domain.toAscii(d);
        if (domain.isEmpty()) return new Invalid("d= is not a domain name", d, s, a);
        if (!SELECTOR.matcher(s).matches() || s.length() > 253) return new Invalid("s= is not a selector", d, s, a);
        List<String> h = TagList.splitColon(tags.get("h").orElseThrow());
        for (String name : h) {
            if (!FIELD_NAME.matcher(name).matches()) return new Invalid("h= has an invalid field name", d, s, a);
        }
        // RFC 6376 §6.1.1: h= must include From (§5.4)
        if (h.stream().noneMatch(n -> n.equalsIgnoreCase("from"))) return new Invalid("h= does not include From", d, s, a);
        // RFC 6376 §3.5 i=: [Local-part] "@" domain-name, the same as or a subdomain of d=
        String i = tags.get("i").orElse("@" + d);
        int at = i.lastIndexOf('@');
        if (at < 0) return new Invalid("i= has no @", d, s, a);
        Optional<String> iDomain = Domain.toAscii(i.substring(at + 1));
        if (iDomain.isEmpty()) return new Invalid("i= domain is not a domain name", d, s, a);
        if (!isSameOrSubdomain(iDomain.get(), domain.get())) return new Invalid("i= is not in d= or a subdomain of it", d, s, a);
        long l = -1;
        if (tags.has("l")) {
            String lv = tags.get("l").orElseThrow();
            if (!DIGITS.matcher(lv).matches() || lv.length() > 76) return new Invalid("l= is not a decimal number", d, s, a);
            l = number(lv);
        }
        // RFC 6376 §3.5 q=: colon-separated methods, dns/txt the only one defined
        if (tags.has("q")) {
            List<String> q = TagList.splitColon(tags.get("q").orElseThrow());
            // leniency: "dns" (from the DomainKeys-era drafts) is read as dns/txt
            if (q.stream().noneMatch(m -> m.equalsIgnoreCase("dns/txt") || m.equalsIgnoreCase("dns"))) return new Invalid("q= has no dns/txt", d, s, a);
        }
        long t = -1, x = -1;
        if (tags.has("t")) {
            String tv = tags.get("t").orElseThrow();
            if (!DIGITS.matcher(tv).matches()) return new Invalid("t= is not a decimal number", d, s, a);
            t = number(tv);
        }
        if (tags.has("x")) {
            String xv = tags.get("x").orElseThrow();
            if (!DIGITS.matcher(xv).matches()) return new Invalid("x= is not a decimal number", d, s, a);
            x = number(xv);
            // RFC 6376 §3.5 x=: MUST be greater than t= when both are present
            if (t >= 0 && x <= t) return new Invalid("x= is not after t=", d, s, a);
        }
        return new Parsed(new DkimSignature(tags, alg.get(), b, bh, hc, bc, domain.get(), List.copyOf(h), i, l, s,
                t, x, bTag));
    }

    // RFC 6376 §3.5 t=, x=: values over 12 digits MAY be treated as infinite
    private static long number(String digits) {
        String v = digits.replaceFirst("^0+(?=.)", "");
        return v.length() > 12 ? Long.MAX_VALUE : Long.parseLong(v);
    }

    static byte[] base64(String s) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static boolean isSameOrSubdomain(String sub, String parent) {
        String a = sub.toLowerCase(Locale.ROOT), p = parent.toLowerCase(Locale.ROOT);
        return a.equals(p) || a.endsWith("." + p);
    }

    /** The domain of {@code i=}, lower-case. */
    public String identityDomain() {
        return Domain.toAscii(identity.substring(identity.lastIndexOf('@') + 1)).orElse("");
    }

    /** The DNS name of the key record: {@code <s>._domainkey.<d>} (RFC 6376 §3.6.2.1). */
    public String keyName() {
        return selector.toLowerCase(Locale.ROOT) + "._domainkey." + domain;
    }
}
