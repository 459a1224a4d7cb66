package dev.sealpost.inbound.secure;

import dev.sealpost.secure.openpgp.OpenPgpException;
import dev.sealpost.secure.openpgp.OpenPgpKeys;
import dev.sealpost.store.Directory;
import dev.sealpost.store.Keys;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The keys the gateway uses, read from the key store for each message (so a new, imported or
 * revoked key takes effect at once): the own keys of local accounts (private parts opened from
 * their sealed form only here, in memory, for the one operation), other parties' certificates
 * (the newest one valid now and not revoked), and the S/MIME trust anchors (every local domain's
 * internal CA and the certificates an administrator imported).
 */
public final class SecureKeys {
    private static final Logger log = LoggerFactory.getLogger(SecureKeys.class);

    private final Keys keys;
    private final Directory directory;
    private final Clock clock;

    public SecureKeys(Keys keys, Directory directory, Clock clock) {
        this.keys = keys;
        this.directory = directory;
        this.clock = clock;
    }

    public Keys store() {
        return keys;
    }

    /** An own S/MIME identity: the private key, the certificate, then the issuing internal CA's certificate when there is one. */
    public record SmimeIdentity(PrivateKey key, List<X509Certificate> chain) {
        public X509Certificate certificate() {
            return chain.getFirst();
        }
    }

    public boolean isLocal(String address) {
        try {
            return directory.account(address).isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The account's current S/MIME identity (certificate valid now), or empty. */
    public Optional<SmimeIdentity> ownSmime(String address) {
        Optional<Keys.OwnKey> k = keys.currentOwn(address, Keys.Type.SMIME);
        if (k.isEmpty()) return Optional.empty();
        try {
            X509Certificate cert = certificate(k.get().publicKey());
            if (!validNow(cert)) return Optional.empty();
            PrivateKey pk = pkcs8(keys.privateKey(k.get()));
            List<X509Certificate> chain = new ArrayList<>(List.of(cert));
            String domain = address.substring(address.lastIndexOf('@') + 1);
            Optional<Keys.DomainCa> ca = keys.ca(domain);
            if (ca.isPresent()) {
                X509Certificate caCert = certificate(ca.get().certificate());
                if (caCert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) chain.add(caCert);
            }
            return Optional.of(new SmimeIdentity(pk, chain));
        } catch (GeneralSecurityException | RuntimeException e) {
            log.warn("S/MIME key {} of {} does not load: {}", k.get().fingerprint(), address, e.toString());
            return Optional.empty();
        }
    }

    /** The account's current OpenPGP secret key, or empty. */
    public Optional<OpenPGPKey> ownOpenPgp(String address) {
        Optional<Keys.OwnKey> k = keys.currentOwn(address, Keys.Type.OPENPGP);
        if (k.isEmpty()) return Optional.empty();
        try {
            return Optional.of(OpenPgpKeys.readKey(keys.privateKey(k.get())));
        } catch (OpenPgpException | RuntimeException e) {
            log.warn("OpenPGP key {} of {} does not load: {}", k.get().fingerprint(), address, e.toString());
            return Optional.empty();
        }
    }

    /** The account's current OpenPGP certificate (public), or empty. */
    public Optional<OpenPGPCertificate> ownOpenPgpCertificate(String address) {
        return keys.currentOwn(address, Keys.Type.OPENPGP).flatMap(k -> pgp(k.publicKey(), address));
    }

    /** The certificate to encrypt to {@code address} with S/MIME: a local account's own, or another party's best. */
    public Optional<X509Certificate> smimeFor(String address) {
        if (isLocal(address)) {
            return keys.currentOwn(address, Keys.Type.SMIME).flatMap(k -> smime(k.publicKey(), address)).filter(this::validNow);
        }
        for (Keys.PeerKey p : best(address, Keys.Type.SMIME)) {
            Optional<X509Certificate> c = smime(p.publicKey(), address).filter(this::validNow);
            if (c.isPresent()) return c;
        }
        return Optional.empty();
    }

    /** The certificate to encrypt to {@code address} with OpenPGP: a local account's own, or another party's best. */
    public Optional<OpenPGPCertificate> openPgpFor(String address) {
        if (isLocal(address)) return ownOpenPgpCertificate(address);
        for (Keys.PeerKey p : best(address, Keys.Type.OPENPGP)) {
            Optional<OpenPGPCertificate> c = pgp(p.publicKey(), address);
            if (c.isPresent()) return c;
        }
        return Optional.empty();
    }

    /** Every OpenPGP certificate known for {@code address} (to verify its signatures), with whether it is trusted. */
    public List<Known<OpenPGPCertificate>> openPgpCertificates(String address) {
        List<Known<OpenPGPCertificate>> out = new ArrayList<>();
        if (isLocal(address)) {
            ownOpenPgpCertificate(address).ifPresent(c -> out.add(new Known<>(c, "own", true)));
            return out;
        }
        for (Keys.PeerKey p : best(address, Keys.Type.OPENPGP)) {
            pgp(p.publicKey(), address).ifPresent(c -> out.add(new Known<>(c, p.origin().label(), p.origin() == Keys.Origin.IMPORT)));
        }
        return out;
    }

    /** A key with where it came from and whether it is trusted (own keys and administrator imports are). */
    public record Known<T>(T key, String origin, boolean trusted) {}

    /** The S/MIME trust anchors: every local domain's internal CA and every certificate an administrator imported. */
    public List<X509Certificate> trustAnchors() {
        List<X509Certificate> out = new ArrayList<>();
        for (String d : directory.domains()) {
            keys.ca(d).ifPresent(ca -> smime(ca.certificate(), d).ifPresent(out::add));
        }
        for (Keys.PeerKey p : keys.peers(null)) {
            if (p.type() == Keys.Type.SMIME && p.origin() == Keys.Origin.IMPORT && !p.revoked()) smime(p.publicKey(), p.address()).ifPresent(out::add);
        }
        return out;
    }

    /** The peer keys of a type for {@code address} usable now, newest first. */
    private List<Keys.PeerKey> best(String address, Keys.Type type) {
        Instant now = clock.instant();
        try {
            return keys.peers(address).stream().filter(p -> p.type() == type && p.validAt(now))
                    .sorted(Comparator.comparing(Keys.PeerKey::lastSeen).reversed()).toList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private boolean validNow(X509Certificate c) {
        Instant now = clock.instant();
        return !now.isBefore(c.getNotBefore().toInstant()) && now.isBefore(c.getNotAfter().toInstant());
    }

    private static Optional<X509Certificate> smime(byte[] der, String who) {
        try {
            return Optional.of(certificate(der));
        } catch (CertificateException | RuntimeException e) {
            log.warn("stored S/MIME certificate of {} does not parse: {}", who, e.toString());
            return Optional.empty();
        }
    }

    private static Optional<OpenPGPCertificate> pgp(byte[] data, String who) {
        try {
            return Optional.of(OpenPgpKeys.readCertificate(data));
        } catch (OpenPgpException | RuntimeException e) {
            log.warn("stored OpenPGP certificate of {} does not parse: {}", who, e.toString());
            return Optional.empty();
        }
    }

    /** A PKCS#8 private key of the types S/MIME signs and decrypts with (RSA, EC, Ed25519/X25519 from an import). */
    public static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String alg : List.of("RSA", "EC", "Ed25519", "X25519")) {
            try {
                return java.security.KeyFactory.getInstance(alg).generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    public static X509Certificate certificate(byte[] der) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    /** How S/MIME certificates are named in the key store: the SHA-256 of the DER, upper-case hex. */
    public static String smimeFingerprint(byte[] der) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
