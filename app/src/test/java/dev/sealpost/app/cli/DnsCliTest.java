package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.app.tls.TlsFiles;
import dev.sealpost.dns.MxRecord;
import dev.sealpost.dns.ZoneResolver;
import dev.sealpost.store.Directory;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sealpost dns records}: the zone text a domain should publish. */
class DnsCliTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut, oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A config with host name and certificate, its data in {@code dir/data}. */
    Path config() throws Exception {
        TlsFiles.writeSelfSigned(dir.resolve("cert.pem"), dir.resolve("key.pem"), "mx.example.test", List.of("mx.example.test"), List.of());
        Path cfg = dir.resolve("sealpost.toml");
        Files.writeString(cfg, """
                [server]
                hostname = "mx.example.test"
                data_dir = "data"
                [tls]
                certificate = "cert.pem"
                private_key = "key.pem"
                """);
        Files.createDirectories(dir.resolve("data"));
        return cfg;
    }

    @Test
    void recordsFromTheConfigWithTlsaAndDkim() throws Exception {
        Path cfg = config();
        assertThat(run("domain", "add", "example.test", "--dkim", "--config", cfg.toString())).isZero();
        assertThat(run("dkim", "rotate", "--domain", "example.test", "--algorithm", "ed25519", "--selector", "ed2",
                "--config", cfg.toString())).isZero();
        List<Directory.DkimKey> keys;
        try (Store s = Store.open(StoreConfig.sqlite(dir.resolve("data")))) {
            keys = s.directory().dkimKeys("example.test");
        }

        assertThat(run("dns", "records", "example.test", "--config", cfg.toString())).isZero();
        String z = out();
        assertThat(z).contains("$TTL 3600")
                .contains("example.test. IN MX 10 mx.example.test.")
                .contains("example.test. IN TXT \"v=spf1 mx -all\"")
                .contains("_dmarc.example.test. IN TXT \"v=DMARC1; p=quarantine; rua=mailto:postmaster@example.test\"")
                .containsPattern("_mta-sts\\.example\\.test\\. IN TXT \"v=STSv1; id=[0-9a-f]{20}\"")
                .contains("mta-sts.example.test. IN CNAME mx.example.test.")
                .contains(";   mode: testing").contains(";   mx: mx.example.test")
                .contains("_smtp._tls.example.test. IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@example.test\"")
                .contains("_submissions._tcp.example.test. IN SRV 0 1 465 mx.example.test.")
                .contains("_submission._tcp.example.test. IN SRV 0 1 587 mx.example.test.")
                .contains("_imaps._tcp.example.test. IN SRV 0 1 993 mx.example.test.")
                .contains("_pop3s._tcp.example.test. IN SRV 10 1 995 mx.example.test.")
                .doesNotContain("WARNING");
        // every key still published, the retiring one with its advice
        for (Directory.DkimKey k : keys) {
            String line = DkimCliTest.line(z, k.recordName() + ". IN TXT ");
            assertThat(DkimCliTest.txtValue(line)).isEqualTo(k.publicRecord());
        }
        assertThat(keys).extracting(Directory.DkimKey::state).containsExactly("active", "retiring", "active");
        assertThat(z).contains("; retiring (no longer signs): keep its DNS record published for at least 7 more days");

        // the text is a valid zone file: dnsjava's master-file parser reads it back to the same values
        ZoneResolver zone = ZoneResolver.fromMasterText(z, "example.test.");
        for (Directory.DkimKey k : keys) assertThat(zone.txt(k.recordName()).records()).containsExactly(k.publicRecord());
        assertThat(zone.mx("example.test").records()).singleElement().extracting(MxRecord::exchange).asString().startsWith("mx.example.test");
        assertThat(zone.txt("_dmarc.example.test").records()).containsExactly("v=DMARC1; p=quarantine; rua=mailto:postmaster@example.test");
        assertThat(zone.tlsa("_25._tcp.mx.example.test").records()).hasSize(1);

        // TLSA 3 1 1: SHA-256 of the certificate's SubjectPublicKeyInfo, checked with openssl where present
        String tlsa = DkimCliTest.line(z, "_25._tcp.mx.example.test. IN TLSA 3 1 1 ");
        String hash = tlsa.substring(tlsa.lastIndexOf(' ') + 1);
        assertThat(hash).matches("[0-9a-f]{64}").isEqualTo(DnsCommand.spkiSha256(dir.resolve("cert.pem")));
        if (Files.isExecutable(Path.of("/usr/bin/openssl"))) {
            Process p = new ProcessBuilder("sh", "-c", "openssl x509 -in cert.pem -pubkey -noout | openssl pkey -pubin -outform DER"
                    + " | openssl dgst -sha256 -r").directory(dir.toFile()).redirectErrorStream(true).start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith(hash);
        }
    }

    @Test
    void recordsFromDataDirWithHostnameAndAddresses() throws Exception {
        assertThat(run("domain", "add", "example.test", "--no-dkim", "--data", dir.toString())).isZero();
        assertThat(run("dns", "records", "example.test", "--data", dir.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("error: the MX host name is not known: give --hostname MX_HOST");
        assertThat(run("dns", "records", "example.test", "--hostname", "Mail.Example.TEST.", "--ip", "192.0.2.25",
                "--ip", "2001:db8::25", "--data", dir.toString())).isZero();
        String z = out();
        assertThat(z).contains("example.test. IN MX 10 mail.example.test.")
                .contains("mail.example.test. IN A 192.0.2.25")
                .contains("mail.example.test. IN AAAA 2001:db8:0:0:0:0:0:25")
                .contains("example.test. IN TXT \"v=spf1 ip4:192.0.2.25 ip6:2001:db8:0:0:0:0:0:25 -all\"")
                .contains("mta-sts.example.test. IN A 192.0.2.25")
                .contains("; no DKIM key: run 'sealpost dkim keygen")
                .contains("; skipped: no certificate");
        assertThat(run("dns", "records", "example.test", "--hostname", "mx.example.test", "--ip", "not-an-ip", "--data", dir.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("error: not an IP address: not-an-ip");
        assertThat(run("dns", "records", "other.test", "--hostname", "mx.example.test", "--data", dir.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("error: domain other.test is not a local domain");
    }

    @Test
    void checkComparesWithTheZoneTheServerSees() throws Exception {
        Path cfg = config();
        Files.writeString(dir.resolve("zone.txt"), "$TTL 300\n");
        Files.writeString(cfg, Files.readString(cfg) + "[dns]\nzone_file = \"zone.txt\"\n");
        assertThat(run("domain", "add", "example.test", "--dkim", "--config", cfg.toString())).isZero();
        assertThat(run("dns", "records", "example.test", "--config", cfg.toString())).isZero();
        String zone = out();

        // everything published as recommended
        Files.writeString(dir.resolve("zone.txt"), zone);
        assertThat(run("dns", "check", "example.test", "--config", cfg.toString())).as(out()).isZero();
        assertThat(out()).contains("OK        example.test MX").contains("OK        _25._tcp.mx.example.test TLSA")
                .contains("all 8 records OK");

        // the Ed25519 key not published, SPF of the owner's making, no DMARC, an old certificate pinned
        String ed = zone.lines().filter(l -> l.startsWith("ed") && l.contains("._domainkey.")).findFirst().orElseThrow();
        String changed = zone.replace(ed + "\n", "")
                .replace("\"v=spf1 mx -all\"", "\"v=spf1 a -all\"")
                .lines().filter(l -> !l.startsWith("_dmarc.")).map(l -> l.startsWith("_25._tcp.") ? l.substring(0, l.length() - 64) + "00".repeat(32) : l)
                .reduce("", (a, b) -> a + b + "\n");
        Files.writeString(dir.resolve("zone.txt"), changed);
        assertThat(run("dns", "check", "example.test", "--config", cfg.toString())).isEqualTo(1);
        assertThat(out()).contains("OK        example.test MX")
                .containsPattern("MISSING   ed\\d{6}\\._domainkey\\.example\\.test TXT: expected v=DKIM1; k=ed25519; p=")
                .containsPattern("OK        rsa\\d{6}\\._domainkey\\.example\\.test TXT")
                .contains("DIFFERENT example.test TXT: expected v=spf1 mx -all, found v=spf1 a -all")
                .contains("MISSING   _dmarc.example.test TXT")
                .contains("DIFFERENT _25._tcp.mx.example.test TLSA: expected 3 1 1 ")
                .contains("4 of 8 records need attention");
    }

    @Test
    void printIsStableForAPinnedClock() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DnsCommand.print(new PrintStream(b, true, StandardCharsets.UTF_8), "example.test", "localhost",
                List.of(InetAddress.ofLiteral("192.0.2.1")), List.of(), null,
                Clock.fixed(Instant.parse("2026-11-02T09:08:07Z"), ZoneOffset.UTC));
        String z = b.toString(StandardCharsets.UTF_8);
        assertThat(z).startsWith("; DNS records for example.test (Sealpost, 2026-11-02T09:08:07Z)")
                // the id is the served policy's hash: the same policy gives the same id on every run
                .contains("_mta-sts.example.test. IN TXT \"v=STSv1; id=" + dev.sealpost.web.WebServer.policyId(DnsCommand.defaultPolicy("localhost")) + "\"")
                .contains(";   mode: testing").contains("autoconfig.example.test. IN CNAME localhost.")
                .contains("; WARNING: the server's host name is 'localhost'");
        // every non-comment line is a record of the form: name. IN TYPE data
        assertThat(z.lines().filter(l -> !l.isEmpty() && !l.startsWith(";") && !l.startsWith("$")))
                .allSatisfy(l -> assertThat(l).matches("[a-z0-9_.-]+\\. IN (MX|A|AAAA|TXT|CNAME|TLSA|SRV) .+"));
    }

    @Test
    void keyRecordsOpenpgpkeySmimeaAndTheWkdHost() throws Exception {
        // RFC 7929 §3's example owner name
        assertThat(DnsCommand.keyOwnerName("hugh@example.com", "_openpgpkey"))
                .isEqualTo("c93f1e400f26708f98cb19d936620da35eec8f72e57f9eec01c1afd6._openpgpkey.example.com.");
        try (Store s = dev.sealpost.store.internal.JdbcStore.open(StoreConfig.sqlite(dir),
                pw -> dev.sealpost.core.auth.PasswordHasher.hash(pw, 1000, 4096))) {
            s.directory().addDomain("example.test");
            s.directory().addAccount("alice@example.test", "pw alice 123".toCharArray());
            s.directory().addAccount("bob@example.test", "pw bob 123456".toCharArray());
        }
        assertThat(run("dns", "records", "example.test", "--hostname", "mx.example.test", "--data", dir.toString())).isZero();
        assertThat(out()).contains("openpgpkey.example.test. IN CNAME mx.example.test.").contains("; no account of example.test has a key");
        assertThat(run("keys", "generate", "alice@example.test", "--type", "openpgp", "--data", dir.toString())).isZero();
        assertThat(run("keys", "generate", "alice@example.test", "--type", "smime", "--data", dir.toString())).isZero();
        assertThat(run("dns", "records", "example.test", "--hostname", "mx.example.test", "--ip", "192.0.2.25", "--data", dir.toString())).isZero();
        String z = out();
        assertThat(z).contains("openpgpkey.example.test. IN A 192.0.2.25");
        dev.sealpost.store.Keys.OwnKey pgp, smime;
        try (Store s = Store.open(StoreConfig.sqlite(dir))) {
            pgp = s.keys().currentOwn("alice@example.test", dev.sealpost.store.Keys.Type.OPENPGP).orElseThrow();
            smime = s.keys().currentOwn("alice@example.test", dev.sealpost.store.Keys.Type.SMIME).orElseThrow();
        }
        // the section parses as zone-file text (dnsjava) into the records with the stored keys
        String section = "$TTL 3600\n" + z.substring(z.indexOf("; OpenPGP Web Key Directory"));
        List<org.xbill.DNS.Record> records = new java.util.ArrayList<>();
        try (org.xbill.DNS.Master m = new org.xbill.DNS.Master(new java.io.ByteArrayInputStream(section.getBytes(StandardCharsets.US_ASCII)))) {
            for (org.xbill.DNS.Record r; (r = m.nextRecord()) != null; ) records.add(r);
        }
        String hash = DnsCommand.keyOwnerName("alice@example.test", "_openpgpkey").substring(0, 56);
        assertThat(records).hasSize(3);
        org.xbill.DNS.OPENPGPKEYRecord o = (org.xbill.DNS.OPENPGPKEYRecord) records.get(1);
        assertThat(o.getName().toString()).isEqualTo(hash + "._openpgpkey.example.test.");
        assertThat(o.getCert()).isEqualTo(pgp.publicKey());
        org.xbill.DNS.SMIMEARecord c = (org.xbill.DNS.SMIMEARecord) records.get(2);
        assertThat(c.getName().toString()).isEqualTo(hash + "._smimecert.example.test.");
        assertThat(c.getCertificateUsage()).isEqualTo(3);
        assertThat(c.getSelector()).isZero();
        assertThat(c.getMatchingType()).isZero();
        assertThat(c.getCertificateAssociationData()).isEqualTo(smime.publicKey());
        assertThat(z).doesNotContain("_openpgpkey." + "bob");
    }
}
