package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.app.SealpostServer;
import dev.sealpost.app.config.SealpostConfig;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.store.Directory;
import dev.sealpost.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sealpost quickstart} in an empty directory, as a new administrator runs it. */
class QuickstartCommandTest {
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

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The password from the output: the one indented line after "has the password". */
    static String password(String output) {
        Matcher m = Pattern.compile("has the password \\(shown only now, and nowhere else\\):\\n\\n {4}(\\S+)\\n").matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return m.group(1);
    }

    @Test
    void setsUpAServerWhoseConfigLoadsAndWhoseAdminCanLogIn() throws Exception {
        Path data = dir.resolve("srv");
        assertThat(run("quickstart", "Admin@Quick.TEST", "--data", data.toString(), "--port-offset", "20000"))
                .as(err.toString()).isZero();
        String text = out();
        String pw = password(text);
        assertThat(new PasswordPolicy(12).problem(pw.toCharArray())).isEmpty();
        assertThat(text.indexOf(pw)).isEqualTo(text.lastIndexOf(pw)); // printed once

        // the written config loads as serve loads it, with every file it names in place
        Path file = data.resolve("sealpost.toml");
        SealpostConfig cfg = SealpostConfig.load(file);
        cfg.checkNamedFiles();
        assertThat(cfg.server().hostname()).isEqualTo("mail.quick.test");
        assertThat(cfg.server().dataDir()).isEqualTo(data.toAbsolutePath().normalize());
        assertThat(cfg.server().postmaster()).isEqualTo("admin@quick.test");
        assertThat(cfg.tls().certificate()).isEqualTo(data.resolve("tls/cert.pem").toAbsolutePath().normalize());
        var l = cfg.listeners();
        assertThat(List.of(l.smtp(), l.submission(), l.submissions(), l.imap(), l.imaps(), l.pop3(), l.pop3s(),
                cfg.managesieve().listen(), l.http(), l.https()))
                .extracting(a -> a.map(InetSocketAddress::getPort).orElse(-1))
                .containsExactly(20025, 20587, 20465, 20143, 20993, 20110, 20995, 24190, 20080, 20443);
        assertThat(cfg.web().mtaStsMx()).containsExactly("mail.quick.test");
        assertThat(cfg.warnings()).isEmpty(); // no example value left
        // complete and commented: every key of conf/sealpost.toml, with its comments
        String written = Files.readString(file);
        assertThat(keys(written)).isEqualTo(keys(Files.readString(Path.of("../conf/sealpost.toml"))));
        assertThat(written).startsWith("# Written by 'sealpost quickstart admin@quick.test'")
                .contains("# MX: mail for our domains, STARTTLS offered, no AUTH")
                .contains("smtp = \"0.0.0.0:20025\"      ").doesNotContain(pw);
        assertThat(Files.getPosixFilePermissions(data)).doesNotContain(PosixFilePermission.OTHERS_READ);

        try (Store s = Store.open(SealpostServer.storeConfig(cfg, Clock.systemUTC()))) {
            Directory d = s.directory();
            assertThat(d.domains()).containsExactly("quick.test");
            assertThat(d.authenticate("admin@quick.test", pw.toCharArray())).isPresent();
            assertThat(d.authenticate("admin@quick.test", "not the password".toCharArray())).isEmpty();
            assertThat(d.signingKeys("quick.test")).extracting(Directory.DkimKey::algorithm)
                    .containsExactlyInAnyOrder("rsa-sha256", "ed25519-sha256");
            for (String alias : List.of("postmaster@quick.test", "abuse@quick.test", "tlsrpt@quick.test")) {
                assertThat(d.resolve(EmailAddress.parse(alias).orElseThrow()).accounts()).as(alias)
                        .extracting(Directory.Account::address).containsExactly("admin@quick.test");
            }
            // every DNS record is printed, the DKIM keys' among them
            for (Directory.DkimKey k : d.dkimKeys("quick.test")) assertThat(text).contains(DkimCommand.zoneLine(k));
        }
        assertThat(text).contains("quick.test. IN MX 10 mail.quick.test.").contains("_dmarc.quick.test. IN TXT")
                .contains("_mta-sts.quick.test. IN TXT").contains("_smtp._tls.quick.test. IN TXT")
                .contains("_25._tcp.mail.quick.test. IN TLSA 3 1 1 ")
                .contains("bin/sealpost serve --config " + file.toAbsolutePath().normalize())
                .contains("Every port written is above 1023");

        X509Certificate cert;
        try (InputStream in = Files.newInputStream(data.resolve("tls/cert.pem"))) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertThat(cert.getSubjectAlternativeNames().stream().map(n -> (Object) n.get(1)).toList())
                .contains("mail.quick.test", "mta-sts.quick.test", "autoconfig.quick.test");

        // a second run changes nothing and says why
        byte[] before = Files.readAllBytes(file);
        assertThat(run("quickstart", "other@quick.test", "--data", data.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("refusing to overwrite the existing config file " + file.toAbsolutePath());
        assertThat(out()).isEmpty();
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void refusesADataDirectoryWithADatabaseOrAnExistingConfigFile() throws Exception {
        Path data = dir.resolve("srv");
        Path cfg = dir.resolve("etc/sealpost.toml");
        assertThat(run("quickstart", "admin@quick.test", "--data", data.toString(), "--config", cfg.toString(),
                "--hostname", "mx1.quick.test")).as(err.toString()).isZero();
        assertThat(out()).contains("has the password").contains("of its ports are below 1024 and need the capability CAP_NET_BIND_SERVICE");
        SealpostConfig loaded = SealpostConfig.load(cfg);
        assertThat(loaded.server().hostname()).isEqualTo("mx1.quick.test");
        assertThat(loaded.listeners().smtp().orElseThrow().getPort()).isEqualTo(25);
        assertThat(loaded.listeners().https().orElseThrow().getPort()).isEqualTo(443);
        assertThat(Files.exists(data.resolve("sealpost.toml"))).isFalse();

        // the same data directory with a new config file: the database is there
        assertThat(run("quickstart", "admin@quick.test", "--data", data.toString(), "--config", dir.resolve("new.toml").toString()))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("refusing to overwrite the existing Sealpost database in");
        assertThat(Files.exists(dir.resolve("new.toml"))).isFalse();
        // a new data directory with the existing config file
        assertThat(run("quickstart", "admin@quick.test", "--data", dir.resolve("other").toString(), "--config", cfg.toString()))
                .isEqualTo(1);
        assertThat(Files.exists(dir.resolve("other"))).isFalse();
    }

    @Test
    void badArgumentsAreNamedAndNothingIsCreated() {
        assertThat(run("quickstart", "not-an-address", "--data", dir.resolve("a").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not an email address: not-an-address");
        assertThat(run("quickstart", "admin@quick.test", "--data", dir.resolve("a").toString(), "--port-offset", "70000")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--port-offset out of range");
        assertThat(Files.exists(dir.resolve("a"))).isFalse();
    }

    @Test
    void theAdminNamedPostmasterGetsNoAliasToItself() {
        Path data = dir.resolve("pm");
        assertThat(run("quickstart", "postmaster@quick.test", "--data", data.toString(), "--port-offset", "20000"))
                .as(err.toString()).isZero();
        assertThat(out()).contains("aliases       abuse@quick.test, tlsrpt@quick.test -> postmaster@quick.test");
    }

    @Test
    void renderKeepsCommentsAndTheirColumnAndNamesAMissingKey() {
        String t = "[a]\nx = \"0.0.0.0:25\"          # c1\ny = 5\n# x = \"no\"\n[b]\nx = []  # c2\n";
        assertThat(QuickstartCommand.render(t, Map.of("a.x", "\"0.0.0.0:20025\"", "b.x", "[\"a very long value\"]")))
                .isEqualTo("[a]\nx = \"0.0.0.0:20025\"       # c1\ny = 5\n# x = \"no\"\n[b]\nx = [\"a very long value\"] # c2\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> QuickstartCommand.render(t, Map.of("c.x", "1")))
                .hasMessageContaining("[c.x]");
    }

    @Test
    void refusalNamesWhatExists() throws Exception {
        Path d = dir.resolve("d");
        Files.createDirectories(d.resolve("tls"));
        Files.writeString(d.resolve("tls/key.pem"), "x");
        assertThat(QuickstartCommand.existingSetup(d, d.resolve("sealpost.toml"), d.resolve("tls/cert.pem"), d.resolve("tls/key.pem")))
                .isEqualTo(Optional.of("refusing to overwrite the existing " + d.resolve("tls/key.pem")));
        assertThat(QuickstartCommand.existingSetup(dir.resolve("none"), dir.resolve("none/s.toml"), dir.resolve("none/c"), dir.resolve("none/k")))
                .isEmpty();
    }

    @Test
    void theReadmeQuickstartLineRunsAsWritten() throws Exception {
        Matcher m = Pattern.compile("(?m)^dist/sealpost/bin/sealpost (quickstart [^#\\n]*)").matcher(Files.readString(Path.of("../README.md")));
        assertThat(m.find()).as("README quick start example").isTrue();
        // the README's ./sealpost-data, here in a temp directory
        String[] args = m.group(1).strip().replace("./sealpost-data", dir.resolve("sealpost-data").toString()).split("\\s+");
        assertThat(run(args)).as(err.toString()).isZero();
        assertThat(SealpostConfig.load(dir.resolve("sealpost-data/sealpost.toml")).server().hostname()).isEqualTo("mail.example.com");
        assertThat(out()).contains("example.com. IN MX 10 mail.example.com.");
    }

    /** The {@code section.key} names set in a TOML text (commented-out examples aside). */
    static Set<String> keys(String toml) {
        Set<String> out = new TreeSet<>();
        String section = "";
        for (String line : toml.split("\n")) {
            Matcher s = Pattern.compile("^\\[([a-z_.]+)]").matcher(line);
            Matcher k = Pattern.compile("^([a-z_]+)\\s*=").matcher(line);
            if (s.find()) section = s.group(1);
            else if (k.find()) out.add(section + "." + k.group(1));
        }
        assertThat(out).hasSizeGreaterThan(50);
        return out;
    }
}
