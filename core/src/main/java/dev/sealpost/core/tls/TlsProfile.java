package dev.sealpost.core.tls;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The server TLS profiles, after Mozilla's server-side TLS guidelines (version 5.7) and RFC 9325.
 * Each profile is a fixed list of protocol versions and cipher suites in our order of preference;
 * {@link ServerTls} keeps the ones the JDK supports.
 *
 * <p>No profile offers TLS 1.1 or older (RFC 8996 §2-§5), static RSA key exchange (RFC 9325
 * §4.1: no forward secrecy), finite-field DHE (RFC 9325 §4.1: Raccoon, and negotiation of the
 * group is unreliable; every client we serve with TLS 1.2 speaks ECDHE), 3DES, RC4, NULL, EXPORT
 * or anonymous suites (RFC 9325 §4.1).
 */
public enum TlsProfile {
    /** TLS 1.3 only (Mozilla "modern"): for listeners whose clients are all current. */
    MODERN(List.of("TLSv1.3"), List.of()),
    /**
     * The default (Mozilla "intermediate"): TLS 1.3, and TLS 1.2 with ECDHE and an AEAD cipher
     * only (RFC 9325 §4.2: the recommended suites, plus ChaCha20-Poly1305 per RFC 7905).
     */
    INTERMEDIATE(List.of("TLSv1.3", "TLSv1.2"), Suites.TLS12_AEAD),
    /**
     * Intermediate plus the TLS 1.2 ECDHE suites with AES-CBC, for old MTAs that deliver to our
     * port-25 MX: a sender that cannot negotiate falls back to cleartext (RFC 3207 §4 makes
     * STARTTLS opportunistic), which is worse than CBC. Never below TLS 1.2. Accepted only for the
     * MX listener ({@link #allowedOn}).
     */
    LEGACY(List.of("TLSv1.3", "TLSv1.2"), Suites.TLS12_LEGACY);

    private final List<String> protocols;
    private final List<String> cipherSuites;

    TlsProfile(List<String> protocols, List<String> tls12Suites) {
        this.protocols = protocols;
        this.cipherSuites = java.util.stream.Stream.concat(Suites.TLS13.stream(), tls12Suites.stream()).toList();
    }

    /** Protocol versions, newest first (JSSE names). */
    public List<String> protocols() {
        return protocols;
    }

    /** Cipher suites in our order of preference (JSSE names), before filtering by the JDK's support. */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** The name used in the configuration: "modern", "intermediate", "legacy". */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a configuration name (case-insensitive). */
    public static Optional<TlsProfile> of(String name) {
        for (TlsProfile p : values()) if (p.configName().equalsIgnoreCase(name.strip())) return Optional.of(p);
        return Optional.empty();
    }

    /** Whether this profile may be used on a listener: legacy only on the MX (port 25) listener. */
    public boolean allowedOn(boolean mxListener) {
        return this != LEGACY || mxListener;
    }

    private static final class Suites {
        /** RFC 8446 §B.4: all TLS 1.3 suites (all AEAD; the JDK negotiates them for TLS 1.3 only). */
        static final List<String> TLS13 = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
        /** ECDHE with AES-GCM or ChaCha20-Poly1305, ECDSA certificates first (smaller, faster), then RSA. */
        static final List<String> TLS12_AEAD = List.of(
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        /** The AEAD suites first, then ECDHE with AES-CBC (HMAC-SHA-2, then HMAC-SHA-1): never preferred. */
        static final List<String> TLS12_LEGACY = java.util.stream.Stream.concat(TLS12_AEAD.stream(), java.util.stream.Stream.of(
                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
                "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
                "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA")).toList();
    }
}
