package dev.sealpost.auth.arc;

import dev.sealpost.auth.TagList;
import dev.sealpost.auth.dkim.DkimAlgorithm;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A parsed ARC-Seal header field value (RFC 8617 §4.1.3): tags {@code i, a, b, cv, d, s} are
 * required, {@code t} is optional, {@code h=} is forbidden, other tags are ignored.
 *
 * @param tags      all tags
 * @param instance  {@code i=}, 1 to 50
 * @param algorithm {@code a=}
 * @param signature {@code b=}, decoded
 * @param cv        {@code cv=}
 * @param domain    {@code d=}, lower-case A-label: the sealer
 * @param selector  {@code s=} as written
 * @param timestamp {@code t=}, or -1
 */
public record ArcSeal(TagList tags, int instance, DkimAlgorithm algorithm, byte[] signature, ArcResult cv,
                      String domain, String selector, long timestamp) {
    /** The header field name. */
    public static final String FIELD_NAME = "ARC-Seal";

    /** The outcome of {@link #parse}. */
    public sealed interface Result permits Parsed, Invalid {}

    /** A usable field value. */
    public record Parsed(ArcSeal seal) implements Result {}

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
        for (String req : List.of("i", "a", "b", "cv", "d", "s")) {
            if (!tags.has(req)) return new Invalid("missing required tag " + req + "=");
        }
        // RFC 8617 §4.1.3: the ARC-Seal has no h= (its scope is fixed by §5.1.1)
        if (tags.has("h")) return new Invalid("h= is not allowed in an ARC-Seal");
        int instance = ArcTags.instance(tags.get("i").orElseThrow());
        if (instance < 0) return new Invalid("i= is not an instance from 1 to " + ArcTags.MAX_INSTANCE);
        Optional<DkimAlgorithm> alg = DkimAlgorithm.fromTag(tags.get("a").orElseThrow());
        if (alg.isEmpty()) return new Invalid("unknown algorithm a=" + tags.get("a").orElseThrow());
        byte[] b = ArcTags.base64(tags.get("b").orElseThrow());
        if (b == null) return new Invalid("b= is not base64");
        Optional<ArcResult> cv = ArcResult.fromTag(tags.get("cv").orElseThrow());
        if (cv.isEmpty()) return new Invalid("cv= is not none, pass or fail");
        String domain = ArcTags.domain(tags.get("d").orElseThrow());
        if (domain == null) return new Invalid("d= is not a domain name");
        String s = tags.get("s").orElseThrow();
        if (!ArcTags.selector(s)) return new Invalid("s= is not a selector");
        long t = -1;
        if (tags.has("t")) {
            t = ArcTags.seconds(tags.get("t").orElseThrow());
            if (t == -2) return new Invalid("t= is not a decimal number");
        }
        return new Parsed(new ArcSeal(tags, instance, alg.get(), b, cv.get(), domain, s, t));
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The DNS name of the key record: {@code <s>._domainkey.<d>} (RFC 6376 §3.6.2.1). */
    public String keyName() {
        return selector.toLowerCase(Locale.ROOT) + "._domainkey." + domain;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArcSeal m && m.tags.tags().equals(tags.tags());
    }

    @Override
    public int hashCode() {
        return tags.tags().hashCode();
    }

    @Override
    public String toString() {
        return "ArcSeal[i=" + instance + ", cv=" + cv.tag() + ", d=" + domain + ", s=" + selector + "]";
    }
}
