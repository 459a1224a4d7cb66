package dev.sealpost.inbound;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.MessageAuthenticator;
import dev.sealpost.auth.results.AuthenticationResults;
import dev.sealpost.core.net.Cidr;
import dev.sealpost.smtp.proto.SmtpRejection;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.smtp.server.MailTransaction;
import dev.sealpost.smtp.server.SessionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.List;

/**
 * Sender authentication at the MX: SPF (HELO and MAIL FROM), DKIM, iprev and DMARC on every
 * message, one Authentication-Results field on top (RFC 8601), forged ones with our
 * authserv-id removed (RFC 8601 §5), DMARC {@code p=reject} answered with 550 5.7.1
 * before "250" (RFC 7489 §6.3, §7.3 / DMARCbis: reject during the SMTP transaction) and
 * {@code p=quarantine} filed into the recipient's Junk mailbox.
 */
public final class AuthenticationPolicy implements ContentPolicy {
    private static final Logger log = LoggerFactory.getLogger(AuthenticationPolicy.class);

    /**
     * @param enforceReject answer DMARC p=reject with 550 (config {@code auth.dmarc_reject}); when false, only report
     * @param forwarders    clients whose mail is never refused for DMARC (known forwarders and
     *                      mailing lists that break alignment), as CIDRs (config {@code auth.trusted_forwarders})
     */
    public record Settings(boolean enforceReject, List<Cidr> forwarders) {}

    private final MessageAuthenticator authenticator;
    private final String authservId;
    private final Settings settings;

    public AuthenticationPolicy(MessageAuthenticator authenticator, String authservId, Settings settings) {
        this.authenticator = authenticator;
        this.authservId = authservId;
        this.settings = settings;
    }

    @Override
    public List<String> apply(SessionInfo session, MailTransaction tx, MessageContent content) throws SmtpRejection, IOException {
        // submission is authenticated by AUTH; the checks are for mail from other MTAs
        if (session.kind() != ListenerKind.MX) return List.of();
        byte[] bytes;
        try (InputStream in = content.open()) {
            bytes = in.readAllBytes();
        }
        InetAddress ip = session.remote().getAddress();
        String mailFrom = tx.reversePath() == null ? "" : tx.reversePath().toString();
        MessageAuthenticator.Verdict v = authenticator.authenticate(ip, session.helo(), mailFrom, AuthMessage.of(bytes));
        log.info("{} auth: spf={} dkim={} arc={} dmarc={} from={} disposition={}{}", session.sessionId(),
                v.spf().result().keyword(), v.dkim().stream().map(d -> d.status().word()).toList(), v.arc().cv().tag(),
                v.dmarc().result().keyword(), v.dmarc().fromDomain(), v.disposition(),
                v.arcOverride() ? " (DMARC failure overridden by trusted ARC sealer " + v.arc().newestSealer() + ")" : "");
        if (v.disposition() == MessageAuthenticator.Disposition.REJECT && settings.enforceReject()) {
            boolean forwarder = settings.forwarders().stream().anyMatch(c -> c.contains(ip));
            if (!forwarder) {
                // RFC 7489 §6.3 / §10.3: refuse in the SMTP transaction, with 5.7.1
                throw new SmtpRejection(550, "5.7.1", "Message rejected: DMARC policy of " + v.dmarc().policyDomain()
                        + " says reject (From " + v.dmarc().fromDomain() + " is not authenticated)");
            }
            log.info("{} DMARC reject not applied: {} is a trusted forwarder", session.sessionId(), ip.getHostAddress());
        }
        if (v.disposition() == MessageAuthenticator.Disposition.QUARANTINE) {
            // RFC 7489 §6.3 p=quarantine: accept, but treat as suspicious: the recipient's Junk folder
            content.fileInto("\\Junk");
        }
        return List.of(v.header().toHeaderField());
    }

    @Override
    public boolean removeHeader(SessionInfo session, String name, String value) {
        // RFC 8601 §5: remove Authentication-Results fields that claim our authserv-id, so that a
        // sender cannot plant results our users (and their clients) would trust
        return session.kind() == ListenerKind.MX && name.equalsIgnoreCase("Authentication-Results")
                && AuthenticationResults.isOurs(value, authservId);
    }
}
