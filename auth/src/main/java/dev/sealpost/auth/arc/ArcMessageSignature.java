package dev.sealpost.auth.arc;

import dev.sealpost.auth.TagList;
import dev.sealpost.auth.dkim.Canonicalization;
import dev.sealpost.auth.dkim.DkimAlgorithm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A parsed ARC-Message-Signature header field value (RFC 8617 §4.1.2): a DKIM-Signature tag
 * list (RFC 6376 §3.5) with {@code i=} the ARC instance, and no {@code v=}.
 *
 * <p>Required: {@code i, a, b, bh, d, h, s}. Decided leniencies, each matching the ARC test
 * suite and the deployed validators: a missing {@code c=} means relaxed/relaxed (the only
 * canonicalisation ARC sealers use) rather than DKIM's simple/simple; an empty {@code h=} or an
 * empty name inside it is accepted (it selects nothing); {@code h=} need not list From (RFC
 * 8617 does not carry over RFC 6376 §5.4's From requirement). {@code h=} listing ARC-Seal is
 * invalid (RFC 8617 §4.1.2).
 *
 * @param tags          all tags
 * @param instance      {@code i=}, 1 to 50
 * @param algorithm     {@code a=}
 * @param signature     {@code b=}, decoded
 * @param bodyHash      {@code bh=}, decoded
 * @param headerCanon   first half of {@code c=}
 * @param bodyCanon     second half of {@code c=}
 * @param domain        {@code d=}, lower-case A-label
 * @param signedHeaders {@code h=} names as written, empty names dropped
 * @param selector      {@code s=} as written
 * @param timestamp     {@code t=}, or -1
 * @param expiration    {@code x=}, or -1
 * @param bodyLength    {@code l=}, or -1
 */
public record ArcMessageSignature(TagList tags, int instance, DkimAlgorithm algorithm, byte[] signature, byte[] bodyHash,
                                  Canonicalization headerCanon, Canonicalization bodyCanon, String domain,
                                  List<String> signedHeaders, String selector, long timestamp, long expiration,
                                  long bodyLength) {
    /** The header field name. */
    public static final String FIELD_NAME = "ARC-Message-Signature";

    /** The outcome of {@link #parse}. */
    public sealed interface Result permits Parsed, Invalid {}

    /** A usable field value. */
    public record Parsed(ArcMessageSignature signature) implements Result {}

    /** A malformed field value, with the reason. */
    public record Invalid(String reason) implements Result {}

    /** Parses a field value (the text after the colon, folding included); never throws. */
    public static Result parse(String value) {
        TagList tags;
        switch (ArcTags.tagList(value)) {
            case TagList.Invalid(String reason) -> {
                return new Invalid("malformed tag list: " + reason);
            }
            case TagList.Parsed(TagList t) -> tags = t;
        }
        for (String req : List.of("i", "a", "b", "bh", "d", "h", "s")) {
            if (!tags.has(req)) return new Invalid("missing required tag " + req + "=");
        }
        int instance = ArcTags.instance(tags.get("i").orElseThrow());
        if (instance < 0) return new Invalid("i= is not an instance from 1 to " + ArcTags.MAX_INSTANCE);
        Optional<DkimAlgorithm> alg = DkimAlgorithm.fromTag(tags.get("a").orElseThrow());
        if (alg.isEmpty()) return new Invalid("unknown algorithm a=" + tags.get("a").orElseThrow());
        byte[] b = ArcTags.base64(tags.get("b").orElseThrow());
        if (b == null) return new Invalid("b= is not base64");
        byte[] bh = ArcTags.base64(tags.get("bh").orElseThrow());
        if (bh == null) return new Invalid("bh= is not base64");
        // leniency (see class comment): no c= is relaxed/relaxed
        String c = tags.get("c").orElse("relaxed/relaxed");
        int slash = c.indexOf('/');
        Canonicalization hc = Canonicalization.fromTag(slash < 0 ? c : c.substring(0, slash));
        // RFC 6376 §3.5 c=: a header algorithm alone means simple for the body
        Canonicalization bc = slash < 0 ? Canonicalization.SIMPLE : Canonicalization.fromTag(c.substring(slash + 1));
        if (hc == null || bc == null) return new Invalid("unknown canonicalization c=" + c);
        String domain = ArcTags.domain(tags.get("d").orElseThrow());
        if (domain == null) return new Invalid("d= is not a domain name");
        String s = tags.get("s").orElseThrow();
        if (!ArcTags.selector(s)) return new Invalid("s= is not a selector");
        List<String> h = new ArrayList<>();
        for (String name : TagList.splitColon(tags.get("h").orElseThrow())) {
            if (name.isEmpty()) continue; // leniency (see class comment)
            if (!ArcTags.FIELD_NAME.matcher(name).matches()) return new Invalid("h= has an invalid field name");
            // RFC 8617 §4.1.2: the AMS MUST NOT sign ARC-Seal fields
            if (name.toLowerCase(Locale.ROOT).equals("arc-seal")) return new Invalid("h= includes ARC-Seal");
            h.add(name);
        }
        long t = -1, x = -1, l = -1;
        if (tags.has("t")) {
            t = ArcTags.seconds(tags.get("t").orElseThrow());
            if (t == -2) return new Invalid("t= is not a decimal number");
        }
        if (tags.has("x")) {
            x = ArcTags.seconds(tags.get("x").orElseThrow());
            if (x == -2) return new Invalid("x= is not a decimal number");
            // RFC 6376 §3.5 x=: MUST be greater than t=
            if (t >= 0 && x <= t) return new Invalid("x= is not after t=");
        }
        if (tags.has("l")) {
            String lv = tags.get("l").orElseThrow();
            l = lv.length() > 76 ? -2 : ArcTags.seconds(lv);
            if (l == -2) return new Invalid("l= is not a decimal number");
        }
        return new Parsed(new ArcMessageSignature(tags, instance, alg.get(), b, bh, hc, bc, domain, List.copyOf(h), s, t, x, l));
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public byte[] bodyHash() {
        return bodyHash.clone();
    }

    /** The DNS name of the key record: {@code <s>._domainkey.<d>} (RFC 6376 §3.6.2.1). */
    public String keyName() {
        return selector.toLowerCase(Locale.ROOT) + "._domainkey." + domain;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArcMessageSignature m && m.tags.tags().equals(tags.tags());
    }

    @Override
    public int hashCode() {
        return tags.tags().hashCode();
    }

    @Override
    public String toString() {
        return "ArcMessageSignature[i=" + instance + ", d=" + domain + ", s=" + selector + ", a=" + algorithm.tag() + "]";
    }
}
