package dev.sealpost.app.acme;

import dev.sealpost.app.tls.TlsFiles;
import dev.sealpost.core.io.Fsync;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.challenge.TlsAlpn01Challenge;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;
import org.shredzone.acme4j.util.KeyPairUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The ACME renewal service (RFC 8555): at start and then on a timer, orders a certificate for
 * {@code names} when there is none, it is the start-up placeholder, it does not cover every name,
 * or two thirds of its lifetime have passed; on success writes {@code cert.pem} (the chain) and
 * {@code key.pem} into the ACME directory and reloads the listeners' TLS context.
 */
public final class AcmeCertificates implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AcmeCertificates.class);

    /** The organisation of the placeholder certificate, which marks it for replacement. */
    static final String PLACEHOLDER_ORG = "Sealpost ACME placeholder";
    /** Longest sleep between checks: names change when domains are added. */
    static final Duration MAX_SLEEP = Duration.ofHours(12);
    /** First wait after a failure; doubled after each further one, up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofMinutes(1);
    static final Duration MAX_BACKOFF = Duration.ofHours(24);
    /** With roll_key: the key the next renewal will use, made ahead. */
    static final String NEXT_KEY = "next-key.pem";
    /** A new key written before its certificate, moved over key.pem after it. */
    static final String PENDING_KEY = "key.pem.new";
    private static final Duration VALIDATION_TIMEOUT = Duration.ofMinutes(2);

    /** How the CA validates our control of the names. */
    public enum ChallengeType { HTTP_01, TLS_ALPN_01 }

    /** What one renewal attempt did. */
    public sealed interface Outcome {
        /** A new certificate is in use: @param leaf it, @param newKey whether its key is new (DANE: publish the TLSA first) */
        record Issued(X509Certificate leaf, boolean newKey) implements Outcome {}

        /** The certificate in use is good until @param renewAt */
        record NotDue(Instant renewAt) implements Outcome {}

        /** The CA or the network failed: @param reason for the log; the certificate in use stays */
        record Failed(String reason) implements Outcome {}
    }

    /**
     * @param directory URL of the CA's directory ({@code https://…}, or acme4j's {@code acme://…})
     * @param contact   {@code mailto:} URI or ""
     * @param trustCa   PEM root(s) trusted for the directory's HTTPS instead of the JDK's, or null
     * @param rollKey   a new certificate key at every renewal
     */
    public record Settings(String directory, String contact, Path trustCa, boolean rollKey, ChallengeType challenge) {}

    private final Settings settings;
    private final Path dir;
    private final Supplier<List<String>> names;
    private final AcmeChallenges challenges;
    private final TlsFiles.Reloadable keys;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock sleepLock = new ReentrantLock();
    private final Condition wake = sleepLock.newCondition();
    private volatile boolean running;
    private Thread thread;
    private int failures;

    /**
     * @param dir   the ACME directory ({@code <data_dir>/acme}): account-key.pem, key.pem, cert.pem
     * @param names the names to certify, asked at each check (the first is the subject's CN)
     * @param keys  the listeners' TLS context, loaded from {@code dir/cert.pem} and {@code dir/key.pem}
     */
    public AcmeCertificates(Settings settings, Path dir, Supplier<List<String>> names, AcmeChallenges challenges,
                            TlsFiles.Reloadable keys, Clock clock) {
        this.settings = settings;
        this.dir = dir;
        this.names = names;
        this.challenges = challenges;
        this.keys = keys;
        this.clock = clock;
        registerBouncyCastle();
    }

    /** acme4j's key and CSR helpers ask for the JCA provider "BC". */
    static void registerBouncyCastle() {
        if (Security.getProvider("BC") == null) Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
    }

    /**
     * Makes sure {@code dir/cert.pem} and {@code dir/key.pem} exist before the listeners start: a
     * self-signed placeholder for {@code hostname} until the first certificate is issued.
     */
    public static void preparePlaceholder(Path dir, String hostname) throws IOException {
        Path cert = dir.resolve("cert.pem"), key = dir.resolve("key.pem");
        finishKeySwap(dir);
        if (Files.exists(cert) && Files.exists(key)) return;
        Files.createDirectories(dir);
        TlsFiles.writeSelfSigned(cert, key, hostname, List.of(hostname), List.of(), PLACEHOLDER_ORG);
        log.info("acme: placeholder certificate written until the first issuance path={}", cert);
    }

    /** After a crash between writing cert.pem and moving key.pem.new over key.pem: finish it, or drop the stray key. */
    static void finishKeySwap(Path dir) throws IOException {
        Path pending = dir.resolve(PENDING_KEY);
        if (!Files.exists(pending)) return;
        KeyPair kp = readKeyPair(pending);
        X509Certificate leaf = new AcmeCertificates.Leaf(dir).read();
        if (kp != null && leaf != null && leaf.getPublicKey().equals(kp.getPublic())) {
            Files.move(pending, dir.resolve("key.pem"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Fsync.fsyncDirectory(dir);
            log.info("acme: key of the last issued certificate put in place path={}", dir.resolve("key.pem"));
        } else {
            Files.delete(pending);
        }
    }

    /** Checks now, then keeps checking on a virtual thread until {@link #close()}. */
    public void start() {
        running = true;
        thread = Thread.ofVirtual().name("acme-renewal").start(this::loop);
    }

    private void loop() {
        while (running) {
            Outcome o = renew(false);
            Duration wait = switch (o) {
                case Outcome.Issued i -> until(renewAt(i.leaf()));
                case Outcome.NotDue n -> until(n.renewAt());
                case Outcome.Failed f -> backoff(failures);
            };
            log.info("acme: next check in {}s", wait.toSeconds());
            sleepLock.lock();
            try {
                if (running) wake.await(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            } finally {
                sleepLock.unlock();
            }
        }
    }

    private Duration until(Instant at) {
        Duration d = Duration.between(clock.instant(), at);
        if (d.isNegative()) return Duration.ZERO;
        return d.compareTo(MAX_SLEEP) > 0 ? MAX_SLEEP : d;
    }

    /** The wait after {@code failures} failures in a row: 1 min, 2, 4, … at most 24 h. */
    static Duration backoff(int failures) {
        Duration d = FIRST_BACKOFF;
        for (int i = 1; i < failures && d.compareTo(MAX_BACKOFF) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    /** Renewal at two thirds of the lifetime (RFC 8555 leaves the time to the client; Let's Encrypt advises this). */
    static Instant renewAt(X509Certificate leaf) {
        Instant from = leaf.getNotBefore().toInstant(), to = leaf.getNotAfter().toInstant();
        return from.plus(Duration.between(from, to).multipliedBy(2).dividedBy(3));
    }

    /**
     * Orders a certificate when one is due ({@code force}: in any case). Never throws for the CA's
     * or the network's faults: they are a {@link Outcome.Failed}.
     */
    public Outcome renew(boolean force) {
        lock.lock();
        try {
            if (settings.rollKey()) ensureNextKey();
            List<String> wanted = List.copyOf(new LinkedHashSet<>(names.get()));
            if (!force) {
                X509Certificate current = currentLeaf();
                if (current != null && !isPlaceholder(current) && covers(current, wanted)) {
                    Instant at = renewAt(current);
                    if (clock.instant().isBefore(at)) return new Outcome.NotDue(at);
                }
            }
            try {
                Outcome o = order(wanted);
                failures = 0;
                return o;
            } catch (AcmeException | IOException | GeneralSecurityException | RuntimeException e) {
                failures++;
                String reason = e.getClass().getSimpleName() + ": " + e.getMessage()
                        + (e.getCause() == null ? "" : " (" + e.getCause() + ")");
                log.warn("acme: renewal failed names={} failures={} retry_in={}s reason={}", wanted, failures,
                        backoff(failures).toSeconds(), reason);
                return new Outcome.Failed(reason);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome.Failed("interrupted");
            }
        } finally {
            lock.unlock();
        }
    }

    private Outcome order(List<String> wanted) throws AcmeException, IOException, GeneralSecurityException, InterruptedException {
        if (wanted.isEmpty()) throw new IllegalStateException("no names to certify");
        Session session = session();
        KeyPair accountKey = loadOrCreate(dir.resolve("account-key.pem"), () -> KeyPairUtils.createKeyPair());
        // RFC 8555 §7.3: newAccount with a known key returns the existing account
        AccountBuilder ab = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey);
        if (!settings.contact().isEmpty()) ab.addContact(settings.contact());
        Account account = ab.create(session);
        // RFC 8555 §7.4: one order for every name
        Order order = account.newOrder().domains(wanted).create();
        for (Authorization auth : order.getAuthorizations()) authorize(auth);
        Path keyFile = dir.resolve("key.pem"), nextFile = dir.resolve(NEXT_KEY);
        KeyPair domainKey = settings.rollKey() ? null : readKeyPair(keyFile);
        boolean newKey = domainKey == null;
        if (newKey) {
            // the key announced ahead (dns records prints its TLSA), else a fresh one
            domainKey = readKeyPair(nextFile);
            if (domainKey == null) domainKey = KeyPairUtils.createKeyPair(2048);
        }
        order.execute(domainKey); // RFC 8555 §7.4: finalize with a CSR for the names
        Status s = order.waitForCompletion(VALIDATION_TIMEOUT);
        if (s != Status.VALID) {
            throw new AcmeException("order " + s + order.getError().map(p -> ": " + p).orElse(""));
        }
        List<X509Certificate> chain = order.getCertificate().getCertificateChain();
        // a new key goes in beside the old one first and replaces it after the certificate: a crash in
        // between leaves key.pem.new, which the next start puts in place if it fits cert.pem
        if (newKey) writePrivate(dir.resolve(PENDING_KEY), pem(domainKey));
        StringWriter w = new StringWriter();
        order.getCertificate().writeCertificate(w);
        Fsync.writeDurably(dir.resolve("cert.pem"), w.toString().getBytes(StandardCharsets.US_ASCII));
        if (newKey) {
            Files.move(dir.resolve(PENDING_KEY), keyFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Fsync.fsyncDirectory(dir);
            Files.deleteIfExists(nextFile);
        }
        keys.reload(); // every listener: new handshakes get it, connections in progress keep theirs
        if (settings.rollKey()) ensureNextKey();
        X509Certificate leaf = chain.getFirst();
        log.info("acme: certificate issued names={} serial={} notAfter={} newKey={} issuer={}", wanted,
                leaf.getSerialNumber().toString(16), leaf.getNotAfter().toInstant(), newKey, leaf.getIssuerX500Principal().getName());
        return new Outcome.Issued(leaf, newKey);
    }

    /** Publishes the answer for one authorization, asks the CA to validate, waits, withdraws the answer. */
    private void authorize(Authorization auth) throws AcmeException, InterruptedException, GeneralSecurityException {
        if (auth.getStatus() == Status.VALID) return; // RFC 8555 §7.1.4: an earlier validation still counts
        String name = auth.getIdentifier().getDomain();
        org.shredzone.acme4j.challenge.Challenge challenge;
        Runnable withdraw;
        if (settings.challenge() == ChallengeType.HTTP_01) {
            Http01Challenge c = auth.findChallenge(Http01Challenge.class)
                    .orElseThrow(() -> new AcmeException("the CA offers no http-01 challenge for " + name));
            challenges.putHttp(c.getToken(), c.getAuthorization()); // RFC 8555 §8.3
            withdraw = () -> challenges.removeHttp(c.getToken());
            challenge = c;
        } else {
            TlsAlpn01Challenge c = auth.findChallenge(TlsAlpn01Challenge.class)
                    .orElseThrow(() -> new AcmeException("the CA offers no tls-alpn-01 challenge for " + name));
            // RFC 8737 §3: a self-signed certificate for the name with the critical acmeIdentifier extension
            KeyPair kp = KeyPairUtils.createKeyPair(2048);
            X509Certificate cert = c.createCertificate(kp, Identifier.dns(name));
            challenges.putAlpn(name.toLowerCase(Locale.ROOT), new KeyStore.PrivateKeyEntry(kp.getPrivate(), new X509Certificate[] {cert}));
            withdraw = () -> challenges.removeAlpn(name.toLowerCase(Locale.ROOT));
            challenge = c;
        }
        try {
            challenge.trigger();
            Status s = auth.waitForCompletion(VALIDATION_TIMEOUT);
            if (s != Status.VALID) {
                throw new AcmeException("authorization of " + name + " " + s
                        + challenge.getError().map(p -> ": " + p).orElse(""));
            }
            log.info("acme: authorization valid name={} challenge={}", name, challenge.getType());
        } finally {
            withdraw.run();
        }
    }

    private Session session() throws IOException, GeneralSecurityException {
        URI uri = URI.create(settings.directory());
        if (settings.trustCa() == null) return new Session(uri);
        SSLContext ssl = trusting(settings.trustCa());
        // the directory's HTTPS is checked against trust_ca alone (a test CA such as Pebble's)
        return new Session(uri, new GenericAcmeProvider() {
            @Override
            public HttpClient createHttpClient(NetworkSettings ns) {
                return HttpClient.newBuilder().connectTimeout(ns.getTimeout()).followRedirects(HttpClient.Redirect.NORMAL)
                        .sslContext(ssl).build();
            }
        });
    }

    private static SSLContext trusting(Path pem) throws IOException, GeneralSecurityException {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        int i = 0;
        try (InputStream in = Files.newInputStream(pem)) {
            for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ts.setCertificateEntry("ca" + i++, c);
            }
        }
        if (i == 0) throw new IOException("acme.trust_ca: no PEM certificate in " + pem);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** The certificate served now from {@code dir/cert.pem}, or null when unreadable. */
    X509Certificate currentLeaf() {
        return new Leaf(dir).read();
    }

    /** The leaf of {@code <dir>/cert.pem}. */
    private record Leaf(Path dir) {
        X509Certificate read() {
            try (InputStream in = Files.newInputStream(dir.resolve("cert.pem"))) {
                Collection<? extends java.security.cert.Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
                return certs.isEmpty() ? null : (X509Certificate) certs.iterator().next();
            } catch (IOException | GeneralSecurityException e) {
                return null;
            }
        }
    }

    static boolean isPlaceholder(X509Certificate c) {
        return c.getSubjectX500Principal().getName().contains("O=" + PLACEHOLDER_ORG);
    }

    /** Whether every wanted name is a dNSName of {@code c} (exact, case-insensitive). */
    static boolean covers(X509Certificate c, List<String> wanted) {
        Set<String> have = new java.util.HashSet<>();
        try {
            Collection<List<?>> sans = c.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(2).equals(san.get(0))) have.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
        for (String n : wanted) if (!have.contains(n.toLowerCase(Locale.ROOT))) return false;
        return true;
    }

    private interface KeyMaker {
        KeyPair make();
    }

    private static KeyPair loadOrCreate(Path file, KeyMaker maker) throws IOException {
        KeyPair kp = readKeyPair(file);
        if (kp != null) return kp;
        kp = maker.make();
        writePrivate(file, pem(kp));
        log.info("acme: new account key path={}", file);
        return kp;
    }

    /** A PEM key pair written by us, or null when absent or in another form (the placeholder's PKCS#8 key). */
    static KeyPair readKeyPair(Path file) {
        if (!Files.exists(file)) return null;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            return KeyPairUtils.readKeyPair(r);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] pem(KeyPair kp) throws IOException {
        StringWriter w = new StringWriter();
        KeyPairUtils.writeKeyPair(kp, w);
        return w.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void writePrivate(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Fsync.writeDurably(file, content);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }

    /**
     * With {@code acme.roll_key}: the key of the next renewal is made now, long before it is used,
     * so its TLSA record can be published first (RFC 7671 §8.1).
     */
    private void ensureNextKey() {
        Path f = dir.resolve(NEXT_KEY);
        if (readKeyPair(f) != null) return;
        try {
            writePrivate(f, pem(KeyPairUtils.createKeyPair(2048)));
            log.info("acme: key of the next renewal made path={} spki_sha256={}", f, nextKeySpkiSha256(dir).orElse("?"));
        } catch (IOException e) {
            log.warn("acme: cannot write the next key path={} reason={}", f, e.toString());
        }
    }

    /** The SHA-256 (hex) of the next renewal's public key (a TLSA 3 1 1 value), when {@code acme.roll_key} made one. */
    public static java.util.Optional<String> nextKeySpkiSha256(Path acmeDir) {
        KeyPair kp = readKeyPair(acmeDir.resolve(NEXT_KEY));
        if (kp == null) return java.util.Optional.empty();
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(kp.getPublic().getEncoded());
            return java.util.Optional.of(java.util.HexFormat.of().formatHex(d));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many validation answers are published now (zero when no order is pending). */
    public int pendingChallenges() {
        return challenges.pending();
    }

    /** The names of {@code [acme]} names, or server.hostname plus mta-sts.d and autoconfig.d of every local domain. */
    public static List<String> defaultNames(String hostname, List<String> localDomains) {
        List<String> out = new ArrayList<>();
        out.add(hostname.toLowerCase(Locale.ROOT));
        for (String d : localDomains) {
            out.add("mta-sts." + d); // RFC 8461 §3.3: the policy host
            out.add("autoconfig." + d);
        }
        return List.copyOf(new LinkedHashSet<>(out));
    }

    @Override
    public void close() {
        running = false;
        sleepLock.lock();
        try {
            wake.signalAll();
        } finally {
            sleepLock.unlock();
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
