package dev.sealpost.app.acme;

import dev.sealpost.app.tls.TlsFiles;

import java.security.KeyStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The answers to ACME validations while an order is pending: HTTP-01 key authorizations by token
 * (RFC 8555 §8.3) and TLS-ALPN-01 certificates by host name (RFC 8737 §3). Shared by the renewal
 * service (which adds and removes) and the listeners (which read).
 */
public final class AcmeChallenges implements TlsFiles.AlpnChallenges {
    private final Map<String, String> http = new ConcurrentHashMap<>();
    private final Map<String, KeyStore.PrivateKeyEntry> alpn = new ConcurrentHashMap<>();

    /** The key authorization for an HTTP-01 token, or empty. */
    public Optional<String> httpKeyAuthorization(String token) {
        return Optional.ofNullable(http.get(token));
    }

    @Override
    public KeyStore.PrivateKeyEntry forName(String name) {
        return alpn.get(name);
    }

    void putHttp(String token, String keyAuthorization) {
        http.put(token, keyAuthorization);
    }

    void removeHttp(String token) {
        http.remove(token);
    }

    void putAlpn(String name, KeyStore.PrivateKeyEntry entry) {
        alpn.put(name, entry);
    }

    void removeAlpn(String name) {
        alpn.remove(name);
    }

    /** How many answers are published now (tests: zero once an order is settled). */
    public int pending() {
        return http.size() + alpn.size();
    }
}
