package dev.sealpost.inbound;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.dkim.SignOptions;
import dev.sealpost.queue.DomainDkimSigner;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.smtp.server.MailTransaction;
import dev.sealpost.smtp.server.SessionInfo;
import dev.sealpost.store.Directory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

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

    private final DomainDkimSigner signer;

    /** Relaxed/relaxed, the RFC 6376 §5.4.1 headers with From, Subject, To and Date oversigned. */
    public DkimSigningPolicy(Directory directory, Clock clock) {
        this(directory, clock, SignOptions.DEFAULT);
    }

    public DkimSigningPolicy(Directory directory, Clock clock, SignOptions options) {
        this(new DomainDkimSigner(directory, clock, options));
    }

    public DkimSigningPolicy(DomainDkimSigner signer) {
        this.signer = Objects.requireNonNull(signer);
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
        return signer.sign(AuthMessage.of(bytes), session.sessionId());
    }

    /** How many parsed keys are cached (for tests). */
    int cachedKeys() {
        return signer.cachedKeys();
    }
}
