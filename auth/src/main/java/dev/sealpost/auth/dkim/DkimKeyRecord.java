package dev.sealpost.auth.dkim;

import dev.sealpost.auth.TagList;

import java.security.PublicKey;
import java.util.List;
import java.util.Locale;

/**
 * A parsed DKIM key record (RFC 6376 §3.6.1, RFC 8463 §4.2).
 *
 * @param keyType      {@code k=} (default {@code rsa}): {@code rsa} or {@code ed25519}
 * @param publicKey    the key, or null when revoked ({@code p=} empty)
 * @param keyBits      RSA modulus size, 256 for Ed25519, 0 when revoked
 * @param hashes       {@code h=} acceptable hash algorithms, empty meaning all
 * @param services     {@code s=} service types (default {@code *}), lower-case
 * @param testing      {@code t=y}: the domain is testing DKIM
 * @param strictIdentity {@code t=s}: {@code i=} must be in exactly {@code d=}, not a subdomain
 */
public record DkimKeyRecord(String keyType, PublicKey publicKey, int keyBits, List<String> hashes,
                            List<String> services, boolean testing, boolean strictIdentity) {

    /** The outcome of {@link #parse}. */
    public sealed interface Result permits Parsed, Invalid {}

    /** A usable (or revoked) record. */
    public record Parsed(DkimKeyRecord record) implements Result {}

    /** A record that cannot be used, with the reason. */
    public record Invalid(String reason) implements Result {}

    /** True when {@code p=} was empty: the key is revoked (RFC 6376 §3.6.1). */
    public boolean revoked() {
        return publicKey == null;
    }

    /** True when the record allows the hash algorithm ({@code h=} absent allows all). */
    public boolean allowsHash(String hash) {
        return hashes.isEmpty() || hashes.stream().anyMatch(h -> h.equalsIgnoreCase(hash));
    }

    /** True when the record may sign ordinary email: {@code s=} has {@code *} or {@code email}. */
    public boolean forEmail() {
        return services.contains("*") || services.contains("email");
    }

    /** True when the record may sign TLS-RPT reports (RFC 8460 §3): {@code *}, {@code email} or {@code tlsrpt}. */
    public boolean forTlsRpt() {
        return forEmail() || services.contains("tlsrpt");
    }

    /** Parses a key record (the TXT strings joined); never throws. */
    public static Result parse(String text) {
        TagList tags;
        switch (TagList.parse(text)) {
            case TagList.Invalid(String reason) -> {
                return new Invalid("malformed key record: " + reason);
            }
            case TagList.Parsed(TagList t) -> tags = t;
        }
        // RFC 6376 §3.6.1 v=: if present, "DKIM1". Leniency: we accept it in any position, not only first.
        if (tags.has("v") && !tags.get("v").orElseThrow().equals("DKIM1")) return new Invalid("key record version is not DKIM1");
        String k = tags.get("k").orElse("rsa").toLowerCase(Locale.ROOT);
        if (!k.equals("rsa") && !k.equals("ed25519")) return new Invalid("unknown key type k=" + k);
        if (!tags.has("p")) return new Invalid("key record has no p=");
        String p = TagList.stripWhitespace(tags.get("p").orElseThrow());
        List<String> hashes = tags.get("h").map(TagList::splitColon).orElse(List.of()).stream()
                .map(s -> s.toLowerCase(Locale.ROOT)).toList();
        List<String> services = tags.get("s").map(TagList::splitColon).orElse(List.of("*")).stream()
                .map(s -> s.toLowerCase(Locale.ROOT)).toList();
        List<String> flags = tags.get("t").map(TagList::splitColon).orElse(List.of());
        boolean testing = flags.contains("y");
        boolean strict = flags.contains("s");
        if (p.isEmpty()) return new Parsed(new DkimKeyRecord(k, null, 0, hashes, services, testing, strict));
        byte[] der = DkimSignature.base64(p);
        if (der == null) return new Invalid("p= is not base64");
        DkimKeys.Decoded decoded = k.equals("rsa") ? DkimKeys.rsaPublicKey(der) : DkimKeys.ed25519PublicKey(der);
        if (decoded.key() == null) return new Invalid("unparsable public key: " + decoded.error());
        return new Parsed(new DkimKeyRecord(k, decoded.key(), decoded.bits(), hashes, services, testing, strict));
    }
}
