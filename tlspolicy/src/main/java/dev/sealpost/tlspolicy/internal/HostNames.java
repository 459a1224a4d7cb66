package dev.sealpost.tlspolicy.internal;

import dev.sealpost.core.mail.Domain;

import java.util.Locale;
import java.util.Optional;

/** Host-name normalisation and the single-label wildcard match shared by MTA-STS and DANE. */
public final class HostNames {
    private HostNames() {}

    /** The A-label, lower-case form without a trailing dot, or empty when not a valid host name. */
    public static Optional<String> normalize(String host) {
        return host == null ? Optional.empty() : Domain.toAscii(host);
    }

    /**
     * Whether {@code host} matches {@code pattern}, ignoring case and a trailing dot. A pattern
     * {@code *.example.com} matches exactly one extra leftmost label: {@code mx.example.com}, but
     * not {@code example.com} nor {@code a.mx.example.com} (RFC 8461 §4.1, RFC 6125 §6.4.3 as
     * restricted by RFC 7672 §3.2.3). No partial-label wildcards ({@code mx*.example.com}).
     */
    public static boolean matches(String pattern, String host) {
        if (pattern == null || host == null) return false;
        String p = strip(pattern), h = strip(host);
        if (p.isEmpty() || h.isEmpty()) return false;
        if (p.startsWith("*.")) {
            String suffix = p.substring(1); // ".example.com"
            if (suffix.length() < 2 || suffix.indexOf('*') >= 0) return false;
            if (!h.endsWith(suffix)) return false;
            String first = h.substring(0, h.length() - suffix.length());
            return !first.isEmpty() && first.indexOf('.') < 0 && !first.equals("*");
        }
        if (p.indexOf('*') >= 0) return false;
        return p.equals(h);
    }

    private static String strip(String s) {
        String t = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        return t.toLowerCase(Locale.ROOT);
    }
}
