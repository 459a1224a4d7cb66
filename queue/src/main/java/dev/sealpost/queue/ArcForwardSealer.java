package dev.sealpost.queue;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.arc.ArcOutcome;
import dev.sealpost.auth.arc.ArcResult;
import dev.sealpost.auth.arc.ArcSealOptions;
import dev.sealpost.auth.arc.ArcSealer;
import dev.sealpost.auth.arc.ArcVerifier;
import dev.sealpost.auth.dkim.DkimAlgorithm;
import dev.sealpost.auth.dkim.DkimSigningKey;
import dev.sealpost.dns.Resolver;
import dev.sealpost.store.Directory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * ARC-seals mail that we forward for others (an alias of ours pointing to another domain,
 * RFC 8617 §5.1): the next hop then sees, signed by us, what our checks found when the message
 * arrived (our Authentication-Results become the ARC-Authentication-Results), so a DMARC
 * failure caused by the forwarding can be overridden by a receiver that trusts us.
 * Sealed with the first active RSA key of {@code sealDomain} (Ed25519 ARC seals are not widely
 * verified yet).
 */
public final class ArcForwardSealer {
    private static final Logger log = LoggerFactory.getLogger(ArcForwardSealer.class);

    private final DomainDkimSigner keys;
    private final ArcVerifier verifier;
    private final ArcSealer sealer;
    private final String authservId;
    private final String sealDomain;

    /**
     * @param sealDomain our domain whose DKIM key seals (its selector's record is published), or null for no sealing
     */
    public ArcForwardSealer(DomainDkimSigner keys, Resolver resolver, Clock clock, String authservId, String sealDomain) {
        this.keys = keys;
        this.verifier = new ArcVerifier(resolver, clock);
        this.sealer = new ArcSealer(clock);
        this.authservId = authservId;
        this.sealDomain = sealDomain;
    }

    /**
     * The queue hook: our own generated mail is DKIM-signed ({@link DomainDkimSigner#outboundSigner}),
     * mail that came from another server and leaves again is ARC-sealed, and user submissions
     * (already DKIM-signed at submission) are left as they are.
     */
    public OutboundSigner outboundSigner() {
        OutboundSigner dkim = keys.outboundSigner();
        return (message, content) -> {
            if (message.authUser() != null) return new byte[0];
            if (message.clientAddress() == null) return dkim.headers(message, content);
            if (sealDomain == null) return new byte[0];
            byte[] bytes;
            try (InputStream in = content.open()) {
                bytes = in.readAllBytes();
            }
            return seal(AuthMessage.of(bytes), "queue id=" + message.id());
        };
    }

    /** The ARC set to prepend (ARC-Seal, ARC-Message-Signature, ARC-Authentication-Results, CRLF-terminated), or none. */
    byte[] seal(AuthMessage msg, String logId) {
        Optional<DkimSigningKey> key = keys.directory().signingKeys(sealDomain).stream()
                .filter(k -> k.algorithm().equals(DkimAlgorithm.RSA_SHA256.tag()))
                .findFirst().flatMap(keys::signingKey);
        if (key.isEmpty()) {
            log.debug("{} not ARC-sealed: no active RSA key for {}", logId, sealDomain);
            return new byte[0];
        }
        ArcOutcome chain = verifier.verify(msg);
        ArcResult cv = chain.instances() == 0 ? ArcResult.NONE : chain.cv();
        if (cv == ArcResult.FAIL) {
            // RFC 8617 §5.1.2: a failed chain gets no further sets from us that claim to extend it
            log.info("{} not ARC-sealed: incoming chain failed ({})", logId, chain.reason());
            return new byte[0];
        }
        // RFC 8617 §4.1.1: the AAR carries our Authentication-Results for the message
        String results = ArcSealer.consolidateResults(msg, authservId).orElse("none");
        ArcSealer.Outcome o = sealer.seal(msg, authservId, results, cv, key.get(), ArcSealOptions.DEFAULT);
        if (o instanceof ArcSealer.Sealed(var set)) {
            StringBuilder b = new StringBuilder();
            for (String f : set.fields()) b.append(f).append("\r\n");
            log.info("{} ARC-sealed i={} d={}", logId, set.instance(), sealDomain);
            return b.toString().getBytes(StandardCharsets.UTF_8);
        }
        log.info("{} not ARC-sealed: {}", logId, ((ArcSealer.Refused) o).reason());
        return new byte[0];
    }
}
