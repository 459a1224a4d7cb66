package dev.sealpost.web;

import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Web Key Directory hosting (draft-koch-openpgp-webkey-service §3.1), a {@link WebServer.Route}
 * for {@code /.well-known/openpgpkey/}, HTTPS only:
 * <ul>
 *   <li>advanced method, {@code Host: openpgpkey.<d>}: {@code /.well-known/openpgpkey/<d>/hu/<hash>}
 *       and {@code /.well-known/openpgpkey/<d>/policy};</li>
 *   <li>direct method, {@code Host: <d>}: {@code /.well-known/openpgpkey/hu/<hash>} and
 *       {@code /.well-known/openpgpkey/policy}.</li>
 * </ul>
 * {@code <d>} must be a local domain; {@code <hash>} is the 32-character z-base-32 SHA-1 of the
 * lower-cased local part, and the {@code l=} query parameter is not needed (the hash names the
 * key). The key is the binary transferable public key ({@code application/octet-stream}); an
 * unknown hash, a non-local domain or a mismatched Host is 404. The policy file is empty (no
 * options: §4.5). Untrusted input is only the path and Host, matched against fixed shapes.
 */
public final class WkdHosting implements WebServer.Route {
    /** The path prefix to register the route under. */
    public static final String PREFIX = "/.well-known/openpgpkey/";

    /** The published key of a local domain's address with that WKD hash (binary OpenPGP certificate), if any. */
    @FunctionalInterface
    public interface KeyLookup {
        Optional<byte[]> key(String domain, String hash);
    }

    private final Predicate<String> localDomain;
    private final KeyLookup lookup;

    /** @param localDomain whether an A-label, lower-case domain is one of ours */
    public WkdHosting(Predicate<String> localDomain, KeyLookup lookup) {
        this.localDomain = localDomain;
        this.lookup = lookup;
    }

    @Override
    public Optional<WebServer.Reply> answer(WebServer.Request r) {
        if (!r.secure() || r.host().isEmpty()) return Optional.of(notFound()); // the draft's URLs are https only
        String host = r.host().get();
        String rest = r.rawPath().substring(PREFIX.length());
        String domain;
        if (host.startsWith("openpgpkey.")) {
            // advanced method: the domain is in the path and must be the Host's
            domain = host.substring("openpgpkey.".length());
            if (!rest.startsWith(domain + "/")) return Optional.of(notFound());
            rest = rest.substring(domain.length() + 1);
        } else {
            domain = host;
        }
        if (!localDomain.test(domain)) return Optional.of(notFound());
        if (rest.equals("policy")) {
            return Optional.of(new WebServer.Reply(200, "text/plain; charset=utf-8", new byte[0], Map.of("Access-Control-Allow-Origin", "*")));
        }
        if (!rest.startsWith("hu/") || !isHash(rest.substring(3))) return Optional.of(notFound());
        Optional<byte[]> key = lookup.key(domain, rest.substring(3));
        if (key.isEmpty()) return Optional.of(notFound());
        // §3.1: the binary key; the draft asks for CORS so that web mail clients can fetch it
        return Optional.of(new WebServer.Reply(200, "application/octet-stream", key.get(),
                Map.of("Access-Control-Allow-Origin", "*", "Cache-Control", "max-age=3600")));
    }

    /** 32 characters of the z-base-32 alphabet (the encoding of a 160-bit SHA-1). */
    static boolean isHash(String s) {
        if (s.length() != 32) return false;
        for (int i = 0; i < 32; i++) {
            if ("ybndrfg8ejkmcpqxot1uwisza345h769".indexOf(s.charAt(i)) < 0) return false;
        }
        return true;
    }

    private static WebServer.Reply notFound() {
        return new WebServer.Reply(404, "text/plain; charset=utf-8", "not found\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), Map.of("Cache-Control", "no-store"));
    }
}
