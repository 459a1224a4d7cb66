package dev.sealpost.inbound.secure;

import dev.sealpost.inbound.ContentPolicy;
import dev.sealpost.inbound.MessageContent;
import dev.sealpost.message.Address;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.secure.openpgp.AutocryptHeader;
import dev.sealpost.secure.openpgp.OpenPgpException;
import dev.sealpost.secure.openpgp.OpenPgpKeys;
import dev.sealpost.secure.openpgp.PgpMime;
import dev.sealpost.secure.smime.SmimeEncryptor;
import dev.sealpost.secure.smime.SmimeSigner;
import dev.sealpost.smtp.proto.SmtpRejection;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.smtp.server.MailTransaction;
import dev.sealpost.smtp.server.SessionInfo;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The outbound half of the gateway (issue 13, docs/keys.md "Policy"), at submission, after AUTH
 * and before the message is stored and queued: runs before DKIM signing, so DKIM signs the
 * finished (signed or encrypted) message.
 *
 * <ol>
 * <li>The encryption tag: a Subject containing {@code secure.subject_tag} ({@code [secure]}) or
 *     a {@value #TAG_HEADER} field asks for encryption; both are removed before sending.</li>
 * <li>The level: the sender's policy (address, domain, default {@code tagged}), raised by any
 *     recipient's rule; a tag makes it {@code required} (and is refused under {@code never}).</li>
 * <li>The format: one for all recipients (the message is stored once): S/MIME when every
 *     recipient has a certificate, else OpenPGP when every one has a key; where both would do,
 *     the one the sender has a key of. Encrypted to every envelope recipient and to the sender.</li>
 * <li>{@code required} without a format: 550 5.7.5 naming the recipients without a key (RFC 3463
 *     §3.8 X.7.5: "cryptographic failure ... key was not available"); nothing is queued.
 *     {@code when-possible} without one: sent in clear.</li>
 * <li>Signing ({@code sign always}) with the sender's key of the chosen format (S/MIME
 *     multipart/signed then enveloped, RFC 8551; PGP/MIME signed inside the encryption, RFC 3156
 *     §6.2), or when not encrypting: S/MIME if the sender has a certificate, else OpenPGP.</li>
 * <li>Autocrypt (Level 1 §2.1): one {@code Autocrypt:} field with the sender's OpenPGP
 *     certificate when the sender has a key and the client did not add one.</li>
 * </ol>
 * Keys are those of the authenticated account, used only when the From address is that account.
 */
public final class SubmissionSecurity implements ContentPolicy {
    private static final Logger log = LoggerFactory.getLogger(SubmissionSecurity.class);

    /** The header field that asks for encryption like the subject tag (removed before sending). */
    public static final String TAG_HEADER = "X-Sealpost-Encrypt";
    /** Larger messages are passed on untouched (the crypto needs them in memory), unless encryption is required. */
    public static final long MAX_SIZE = 64L * 1024 * 1024;

    /** The format a message is encrypted or signed in. */
    public enum Format { SMIME, OPENPGP }

    private final SecureKeys keys;
    private final String subjectTag;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final dev.sealpost.inbound.secure.discovery.KeyDiscovery discovery;
    private final java.time.Duration discoveryBudget;

    /** The time key discovery may take for one message, all recipients together. */
    public static final java.time.Duration DISCOVERY_BUDGET = java.time.Duration.ofSeconds(15);

    /**
     * @param subjectTag the Subject tag that asks for encryption ({@code secure.subject_tag}); "" for none
     */
    public SubmissionSecurity(SecureKeys keys, String subjectTag, Clock clock) {
        this(keys, subjectTag, clock, null, DISCOVERY_BUDGET);
    }

    /**
     * @param discovery finds the keys of remote recipients that have none (WKD, OPENPGPKEY, SMIMEA); null: none
     * @param discoveryBudget the time discovery may take per message
     */
    public SubmissionSecurity(SecureKeys keys, String subjectTag, Clock clock, dev.sealpost.inbound.secure.discovery.KeyDiscovery discovery,
                              java.time.Duration discoveryBudget) {
        this.keys = keys;
        this.subjectTag = subjectTag == null ? "" : subjectTag.strip();
        this.clock = clock;
        this.discovery = discovery;
        this.discoveryBudget = discoveryBudget;
    }

    /**
     * Key discovery for the remote recipients that have no usable key (or only a discovered one
     * due for refresh), within one budget for the message (issue 13, docs/keys.md "Discovery").
     */
    private void discover(String sessionId, List<String> recipients) {
        if (discovery == null) return;
        long deadline = System.nanoTime() + discoveryBudget.toNanos();
        for (String r : recipients) {
            if (keys.isLocal(r)) continue;
            boolean usable = keys.openPgpFor(r).isPresent() || keys.smimeFor(r).isPresent();
            boolean stale = usable && keys.store().peers(r).stream().anyMatch(discovery::stale);
            if (usable && !stale) continue;
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                log.info("{} secure: key discovery out of time before <{}>", sessionId, r);
                return;
            }
            try {
                boolean found = discovery.discoverIfDue(r, java.time.Duration.ofNanos(left));
                log.info("{} secure: key discovery for <{}>: {}", sessionId, r, found ? "found" : "nothing");
            } catch (RuntimeException e) {
                log.warn("{} secure: key discovery for <{}> failed: {}", sessionId, r, e.toString());
            }
        }
    }

    /** What the policy decided for one message (for the log and the tests). */
    public record Decision(Format encryptedAs, Format signedAs, boolean autocrypt, boolean tagged) {}

    @Override
    public List<String> apply(SessionInfo session, MailTransaction tx, MessageContent content) throws SmtpRejection, IOException {
        if (session.kind() == ListenerKind.MX || session.authenticatedUser() == null) return List.of();
        if (content.size() > MAX_SIZE) {
            log.warn("{} secure: message of {} octets not signed or encrypted (more than {})", session.sessionId(), content.size(), MAX_SIZE);
            return List.of();
        }
        byte[] bytes;
        try (InputStream in = content.open()) {
            bytes = in.readAllBytes();
        }
        List<String> rcpts = tx.recipients().stream().map(r -> r.address().canonical()).distinct().toList();
        Result r = process(session.sessionId(), session.authenticatedUser(), rcpts, bytes);
        if (r.message() != bytes) content.replace(r.message());
        return List.of();
    }

    /** The processed message and the decision. */
    public record Result(byte[] message, Decision decision) {}

    /**
     * Applies the policy to one submitted message of {@code authUser} for {@code recipients}.
     *
     * @throws SmtpRejection when encryption is required and cannot be done
     */
    public Result process(String sessionId, String authUser, List<String> recipients, byte[] message) throws SmtpRejection {
        HeaderBlock h = HeaderBlock.parse(message);
        String user = authUser.toLowerCase(Locale.ROOT);
        String from = fromAddress(message);
        boolean own = from != null && from.equals(user) && keys.isLocal(user);
        // the tag: in the Subject or a header field; removed in every case
        boolean tagged = false;
        List<HeaderBlock.Field> fields = new ArrayList<>();
        for (HeaderBlock.Field f : h.fields) {
            if (f.is(TAG_HEADER)) {
                String v = f.value().toLowerCase(Locale.ROOT);
                tagged |= !(v.equals("no") || v.equals("false") || v.equals("0"));
                continue;
            }
            if (f.is("Subject") && !subjectTag.isEmpty()) {
                String raw = f.raw();
                int at = raw.toLowerCase(Locale.ROOT).indexOf(subjectTag.toLowerCase(Locale.ROOT), raw.indexOf(':') + 1);
                if (at >= 0) {
                    tagged = true;
                    String rest = raw.substring(at + subjectTag.length());
                    String before = raw.substring(0, at);
                    // "Subject: [secure] Hello" -> "Subject: Hello"
                    if (before.endsWith(" ") && rest.startsWith(" ")) rest = rest.substring(1);
                    fields.add(new HeaderBlock.Field(f.name(), before + rest));
                    continue;
                }
            }
            fields.add(f);
        }
        h = h.with(fields);

        SecurePolicy policy = SecurePolicy.of(keys.store(), user); // the authenticated account's, whatever From says
        SecurePolicy.Encrypt level = policy.encrypt();
        for (String r : recipients) {
            Optional<SecurePolicy.Encrypt> rule = SecurePolicy.recipientRule(keys.store(), r);
            if (rule.isPresent() && rule.get().compareTo(level) > 0) level = rule.get();
        }
        if (tagged && level == SecurePolicy.Encrypt.NEVER) {
            throw new SmtpRejection(550, "5.7.5", "encryption is turned off for <" + user + "> (policy encrypt never):"
                    + " remove the " + (subjectTag.isEmpty() ? TAG_HEADER + " field" : subjectTag + " tag") + " to send it unencrypted");
        }
        if (tagged) level = SecurePolicy.Encrypt.REQUIRED;
        // a client that signed or encrypted itself (Thunderbird, Outlook with their own keys): left as it is,
        // neither signed nor encrypted again (an encrypted message meets "required")
        String ct = h.value("Content-Type");
        String type = ct == null ? "" : ct.toLowerCase(Locale.ROOT).split(";", 2)[0].strip();
        boolean clientSecured = type.equals("multipart/signed") || type.equals("multipart/encrypted")
                || type.equals("application/pkcs7-mime") || type.equals("application/x-pkcs7-mime");
        if (clientSecured && level == SecurePolicy.Encrypt.REQUIRED && type.equals("multipart/signed")) {
            throw new SmtpRejection(550, "5.7.5", "Encryption required, message not sent: it is signed by the client,"
                    + " so the server cannot encrypt it; encrypt it in the client or send it unsigned");
        }
        if (clientSecured) level = SecurePolicy.Encrypt.NEVER;
        boolean encrypt = level == SecurePolicy.Encrypt.WHEN_POSSIBLE || level == SecurePolicy.Encrypt.REQUIRED;

        // the sender's keys (only for its own From address); private parts are opened only to sign
        boolean sign = policy.sign() == SecurePolicy.Sign.ALWAYS && !clientSecured;
        Optional<OpenPGPCertificate> pgpCert = own ? keys.ownOpenPgpCertificate(user) : Optional.empty();
        Optional<X509Certificate> smimeCert = own ? keys.smimeFor(user) : Optional.empty();
        Optional<SecureKeys.SmimeIdentity> smimeId = own && sign && smimeCert.isPresent() ? keys.ownSmime(user) : Optional.empty();
        Optional<OpenPGPKey> pgpKey = own && sign && pgpCert.isPresent() ? keys.ownOpenPgp(user) : Optional.empty();

        // Autocrypt Level 1 §2.1: one header, addr = From, the sender's certificate; a client's own header wins
        boolean autocrypt = false;
        if (pgpCert.isPresent() && h.values("Autocrypt").isEmpty()) {
            try {
                byte[] cert = OpenPgpKeys.encode(pgpCert.get(), false);
                boolean mutual = policy.encrypt() == SecurePolicy.Encrypt.WHEN_POSSIBLE || policy.encrypt() == SecurePolicy.Encrypt.REQUIRED;
                h = h.plus(new AutocryptHeader(user, mutual, cert).field());
                autocrypt = true;
            } catch (IOException e) {
                log.warn("{} secure: Autocrypt header not added: {}", sessionId, e.toString());
            }
        }

        Format encryptAs = null;
        Map<String, X509Certificate> smimeCerts = new LinkedHashMap<>();
        Map<String, OpenPGPCertificate> pgpCerts = new LinkedHashMap<>();
        if (encrypt) {
            discover(sessionId, recipients);
            List<String> noSmime = new ArrayList<>();
            List<String> noPgp = new ArrayList<>();
            for (String r : recipients) {
                keys.smimeFor(r).ifPresentOrElse(c -> smimeCerts.put(r, c), () -> noSmime.add(r));
                keys.openPgpFor(r).ifPresentOrElse(c -> pgpCerts.put(r, c), () -> noPgp.add(r));
            }
            boolean smimeOk = noSmime.isEmpty() && !recipients.isEmpty();
            boolean pgpOk = noPgp.isEmpty() && !recipients.isEmpty();
            if (smimeOk && pgpOk) encryptAs = smimeCert.isEmpty() && pgpCert.isPresent() ? Format.OPENPGP : Format.SMIME;
            else if (smimeOk) encryptAs = Format.SMIME;
            else if (pgpOk) encryptAs = Format.OPENPGP;
            if (encryptAs == null && level == SecurePolicy.Encrypt.REQUIRED) {
                List<String> none = recipients.stream().filter(r -> noSmime.contains(r) && noPgp.contains(r)).toList();
                String why = !none.isEmpty() ? "no S/MIME certificate or OpenPGP key for " + brackets(none)
                        : "no single format for every recipient (no S/MIME certificate for " + brackets(noSmime)
                        + ", no OpenPGP key for " + brackets(noPgp) + ")";
                log.info("{} secure: encryption required{} and not possible: {}", sessionId, tagged ? " (tagged)" : "", why);
                throw new SmtpRejection(550, "5.7.5", "Encryption required, message not sent: " + why);
            }
        }

        Format signAs = null;
        if (sign) {
            if (encryptAs == Format.SMIME && smimeId.isPresent()) signAs = Format.SMIME;
            else if (encryptAs == Format.OPENPGP && pgpKey.isPresent()) signAs = Format.OPENPGP;
            else if (encryptAs == null) signAs = smimeId.isPresent() ? Format.SMIME : pgpKey.isPresent() ? Format.OPENPGP : null;
            if (signAs == null) log.info("{} secure: sign always but <{}> has no usable {} key: not signed", sessionId, user,
                    encryptAs == null ? "S/MIME or OpenPGP" : encryptAs == Format.SMIME ? "S/MIME" : "OpenPGP");
        }

        byte[] out = h.toBytes();
        try {
            if (encryptAs == Format.SMIME) {
                byte[] inner = signAs == Format.SMIME ? new SmimeSigner(smimeId.get().key(), smimeId.get().chain(), clock).sign(out) : out;
                List<SmimeEncryptor.Recipient> to = smimeCerts.values().stream().map(SmimeEncryptor.Recipient::of).toList();
                SmimeEncryptor.Recipient self = smimeCert.map(SmimeEncryptor.Recipient::of).orElse(null);
                // RFC 8551 §2.7: AES-256-GCM AuthEnvelopedData (RFC 5083)
                out = new SmimeEncryptor(random).encrypt(inner, to, self, SmimeEncryptor.ContentEncryption.AES_256_GCM);
            } else if (encryptAs == Format.OPENPGP) {
                List<OpenPGPCertificate> to = new ArrayList<>(pgpCerts.values());
                pgpCert.ifPresent(to::add); // the sender's copy in Sent stays readable
                out = new PgpMime(clock).encrypt(out, to, signAs == Format.OPENPGP ? List.of(pgpKey.get()) : List.of());
            } else if (signAs == Format.SMIME) {
                out = new SmimeSigner(smimeId.get().key(), smimeId.get().chain(), clock).sign(out);
            } else if (signAs == Format.OPENPGP) {
                out = new PgpMime(clock).sign(out, List.of(pgpKey.get()));
            }
        } catch (OpenPgpException | RuntimeException e) {
            // our bug or a key we cannot use: never send in clear what had to be encrypted
            log.error("{} secure: {} failed", sessionId, encryptAs != null ? "encryption" : "signing", e);
            if (encryptAs != null) throw new SmtpRejection(451, "4.7.5", "Encryption failed, try again later");
            out = h.toBytes();
            signAs = null;
        }
        Decision d = new Decision(encryptAs, signAs, autocrypt, tagged);
        if (encryptAs != null || signAs != null || autocrypt || tagged) {
            log.info("{} secure: encrypt={} sign={} autocrypt={} tagged={} level={}", sessionId, label(encryptAs), label(signAs), autocrypt,
                    tagged, level.label());
        }
        boolean changed = encryptAs != null || signAs != null || autocrypt || tagged || fields.size() != HeaderBlock.parse(message).fields.size();
        return new Result(changed ? out : message, d);
    }

    private static String label(Format f) {
        return f == null ? "no" : f == Format.SMIME ? "smime" : "openpgp";
    }

    private static String brackets(List<String> a) {
        return String.join(", ", a.stream().map(x -> "<" + x + ">").toList());
    }

    /** The single From address, lower case, or null (none, several, or a group). */
    static String fromAddress(byte[] message) {
        List<Address> from;
        try {
            from = MessageStructure.parse(message).envelope().from();
        } catch (RuntimeException e) {
            return null;
        }
        List<Address> boxes = from.stream().filter(a -> a.mailbox() != null && a.host() != null).toList();
        if (boxes.size() != 1) return null;
        return (boxes.getFirst().mailbox() + "@" + boxes.getFirst().host()).toLowerCase(Locale.ROOT);
    }
}
