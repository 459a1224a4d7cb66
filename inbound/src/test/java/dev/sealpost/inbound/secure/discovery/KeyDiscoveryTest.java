package dev.sealpost.inbound.secure.discovery;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.dns.ZoneResolver;
import dev.sealpost.inbound.secure.SecureKeys;
import dev.sealpost.inbound.secure.SubmissionSecurity;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.secure.openpgp.KeyProfile;
import dev.sealpost.secure.openpgp.OpenPgpKeys;
import dev.sealpost.secure.smime.SmimeCa;
import dev.sealpost.store.Keys;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.internal.JdbcStore;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OPENPGPKEY and SMIMEA discovery against planted zones, validated ("authentic", as the
 * DNSSEC-validating resolver marks secure answers) and not, with a real SQLite key store; and the
 * submission gateway encrypting to a recipient whose key it discovered. WKD over real HTTPS is
 * covered by the it module's KeyDiscoveryEndToEndTest.
 */
class KeyDiscoveryTest {
    static final String ERIN = "erin@remote.test";

    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() {
        store = JdbcStore.open(new StoreConfig(dir, null, null, null, Clock.systemUTC()), pw -> PasswordHasher.hash(pw, 1000, 4096));
        store.directory().addDomain("example.test");
        store.directory().addAccount("alice@example.test", "alice password 1".toCharArray());
    }

    @AfterEach
    void close() {
        store.close();
    }

    static OpenPGPKey pgp(String address) throws Exception {
        return OpenPgpKeys.generate(KeyProfile.V4_CURVE25519, List.of(OpenPgpKeys.userIdFor(address)), Clock.systemUTC());
    }

    KeyDiscovery discovery(ZoneResolver r) {
        return new KeyDiscovery(store.keys(), r, null, Clock.systemUTC(), KeyDiscovery.Settings.defaults());
    }

    static String name(String label) {
        return KeyDiscovery.dnsName("erin", "remote.test", label);
    }

    @Test
    void namesAreRfc7929Section3() {
        // RFC 7929 §3's example: hugh@example.com
        assertThat(KeyDiscovery.dnsName("hugh", "example.com", "_openpgpkey"))
                .isEqualTo("c93f1e400f26708f98cb19d936620da35eec8f72e57f9eec01c1afd6._openpgpkey.example.com");
        assertThat(KeyDiscovery.addressOf("Erin Example <Erin@Remote.test>")).isEqualTo("erin@remote.test");
        assertThat(KeyDiscovery.addressOf("erin@remote.test")).isEqualTo("erin@remote.test");
    }

    @Test
    void validatedOpenpgpkeyIsStoredWithItsOrigin() throws Exception {
        OpenPGPKey k = pgp(ERIN);
        byte[] cert = OpenPgpKeys.extractCertificate(k, false);
        ZoneResolver z = ZoneResolver.builder().authentic(true).openpgpkey(name("_openpgpkey"), cert).build();
        KeyDiscovery.Report r = discovery(z).discover(ERIN, Duration.ofSeconds(5));
        assertThat(r.found()).isTrue();
        assertThat(r.findings()).anySatisfy(f -> {
            assertThat(f.method()).isEqualTo(KeyDiscovery.Method.OPENPGPKEY);
            assertThat(f.outcome()).isEqualTo(KeyDiscovery.Outcome.FOUND);
            assertThat(f.fingerprint()).isEqualTo(OpenPgpKeys.fingerprint(k));
        });
        // SMIMEA: the validated zone says "no such name"
        assertThat(r.findings()).anySatisfy(f -> assertThat(f.toString()).startsWith("smimea: none"));
        List<Keys.PeerKey> stored = store.keys().peers(ERIN);
        assertThat(stored).singleElement().satisfies(p -> {
            assertThat(p.origin()).isEqualTo(Keys.Origin.OPENPGPKEY);
            assertThat(p.type()).isEqualTo(Keys.Type.OPENPGP);
            assertThat(p.publicKey()).isEqualTo(cert);
            assertThat(p.addedAt()).isNotNull();
        });
    }

    @Test
    void insecureAnswersAreIgnored() throws Exception {
        byte[] cert = OpenPgpKeys.extractCertificate(pgp(ERIN), false);
        SmimeCa ca = SmimeCa.create("remote.test", Instant.now());
        byte[] der = ca.issue(ERIN, Instant.now()).certificate().getEncoded();
        ZoneResolver z = ZoneResolver.builder().authentic(false).openpgpkey(name("_openpgpkey"), cert)
                .smimea(name("_smimecert"), 3, 0, 0, der).build();
        KeyDiscovery.Report r = discovery(z).discover(ERIN, Duration.ofSeconds(5));
        assertThat(r.found()).isFalse();
        assertThat(r.findings()).filteredOn(f -> f.method() != KeyDiscovery.Method.WKD_ADVANCED)
                .allSatisfy(f -> {
                    assertThat(f.outcome()).isEqualTo(KeyDiscovery.Outcome.IGNORED);
                    assertThat(f.detail()).contains("not DNSSEC-validated");
                });
        assertThat(store.keys().peers(ERIN)).isEmpty();
    }

    @Test
    void bogusOrFailedAnswersAreErrorsAndShortlyCached() throws Exception {
        ZoneResolver z = ZoneResolver.builder().authentic(true).servfail(name("_openpgpkey")).timeout(name("_smimecert")).build();
        KeyDiscovery d = discovery(z);
        KeyDiscovery.Report r = d.discover(ERIN, Duration.ofSeconds(5));
        assertThat(r.definite()).isFalse();
        assertThat(r.findings()).filteredOn(f -> f.method() == KeyDiscovery.Method.OPENPGPKEY || f.method() == KeyDiscovery.Method.SMIMEA)
                .extracting(KeyDiscovery.Finding::outcome).containsOnly(KeyDiscovery.Outcome.ERROR);
        assertThat(d.discoverIfDue(ERIN, Duration.ofSeconds(5))).isFalse();
    }

    @Test
    void aKeyForAnotherAddressOrAHashOnlySmimeaIsNotStored() throws Exception {
        byte[] mallory = OpenPgpKeys.extractCertificate(pgp("mallory@evil.test"), false);
        SmimeCa ca = SmimeCa.create("remote.test", Instant.now());
        byte[] der = ca.issue("someone@remote.test", Instant.now()).certificate().getEncoded();
        ZoneResolver z = ZoneResolver.builder().authentic(true).openpgpkey(name("_openpgpkey"), mallory)
                .smimea(name("_smimecert"), 3, 0, 0, der).build();
        KeyDiscovery.Report r = discovery(z).discover(ERIN, Duration.ofSeconds(5));
        assertThat(r.found()).isFalse();
        assertThat(r.findings().toString()).contains("no User ID with erin@remote.test", "certificate is not for erin@remote.test");
        ZoneResolver hashOnly = ZoneResolver.builder().authentic(true).smimea(name("_smimecert"), 3, 0, 1, new byte[32]).build();
        assertThat(discovery(hashOnly).discover(ERIN, Duration.ofSeconds(5)).findings().toString()).contains("carries no certificate");
        assertThat(store.keys().peers(ERIN)).isEmpty();
    }

    @Test
    void validatedSmimeaCertificateIsStored() throws Exception {
        SmimeCa ca = SmimeCa.create("remote.test", Instant.now());
        var cert = ca.issue(ERIN, Instant.now()).certificate();
        ZoneResolver z = ZoneResolver.builder().authentic(true).smimea(name("_smimecert"), 3, 0, 0, cert.getEncoded()).build();
        KeyDiscovery.Report r = discovery(z).discover(ERIN, Duration.ofSeconds(5));
        assertThat(r.found()).isTrue();
        assertThat(store.keys().peers(ERIN)).singleElement().satisfies(p -> {
            assertThat(p.origin()).isEqualTo(Keys.Origin.SMIMEA);
            assertThat(p.fingerprint()).isEqualTo(SecureKeys.smimeFingerprint(cert.getEncoded()));
            assertThat(p.validUntil()).isEqualTo(cert.getNotAfter().toInstant());
        });
    }

    @Test
    void theGatewayEncryptsToADiscoveredKeyAndCachesTheNegative() throws Exception {
        OpenPGPKey k = pgp(ERIN);
        ZoneResolver z = ZoneResolver.builder().authentic(true).openpgpkey(name("_openpgpkey"), OpenPgpKeys.extractCertificate(k, false)).build();
        SecureKeys keys = new SecureKeys(store.keys(), store.directory(), Clock.systemUTC());
        SubmissionSecurity s = new SubmissionSecurity(keys, "[secure]", Clock.systemUTC(), discovery(z), Duration.ofSeconds(5));
        byte[] m = ("From: alice@example.test\r\nTo: " + ERIN + "\r\nSubject: [secure] plan\r\nContent-Type: text/plain\r\n\r\nThe secret plan.\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        SubmissionSecurity.Result r = s.process("s1", "alice@example.test", List.of(ERIN), m);
        assertThat(r.decision().encryptedAs()).isEqualTo(SubmissionSecurity.Format.OPENPGP);
        assertThat(MessageStructure.parse(r.message()).root().mediaType()).isEqualTo("multipart/encrypted");
        assertThat(new String(r.message(), StandardCharsets.ISO_8859_1)).doesNotContain("secret plan");
        // nobody@remote.test has nothing: refused, and asked only once within the negative TTL
        KeyDiscovery d = discovery(z);
        assertThat(d.discoverIfDue("nobody@remote.test", Duration.ofSeconds(5))).isFalse();
        ZoneResolver later = ZoneResolver.builder().authentic(true)
                .openpgpkey(KeyDiscovery.dnsName("nobody", "remote.test", "_openpgpkey"), OpenPgpKeys.extractCertificate(pgp("nobody@remote.test"), false)).build();
        assertThat(d.discoverIfDue("nobody@remote.test", Duration.ofSeconds(5))).isFalse(); // cached negative, new zone not asked
        assertThat(discovery(later).discoverIfDue("nobody@remote.test", Duration.ofSeconds(5))).isTrue();
    }
}
