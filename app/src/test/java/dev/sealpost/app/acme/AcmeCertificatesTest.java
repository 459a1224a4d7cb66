package dev.sealpost.app.acme;

import dev.sealpost.app.config.ConfigException;
import dev.sealpost.app.config.SealpostConfig;
import dev.sealpost.app.tls.TlsFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The renewal service's decisions and the {@code [acme]} config, without a CA (AcmePebbleTest has one). */
class AcmeCertificatesTest {
    @TempDir
    Path dir;

    @Test
    void renewalIsDueAtTwoThirdsOfTheLifetimeAndBackoffDoublesUpToADay() throws Exception {
        TlsFiles.writeSelfSigned(dir.resolve("c.pem"), dir.resolve("k.pem"), "mail.sealpost.test", List.of("mail.sealpost.test"), List.of());
        X509Certificate c = read(dir.resolve("c.pem"));
        Instant from = c.getNotBefore().toInstant(), to = c.getNotAfter().toInstant();
        Instant at = AcmeCertificates.renewAt(c);
        assertThat(Duration.between(from, at).toSeconds()).isEqualTo(Duration.between(from, to).toSeconds() * 2 / 3);
        assertThat(AcmeCertificates.backoff(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(AcmeCertificates.backoff(2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(AcmeCertificates.backoff(4)).isEqualTo(Duration.ofMinutes(8));
        assertThat(AcmeCertificates.backoff(40)).isEqualTo(Duration.ofHours(24));
        assertThat(AcmeCertificates.covers(c, List.of("mail.sealpost.test"))).isTrue();
        assertThat(AcmeCertificates.covers(c, List.of("MAIL.sealpost.test", "mta-sts.sealpost.test"))).isFalse();
        assertThat(AcmeCertificates.isPlaceholder(c)).isFalse();
    }

    @Test
    void thePlaceholderIsMarkedAndKeptUntilReplaced() throws Exception {
        Path acme = dir.resolve("acme");
        AcmeCertificates.preparePlaceholder(acme, "mail.sealpost.test");
        X509Certificate p = read(acme.resolve("cert.pem"));
        assertThat(AcmeCertificates.isPlaceholder(p)).isTrue();
        AcmeCertificates.preparePlaceholder(acme, "mail.sealpost.test");
        assertThat(read(acme.resolve("cert.pem")).getSerialNumber()).isEqualTo(p.getSerialNumber());
        // its PKCS#8 key is not taken for the first order: a new key is made then
        assertThat(AcmeCertificates.readKeyPair(acme.resolve("key.pem"))).isNull();
    }

    @Test
    void aKeySwapCutShortByACrashIsFinishedOrDroppedAtTheNextStart() throws Exception {
        Path acme = dir.resolve("acme");
        // an issued certificate whose new key is still in key.pem.new (key.pem holds the old one)
        Files.createDirectories(acme);
        java.security.KeyPair fits = org.shredzone.acme4j.util.KeyPairUtils.createKeyPair(2048);
        AcmeCertificates.registerBouncyCastle();
        X509Certificate cert = selfSigned(fits);
        Files.writeString(acme.resolve("cert.pem"), pem(cert));
        Files.writeString(acme.resolve("key.pem"), "old key\n");
        try (var w = Files.newBufferedWriter(acme.resolve(AcmeCertificates.PENDING_KEY))) {
            org.shredzone.acme4j.util.KeyPairUtils.writeKeyPair(fits, w);
        }
        AcmeCertificates.preparePlaceholder(acme, "mail.sealpost.test");
        assertThat(acme.resolve(AcmeCertificates.PENDING_KEY)).doesNotExist();
        assertThat(AcmeCertificates.readKeyPair(acme.resolve("key.pem")).getPublic()).isEqualTo(fits.getPublic());
        // a pending key that does not fit the certificate is dropped, key.pem stays
        try (var w = Files.newBufferedWriter(acme.resolve(AcmeCertificates.PENDING_KEY))) {
            org.shredzone.acme4j.util.KeyPairUtils.writeKeyPair(org.shredzone.acme4j.util.KeyPairUtils.createKeyPair(2048), w);
        }
        AcmeCertificates.preparePlaceholder(acme, "mail.sealpost.test");
        assertThat(acme.resolve(AcmeCertificates.PENDING_KEY)).doesNotExist();
        assertThat(AcmeCertificates.readKeyPair(acme.resolve("key.pem")).getPublic()).isEqualTo(fits.getPublic());
    }

    private static X509Certificate selfSigned(java.security.KeyPair kp) throws Exception {
        var name = new org.bouncycastle.asn1.x500.X500Name("CN=mail.sealpost.test");
        var b = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.ONE,
                java.util.Date.from(Instant.now().minusSeconds(60)), java.util.Date.from(Instant.now().plusSeconds(3600)), name, kp.getPublic());
        return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
                b.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
    }

    private static String pem(X509Certificate c) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    @Test
    void defaultNamesAreTheHostnameAndEachDomainsMtaStsAndAutoconfigHosts() {
        assertThat(AcmeCertificates.defaultNames("Mail.Sealpost.test", List.of("sealpost.test", "example.test")))
                .containsExactly("mail.sealpost.test", "mta-sts.sealpost.test", "autoconfig.sealpost.test",
                        "mta-sts.example.test", "autoconfig.example.test");
    }

    @Test
    void acmeConfig() {
        String base = "[server]\ndata_dir = \"data\"\n[listeners]\nsubmission = \"\"\nsubmissions = \"\"\nimap = \"\"\nimaps = \"\"\n"
                + "pop3 = \"\"\npop3s = \"\"\n";
        SealpostConfig off = SealpostConfig.parse(base, dir);
        assertThat(off.acme().enabled()).isFalse();
        assertThat(off.acme().directory()).isEqualTo("https://acme-v02.api.letsencrypt.org/directory");
        assertThat(off.acme().challenge()).isEqualTo("auto");
        SealpostConfig on = SealpostConfig.parse(base + """
                [acme]
                enabled = true
                directory = "https://127.0.0.1:14000/dir"
                contact = "mailto:postmaster@sealpost.test"
                trust_ca = "pebble.pem"
                names = ["Mail.Sealpost.test"]
                roll_key = true
                """, dir);
        assertThat(on.acme().names()).containsExactly("mail.sealpost.test");
        assertThat(on.acme().trustCa()).isEqualTo(dir.resolve("pebble.pem"));
        assertThat(on.acme().rollKey()).isTrue();
        // ACME owns the listeners' certificate, in the data directory
        assertThat(on.tls().certificate()).isEqualTo(dir.resolve("data/acme/cert.pem"));
        assertThat(on.tls().privateKey()).isEqualTo(dir.resolve("data/acme/key.pem"));
        assertThatThrownBy(() -> SealpostConfig.parse(base + "[acme]\ndirectory = \"http://ca.test/dir\"\n", dir))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'acme.directory'");
        assertThatThrownBy(() -> SealpostConfig.parse(base + "[acme]\ncontact = \"postmaster@sealpost.test\"\n", dir))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'acme.contact'");
        assertThatThrownBy(() -> SealpostConfig.parse(base + "[acme]\nchallenge = \"dns-01\"\n", dir))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'acme.challenge'");
        assertThatThrownBy(() -> SealpostConfig.parse(base + "[tls]\ncertificate = \"c.pem\"\nprivate_key = \"k.pem\"\n[acme]\nenabled = true\n", dir))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'tls.certificate'").hasMessageContaining("acme.enabled");
        assertThatThrownBy(on::checkNamedFiles).isInstanceOf(ConfigException.class).hasMessageContaining("key 'acme.trust_ca'");
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
