package dev.sealpost.smtp.client;

import dev.sealpost.core.mail.Domain;

import java.net.InetAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Server identity check (RFC 6125 §6) of a certificate against the name we connected to: DNS
 * subjectAltNames, with a wildcard only as the whole left-most label (RFC 6125 §6.4.3, and
 * RFC 8461 §4.1 for MTA-STS), and IP subjectAltNames for address literals.
 *
 * <p>Decision: the subject common name is never used (RFC 6125 §6.4.4 allows it only without
 * DNS names; every public CA has put the name in subjectAltName for years).
 */
final class CertificateNames {
    private CertificateNames() {}

    static boolean matches(X509Certificate cert, String name) {
        String host = name.strip();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (host.regionMatches(true, 0, "IPv6:", 0, 5)) host = host.substring(5);
        InetAddress ip = literal(host);
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (sans == null) return false;
        String ascii = null;
        if (ip == null) {
            Optional<String> a = Domain.toAscii(host.endsWith(".") ? host.substring(0, host.length() - 1) : host);
            if (a.isEmpty()) return false;
            ascii = a.get().toLowerCase(Locale.ROOT);
        }
        for (List<?> san : sans) {
            if (san.size() < 2 || !(san.get(0) instanceof Integer type) || !(san.get(1) instanceof String value)) continue;
            if (ip != null && type == 7) {
                InetAddress v = literal(value);
                if (ip.equals(v)) return true;
            } else if (ip == null && type == 2 && dnsMatch(value, ascii)) {
                return true;
            }
        }
        return false;
    }

    static boolean dnsMatch(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        if (p.endsWith(".")) p = p.substring(0, p.length() - 1);
        if (p.equals(host)) return true;
        if (!p.startsWith("*.")) return false;
        String rest = p.substring(2);
        if (rest.indexOf('.') < 0 || rest.contains("*")) return false; // never "*.com"
        int dot = host.indexOf('.');
        return dot > 0 && host.substring(dot + 1).equals(rest);
    }

    private static InetAddress literal(String s) {
        try {
            return InetAddress.ofLiteral(s); // never resolves
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
