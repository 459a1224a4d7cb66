package dev.sealpost.queue;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.dkim.DkimAlgorithm;
import dev.sealpost.auth.dkim.DkimSigner;
import dev.sealpost.auth.dkim.DkimSigningKey;
import dev.sealpost.auth.dkim.SignOptions;
import dev.sealpost.auth.dmarc.FromDomain;
import dev.sealpost.store.Directory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * DKIM-signs a message for its RFC 5322 From domain with every active key the directory holds
 * for that domain (RSA first, then Ed25519: dual signing). Shared by submission (the inbound
 * {@code DkimSigningPolicy}) and by mail we generate ourselves (DSNs, DMARC and TLS-RPT reports,
 * {@link #outboundSigner}). Keys are read from the directory for each message, so a rotation
 * takes effect at once; parsed private keys are cached by key id.
 */
public final class DomainDkimSigner {
    private static final Logger log = LoggerFactory.getLogger(DomainDkimSigner.class);

    /** Parsed private keys kept, by key id. */
    static final int KEY_CACHE_SIZE = 256;

    private final Directory directory;
    private final DkimSigner signer;
    private final SignOptions options;
    private final Map<Long, PrivateKey> keys = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, PrivateKey> eldest) {
            return size() > KEY_CACHE_SIZE;
        }
    };

    public DomainDkimSigner(Directory directory, Clock clock, SignOptions options) {
        this.directory = Objects.requireNonNull(directory);
        this.signer = new DkimSigner(clock);
        this.options = Objects.requireNonNull(options);
    }

    /**
     * The DKIM-Signature fields for {@code msg}, each complete and ending in CRLF; empty when the
     * From domain has no active key or the message cannot be signed (logged with {@code logId}).
     */
    public List<String> sign(AuthMessage msg, String logId) {
        if (msg.headerLimitExceeded()) {
            log.info("{} not DKIM-signed: header section exceeds limits", logId);
            return List.of();
        }
        // RFC 6376 §5.4: the From field must be signed; RFC 7489 §3.1: its domain is the one that must align
        List<String> froms = msg.headers("From").stream().map(AuthMessage.HeaderField::value).toList();
        String domain;
        switch (FromDomain.extract(froms)) {
            case FromDomain.Single(String d) -> domain = d;
            case FromDomain.Failure(String reason) -> {
                log.info("{} not DKIM-signed: {}", logId, reason);
                return List.of();
            }
        }
        List<Directory.DkimKey> active = new ArrayList<>(directory.signingKeys(domain));
        if (active.isEmpty()) {
            log.debug("{} not DKIM-signed: no active key for {}", logId, domain);
            return List.of();
        }
        // RFC 8463 §4 leaves the order open: RSA first, for verifiers that only evaluate one signature
        active.sort(Comparator.comparingInt(k -> k.algorithm().equals(DkimAlgorithm.RSA_SHA256.tag()) ? 0 : 1));
        List<String> fields = new ArrayList<>(active.size());
        for (Directory.DkimKey k : active) {
            Optional<DkimSigningKey> key = signingKey(k);
            if (key.isEmpty()) continue;
            try {
                // ContentPolicy: each field complete and ending in CRLF (DkimSigner leaves the CRLF off)
                fields.add(signer.sign(msg, key.get(), options) + "\r\n");
            } catch (RuntimeException e) {
                log.error("{} DKIM signing with {} failed", logId, k, e);
            }
        }
        if (!fields.isEmpty()) {
            log.info("{} DKIM-signed d={} s={}", logId, domain,
                    String.join(",", active.stream().map(Directory.DkimKey::selector).toList()));
        }
        return fields;
    }

    /** The key to sign with; empty (logged, without key material) when the stored key is unusable. */
    public Optional<DkimSigningKey> signingKey(Directory.DkimKey k) {
        Optional<DkimAlgorithm> alg = DkimAlgorithm.fromTag(k.algorithm());
        if (alg.isEmpty() || alg.get() == DkimAlgorithm.RSA_SHA1) {
            log.error("DKIM key {} has an unusable algorithm", k);
            return Optional.empty();
        }
        PrivateKey pk;
        synchronized (keys) {
            pk = keys.get(k.id());
        }
        try {
            if (pk == null) {
                String type = alg.get() == DkimAlgorithm.ED25519_SHA256 ? "Ed25519" : "RSA";
                pk = KeyFactory.getInstance(type).generatePrivate(new PKCS8EncodedKeySpec(k.privateKeyPkcs8()));
                synchronized (keys) {
                    keys.put(k.id(), pk);
                }
            }
            return Optional.of(new DkimSigningKey(k.domain(), k.selector(), pk, alg.get()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // never the exception's own text: a parser message could quote key bytes
            log.error("DKIM key {} is unusable ({}): not signing with it", k, e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /** How many parsed keys are cached (for tests). */
    public int cachedKeys() {
        synchronized (keys) {
            return keys.size();
        }
    }

    /**
     * The queue's before-first-attempt hook for mail we generate ourselves (no SMTP client and
     * no authenticated user: DSNs, DMARC and TLS-RPT reports): RFC 8460 §3 requires TLS-RPT
     * report mail to be DKIM-signed, and receivers trust signed DMARC reports. Mail relayed for
     * others is never signed here (it is not ours to vouch for).
     */
    /** The directory the keys come from. */
    Directory directory() {
        return directory;
    }

    public OutboundSigner outboundSigner() {
        return (message, content) -> {
            if (message.clientAddress() != null || message.authUser() != null) return new byte[0];
            byte[] bytes;
            try (java.io.InputStream in = content.open()) {
                bytes = in.readAllBytes();
            }
            List<String> fields = sign(AuthMessage.of(bytes), "queue id=" + message.id());
            return String.join("", fields).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        };
    }
}
