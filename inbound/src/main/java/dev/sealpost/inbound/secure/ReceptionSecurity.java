package dev.sealpost.inbound.secure;

import dev.sealpost.auth.MessageAuthenticator;
import dev.sealpost.auth.dmarc.DmarcResult;
import dev.sealpost.inbound.ContentPolicy;
import dev.sealpost.inbound.MessageContent;
import dev.sealpost.secure.openpgp.AutocryptHeader;
import dev.sealpost.secure.openpgp.OpenPgpKeys;
import dev.sealpost.secure.openpgp.OpenPgpVerification;
import dev.sealpost.secure.openpgp.PgpMime;
import dev.sealpost.secure.smime.SmimeDecryption;
import dev.sealpost.secure.smime.SmimeDecryptor;
import dev.sealpost.secure.smime.SmimeLimits;
import dev.sealpost.secure.smime.SmimeVerification;
import dev.sealpost.secure.smime.SmimeVerifier;
import dev.sealpost.smtp.proto.SmtpRejection;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.smtp.server.MailTransaction;
import dev.sealpost.smtp.server.SessionInfo;
import dev.sealpost.store.Keys;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The inbound half of the gateway (issue 13, docs/keys.md "Policy"), on mail for local
 * recipients received at the MX, before "250" (so before the filter, which then sees what a
 * decrypted message says, and before the message is filed or queued for local delivery):
 *
 * <ol>
 * <li>Decrypts (S/MIME {@code application/pkcs7-mime}, PGP/MIME {@code multipart/encrypted})
 *     when every recipient of the transaction is a local account whose policy says
 *     {@code inbound decrypt} and whose own key opens the message; records that it arrived
 *     encrypted in {@value #DECRYPTED_FIELD} (prepended by us, removed when it arrives from
 *     outside). Otherwise the message is left as it came.</li>
 * <li>Verifies S/MIME and PGP/MIME signatures (after decryption: signed-then-encrypted mail
 *     too) and records the result in an Authentication-Results field: method {@code smime}
 *     (RFC 7281 §3) and {@code x-openpgp} (no method is registered for OpenPGP). {@code pass}:
 *     valid, from a trusted signer (S/MIME: a chain to a trust anchor naming the From address;
 *     OpenPGP: an own key or an administrator's import); {@code policy}: valid, untrusted signer;
 *     {@code fail}: broken; {@code neutral}: OpenPGP signer's key unknown.</li>
 * <li>Collects senders' keys into the key store with their origin and time: the certificate of a
 *     valid S/MIME signature naming the From address ({@code signature}), and the key of the one
 *     {@code Autocrypt:} field whose addr is the From address (Autocrypt Level 1 §2.3,
 *     {@code autocrypt}), both only when the From domain passed DMARC (or authentication is
 *     off), and never over a key an administrator imported.</li>
 * </ol>
 */
public final class ReceptionSecurity implements ContentPolicy {
    private static final Logger log = LoggerFactory.getLogger(ReceptionSecurity.class);

    /** The field recording that a message arrived encrypted and was decrypted here. */
    public static final String DECRYPTED_FIELD = "X-Sealpost-Decrypted";
    public static final long MAX_SIZE = 64L * 1024 * 1024;

    private final SecureKeys keys;
    private final String authservId;
    private final Clock clock;

    public ReceptionSecurity(SecureKeys keys, String authservId, Clock clock) {
        this.keys = keys;
        this.authservId = authservId;
        this.clock = clock;
    }

    /** What reception found and did, for the log and the tests. */
    public record Outcome(byte[] message, List<String> fields, String smime, String openpgp, String decrypted, List<String> collected) {}

    @Override
    public List<String> apply(SessionInfo session, MailTransaction tx, MessageContent content) throws SmtpRejection, IOException {
        if (session.kind() != ListenerKind.MX || content.size() > MAX_SIZE) return List.of();
        byte[] bytes;
        try (InputStream in = content.open()) {
            bytes = in.readAllBytes();
        }
        MessageAuthenticator.Verdict auth = content.attachment(MessageAuthenticator.Verdict.class);
        boolean fromAuthentic = auth == null || auth.dmarc().result() == DmarcResult.PASS;
        List<String> rcpts = tx.recipients().stream().map(r -> r.address().canonical()).distinct().toList();
        Outcome o = process(session.sessionId(), rcpts, bytes, fromAuthentic);
        if (o.message() != bytes) content.replace(o.message());
        return o.fields();
    }

    @Override
    public boolean removeHeader(SessionInfo session, String name, String value) {
        if (name.equalsIgnoreCase(DECRYPTED_FIELD)) return true; // only we write it, above our Received field
        // RFC 8601 §5: a planted smime=pass under our authserv-id must not survive even with [auth] off
        return session != null && session.kind() == ListenerKind.MX && name.equalsIgnoreCase("Authentication-Results")
                && dev.sealpost.auth.results.AuthenticationResults.isOurs(value, authservId);
    }

    /** Runs the three steps on one received message for {@code recipients}. Never throws on content. */
    public Outcome process(String sessionId, List<String> recipients, byte[] original, boolean fromAuthentic) {
        byte[] message = HeaderBlock.canonical(original);
        HeaderBlock h = HeaderBlock.parse(message);
        String from = SubmissionSecurity.fromAddress(message);
        List<String> collected = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        String type0 = rootType(h);
        boolean secured = type0.equals("multipart/signed") || type0.equals("multipart/encrypted")
                || type0.equals("application/pkcs7-mime") || type0.equals("application/x-pkcs7-mime");
        // the common case costs no key-store read: neither signed nor encrypted, no Autocrypt field
        if (!secured && h.values("Autocrypt").isEmpty()) return new Outcome(original, List.of(), null, null, null, List.of());

        // keys of the sender, for OpenPGP signatures: the store's, then the message's Autocrypt key
        List<SecureKeys.Known<OpenPGPCertificate>> certs = new ArrayList<>(from == null ? List.of() : keys.openPgpCertificates(from));
        Optional<OpenPGPCertificate> autocrypt = autocrypt(h, from);
        if (autocrypt.isPresent()) {
            String f = OpenPgpKeys.fingerprint(autocrypt.get());
            boolean known = certs.stream().anyMatch(k -> OpenPgpKeys.fingerprint(k.key()).equals(f));
            if (!known) certs.add(new SecureKeys.Known<>(autocrypt.get(), "autocrypt", false));
            if (fromAuthentic && !keys.isLocal(from) && !imported(from, Keys.Type.OPENPGP, f)) {
                try {
                    keys.store().putPeer(from, Keys.Type.OPENPGP, f, OpenPgpKeys.encode(autocrypt.get(), false), Keys.Origin.AUTOCRYPT, null, null);
                    collected.add("openpgp " + f + " autocrypt");
                } catch (IOException | RuntimeException e) {
                    log.warn("{} secure: Autocrypt key of {} not stored: {}", sessionId, from, e.toString());
                }
            }
        }
        List<OpenPGPCertificate> certList = certs.stream().map(SecureKeys.Known::key).toList();

        // 1. decryption for gateway-mode recipients
        String decrypted = null;
        List<OpenPgpVerification> pgpInside = null;
        String rootType = rootType(h);
        boolean smimeEnc = (rootType.equals("application/pkcs7-mime") || rootType.equals("application/x-pkcs7-mime"))
                && !String.valueOf(param(h, "smime-type")).equalsIgnoreCase("signed-data");
        boolean pgpEnc = rootType.equals("multipart/encrypted");
        if ((smimeEnc || pgpEnc) && !recipients.isEmpty() && recipients.stream().allMatch(this::decrypts)) {
            byte[] plain = null;
            String how = null;
            for (String r : recipients) {
                byte[] p = null;
                if (smimeEnc) {
                    Optional<SecureKeys.SmimeIdentity> id = keys.ownSmime(r);
                    if (id.isPresent() && new SmimeDecryptor(id.get().key(), id.get().certificate(), SmimeLimits.defaults()).decrypt(message)
                            instanceof SmimeDecryption.Decrypted d) {
                        p = d.content();
                        how = "smime " + d.algorithm() + (d.authenticated() ? "" : " (not authenticated)");
                    }
                } else {
                    Optional<OpenPGPKey> key = keys.ownOpenPgp(r);
                    if (key.isPresent() && new PgpMime(clock).open(message, List.of(key.get()), certList) instanceof PgpMime.Opened.Decrypted d) {
                        p = d.entity();
                        pgpInside = d.verifications();
                        how = "openpgp " + (d.aead() ? "SEIPDv2 (AEAD)" : "SEIPDv1");
                    }
                }
                if (p == null) {
                    plain = null;
                    log.info("{} secure: not decrypted: no key of <{}> opens it", sessionId, r);
                    break;
                }
                if (plain == null) plain = p;
            }
            if (plain != null) {
                message = h.around(plain);
                h = HeaderBlock.parse(message);
                decrypted = how + " for " + String.join(", ", recipients.stream().map(x -> "<" + x + ">").toList());
                fields.add(DECRYPTED_FIELD + ": " + decrypted + "\r\n");
            }
        }

        // 2. signatures
        String smimeResult = null;
        String pgpResult = null;
        List<String> props = new ArrayList<>();
        rootType = rootType(h);
        String protocol = String.valueOf(param(h, "protocol")).toLowerCase(Locale.ROOT);
        boolean smimeSigned = (rootType.equals("multipart/signed") && (protocol.equals("application/pkcs7-signature")
                || protocol.equals("application/x-pkcs7-signature")))
                || ((rootType.equals("application/pkcs7-mime") || rootType.equals("application/x-pkcs7-mime"))
                && String.valueOf(param(h, "smime-type")).equalsIgnoreCase("signed-data"));
        if (smimeSigned) {
            SmimeVerification v = new SmimeVerifier(keys.trustAnchors(), List.of(), clock, SmimeLimits.defaults()).verify(message);
            smimeResult = v.result();
            switch (v) {
                case SmimeVerification.Pass p -> {
                    props.add("smime=pass" + identity(p.signer()));
                    collect(sessionId, from, p.signer(), p.addresses(), fromAuthentic, collected);
                }
                case SmimeVerification.Policy p -> {
                    props.add("smime=policy" + identity(p.signer()) + " (" + clean(p.reason()) + ")");
                    collect(sessionId, from, p.signer(), p.addresses(), fromAuthentic, collected);
                }
                case SmimeVerification.Fail f -> props.add("smime=fail (" + clean(f.failure() + ": " + f.detail()) + ")");
                case SmimeVerification.None n -> smimeResult = null;
            }
        }
        List<OpenPgpVerification> pgp = pgpInside;
        if (pgp == null && rootType.equals("multipart/signed") && protocol.equals("application/pgp-signature")) {
            PgpMime.Opened o = new PgpMime(clock).open(message, List.of(), certList);
            if (o instanceof PgpMime.Opened.Signed s) pgp = s.verifications();
            else if (o instanceof PgpMime.Opened.Malformed m) props.add("x-openpgp=permerror (" + clean(m.reason()) + ")");
        }
        if (pgp != null && !pgp.isEmpty()) {
            String best = null;
            for (OpenPgpVerification v : pgp) {
                if (v instanceof OpenPgpVerification.Good g) {
                    SecureKeys.Known<OpenPGPCertificate> k = certs.stream()
                            .filter(c -> OpenPgpKeys.fingerprint(c.key()).equalsIgnoreCase(g.primaryFingerprint())).findFirst().orElse(null);
                    boolean trusted = k != null && k.trusted();
                    String origin = k == null ? "unknown" : k.origin();
                    best = (trusted ? "pass" : "policy") + " body.x-openpgp-key=" + g.primaryFingerprint() + " (key origin " + origin
                            + (trusted ? "" : ", not trusted") + ")";
                    pgpResult = trusted ? "pass" : "policy";
                    if (trusted) break;
                }
            }
            if (best == null) {
                OpenPgpVerification.Bad b = (OpenPgpVerification.Bad) pgp.getFirst();
                pgpResult = b.why() == OpenPgpVerification.Reason.UNKNOWN_SIGNER ? "neutral" : "fail";
                best = pgpResult + (b.issuer().isEmpty() ? "" : " body.x-openpgp-key=" + b.issuer())
                        + " (" + clean(b.why().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + b.reason()) + ")";
            }
            props.add("x-openpgp=" + best);
        }
        if (!props.isEmpty()) {
            // RFC 8601 §2.2: one field, our authserv-id, the methods after it
            StringBuilder ar = new StringBuilder("Authentication-Results: ").append(authservId);
            for (String p : props) ar.append(";\r\n\t").append(p);
            fields.addFirst(ar.append("\r\n").toString());
        }
        if (decrypted != null || !props.isEmpty() || !collected.isEmpty()) {
            log.info("{} secure: decrypted={} smime={} x-openpgp={} collected={}", sessionId, decrypted == null ? "no" : decrypted,
                    smimeResult == null ? "none" : smimeResult, pgpResult == null ? "none" : pgpResult, collected);
        }
        return new Outcome(decrypted != null ? message : original, fields, smimeResult, pgpResult, decrypted, collected);
    }

    private boolean decrypts(String recipient) {
        return keys.isLocal(recipient) && SecurePolicy.of(keys.store(), recipient).inbound() == SecurePolicy.Inbound.DECRYPT;
    }

    /** Autocrypt Level 1 §2.3: exactly one valid header whose addr is the From address. */
    private static Optional<OpenPGPCertificate> autocrypt(HeaderBlock h, String from) {
        if (from == null) return Optional.empty();
        List<String> values = h.values("Autocrypt");
        if (values.size() != 1) return Optional.empty();
        if (!(AutocryptHeader.parse(values.getFirst()) instanceof AutocryptHeader.Parsed.Valid v)) return Optional.empty();
        if (!v.header().addr().equalsIgnoreCase(from)) return Optional.empty();
        try {
            return Optional.of(OpenPgpKeys.readCertificate(v.header().keydata()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private boolean imported(String address, Keys.Type type, String fingerprint) {
        return keys.store().peers(address).stream()
                .anyMatch(p -> p.type() == type && p.fingerprint().equalsIgnoreCase(fingerprint) && p.origin() == Keys.Origin.IMPORT);
    }

    /** Keeps the signer's certificate for the From address when the certificate names it. */
    private void collect(String sessionId, String from, X509Certificate signer, List<String> addresses, boolean fromAuthentic, List<String> collected) {
        if (from == null || !fromAuthentic || keys.isLocal(from) || !addresses.contains(from)) return;
        try {
            byte[] der = signer.getEncoded();
            String f = SecureKeys.smimeFingerprint(der);
            if (imported(from, Keys.Type.SMIME, f)) return;
            keys.store().putPeer(from, Keys.Type.SMIME, f, der, Keys.Origin.SIGNATURE, signer.getNotBefore().toInstant(), signer.getNotAfter().toInstant());
            collected.add("smime " + f.substring(0, 16) + " signature");
        } catch (CertificateEncodingException | RuntimeException e) {
            log.warn("{} secure: S/MIME certificate of {} not stored: {}", sessionId, from, e.toString());
        }
    }

    /** RFC 7281 §3: the signer's identity, serial and issuer as body properties. */
    private static String identity(X509Certificate c) {
        List<String> a = dev.sealpost.secure.smime.internal.Crypto.emailAddresses(c);
        StringBuilder sb = new StringBuilder();
        if (!a.isEmpty()) sb.append(" body.smime-identifier=").append(a.getFirst());
        sb.append(" body.smime-serial=").append(c.getSerialNumber().toString(16).toUpperCase(Locale.ROOT));
        return sb.toString();
    }

    /** Text from outside for a comment: no control characters, no parentheses, bounded. */
    private static String clean(String s) {
        String t = s.replaceAll("[\\p{Cntrl}()\\\\]", " ").replaceAll(" +", " ").strip();
        return t.length() > 160 ? t.substring(0, 160) + "..." : t;
    }

    private static String rootType(HeaderBlock h) {
        String ct = h.value("Content-Type");
        if (ct == null) return "text/plain";
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /** A parameter of the top-level Content-Type (RFC 2045 §5.1), unquoted, or null. */
    private static String param(HeaderBlock h, String name) {
        String ct = h.value("Content-Type");
        if (ct == null) return null;
        for (String p : ct.split(";")) {
            int eq = p.indexOf('=');
            if (eq < 0) continue;
            if (p.substring(0, eq).strip().equalsIgnoreCase(name)) {
                String v = p.substring(eq + 1).strip();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
                return v;
            }
        }
        return null;
    }
}
