package dev.sealpost.inbound;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.dkim.DkimAlgorithm;
import dev.sealpost.auth.dkim.DkimSigner;
import dev.sealpost.auth.dkim.DkimSigningKey;
import dev.sealpost.auth.dkim.SignOptions;
import dev.sealpost.auth.dmarc.FromDomain;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.smtp.server.MailTransaction;
import dev.sealpost.smtp.server.SessionInfo;
import dev.sealpost.store.Directory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
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
 * DKIM-signs what our users submit (RFC 6376 §5, RFC 8463): on the submission listeners, for an
 * authenticated session, every active key of the RFC 5322 From domain signs the message, so a
 * domain with an RSA and an Ed25519 key gets two DKIM-Signature fields (RFC 8463 §4 dual
 * signing; RSA on top, for verifiers that only look at the first signature).
 *
 * <p>No signature (and no error: the message is still accepted) when the listener is the MX,
 * nobody authenticated, the From field is missing, repeated, or names several domains
 * ({@link FromDomain}), the domain is not ours, or it has no active key. Keys come from the
 * {@link Directory} for each message, so a rotation takes effect at once; the parsed private
 * keys are cached by key id (a key row never changes its key material).
 */
public final class DkimSigningPolicy implements ContentPolicy {
    private static final Logger log = LoggerFactory.getLogger(DkimSigningPolicy.class);

    /** Messages larger than this are not signed (signing needs the whole message in memory). */
    public static final long MAX_SIGNED_SIZE = 64L * 1024 * 1024;
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

    /** Relaxed/relaxed, the RFC 6376 §5.4.1 headers with From, Subject, To and Date oversigned. */
    public DkimSigningPolicy(Directory directory, Clock clock) {
        this(directory, clock, SignOptions.DEFAULT);
    }

    public DkimSigningPolicy(Directory directory, Clock clock, SignOptions options) {
        this.directory = Objects.requireNonNull(directory);
        this.signer = new DkimSigner(clock);
        this.options = Objects.requireNonNull(options);
    }

    @Override
    public List<String> apply(SessionInfo session, MailTransaction tx, MessageContent content) throws IOException {
        // RFC 6376 §2.1: the signer is the ADMD that vouches for the message: our authenticated users only
        if (session.kind() == ListenerKind.MX || session.authenticatedUser() == null) return List.of();
        if (content.size() > MAX_SIGNED_SIZE) {
            log.warn("{} not DKIM-signed: message of {} bytes exceeds {}", session.sessionId(), content.size(), MAX_SIGNED_SIZE);
            return List.of();
        }
        byte[] bytes;
        try (InputStream in = content.open()) {
            bytes = in.readNBytes((int) MAX_SIGNED_SIZE + 1);
        }
        AuthMessage msg = AuthMessage.of(bytes);
        if (msg.headerLimitExceeded()) {
            log.info("{} not DKIM-signed: header section exceeds limits", session.sessionId());
            return List.of();
        }
        // RFC 6376 §5.4: the From field must be signed; RFC 7489 §3.1: its domain is the one that must align
        List<String> froms = msg.headers("From").stream().map(AuthMessage.HeaderField::value).toList();
        String domain;
        switch (FromDomain.extract(froms)) {
            case FromDomain.Single(String d) -> domain = d;
            case FromDomain.Failure(String reason) -> {
                log.info("{} not DKIM-signed: {}", session.sessionId(), reason);
                return List.of();
            }
        }
        List<Directory.DkimKey> active = new ArrayList<>(directory.signingKeys(domain));
        if (active.isEmpty()) {
            log.debug("{} not DKIM-signed: no active key for {}", session.sessionId(), domain);
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
                log.error("{} DKIM signing with {} failed", session.sessionId(), k, e);
            }
        }
        if (!fields.isEmpty()) {
            log.info("{} DKIM-signed d={} s={}", session.sessionId(), domain,
                    String.join(",", active.stream().map(Directory.DkimKey::selector).toList()));
        }
        return fields;
    }

    /** The key to sign with; empty (logged, without key material) when the stored key is unusable. */
    private Optional<DkimSigningKey> signingKey(Directory.DkimKey k) {
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
    int cachedKeys() {
        synchronized (keys) {
            return keys.size();
        }
    }
}
