package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.auth.dkim.DkimKeys;
import dev.sealpost.store.Directory;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sealpost dkim ...} and {@code domain add --dkim} on a data directory, as an administrator types them. */
class DkimCliTest {
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
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--data", dir.toString()));
        return Main.run(full.toArray(String[]::new));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    List<Directory.DkimKey> keys(String domain) {
        try (Store s = Store.open(StoreConfig.sqlite(dir))) {
            return s.directory().dkimKeys(domain);
        }
    }

    /** The TXT value of a zone line: its quoted strings joined (RFC 6376 §3.6.2.2). */
    static String txtValue(String line) {
        Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(line);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            assertThat(m.group(1).length()).isLessThanOrEqualTo(255);
            sb.append(m.group(1));
        }
        return sb.toString();
    }

    static String line(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with " + prefix + " in:\n" + text));
    }

    @Test
    void keygenStoresTheKeyAndPrintsItsRecord() throws Exception {
        assertThat(run("domain", "add", "example.test", "--no-dkim")).isZero();
        assertThat(run("dkim", "keygen", "--domain", "Example.TEST", "--selector", "Mail2026", "--algorithm", "rsa")).isZero();
        String zone = line(out(), "mail2026._domainkey.example.test. IN TXT \"");
        Directory.DkimKey k = keys("example.test").getFirst();
        assertThat(k.selector()).isEqualTo("mail2026");
        assertThat(k.algorithm()).isEqualTo("rsa-sha256");
        assertThat(k.state()).isEqualTo("active");
        // RSA-2048: the record is longer than one character-string, so it is split
        assertThat(k.publicRecord()).startsWith("v=DKIM1; k=rsa; p=").hasSizeGreaterThan(255);
        assertThat(zone).containsPattern("\" \"");
        assertThat(txtValue(zone)).isEqualTo(k.publicRecord());
        // the stored private key is PKCS#8 and matches the published public key
        PrivateKey pk = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(k.privateKeyPkcs8()));
        assertThat(DkimKeys.keyRecord(DkimKeys.publicKey(pk))).isEqualTo(k.publicRecord());
        assertThat(((java.security.interfaces.RSAKey) pk).getModulus().bitLength()).isEqualTo(2048);

        assertThat(run("dkim", "keygen", "--domain", "example.test", "--selector", "ed1", "--algorithm", "ed25519")).isZero();
        String ed = line(out(), "ed1._domainkey.example.test. IN TXT ");
        assertThat(txtValue(ed)).matches("v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=");
        assertThat(ed).doesNotContain("\" \""); // short enough for one string

        assertThat(run("dkim", "list")).isZero();
        assertThat(out().lines()).hasSize(2);
        assertThat(out()).containsPattern("example\\.test\tmail2026\trsa-sha256\tactive\t20\\d\\d-[^\t]+Z\tv=DKIM1; k=rsa; p=")
                .contains("example.test\ted1\ted25519-sha256\tactive\t");
    }

    @Test
    void keygenErrors() {
        assertThat(run("domain", "add", "example.test", "--no-dkim")).isZero();
        assertThat(run("dkim", "keygen", "--domain", "nowhere.test", "--selector", "s1", "--algorithm", "rsa")).isEqualTo(2);
        assertThat(err()).contains("error: domain nowhere.test is not a local domain");
        assertThat(run("dkim", "keygen", "--domain", "example.test", "--selector", "bad_sel", "--algorithm", "ed25519")).isEqualTo(2);
        assertThat(err()).contains("error: invalid DKIM selector");
        assertThat(run("dkim", "keygen", "--domain", "example.test", "--selector", "s1", "--algorithm", "rsa", "--bits", "512")).isEqualTo(2);
        assertThat(err()).contains("--bits must be between 1024 and 4096");
        assertThat(run("dkim", "keygen", "--domain", "example.test", "--selector", "s1", "--algorithm", "ed25519", "--bits", "2048")).isEqualTo(2);
        assertThat(err()).contains("RSA keys only");
        assertThat(run("dkim", "keygen", "--domain", "example.test", "--selector", "s1", "--algorithm", "dsa")).isNotZero();
        assertThat(run("dkim", "keygen", "--domain", "example.test", "--selector", "s1", "--algorithm", "ed25519")).isZero();
        assertThat(run("dkim", "keygen", "--domain", "example.test", "--selector", "S1", "--algorithm", "ed25519")).isEqualTo(2);
        assertThat(err()).contains("already exists");
        assertThat(keys("example.test")).hasSize(1);
    }

    @Test
    void retireRemoveAndRotate() {
        assertThat(run("domain", "add", "example.test", "--no-dkim")).isZero();
        assertThat(run("dkim", "keygen", "--domain", "example.test", "--selector", "ed1", "--algorithm", "ed25519")).isZero();
        assertThat(run("dkim", "keygen", "--domain", "example.test", "--selector", "rsa1", "--algorithm", "rsa", "--bits", "1024")).isZero();
        assertThat(out()).contains("warning: RSA keys under 2048 bits are weak");

        // an active key cannot be removed
        assertThat(run("dkim", "remove", "--domain", "example.test", "--selector", "ed1")).isEqualTo(2);
        assertThat(err()).contains("error: key ed1 for example.test is active").contains("dkim retire");

        // rotation: the new key signs, the old one of that algorithm retires, the other algorithm is untouched
        assertThat(run("dkim", "rotate", "--domain", "example.test", "--algorithm", "ed25519", "--selector", "ed2")).isZero();
        assertThat(out()).contains("ed2._domainkey.example.test. IN TXT \"v=DKIM1; k=ed25519; p=")
                .contains("retired key ed1 for example.test").contains("at least 7 more days");
        assertThat(keys("example.test")).extracting(Directory.DkimKey::selector, Directory.DkimKey::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ed1", "retiring"),
                        org.assertj.core.groups.Tuple.tuple("rsa1", "active"),
                        org.assertj.core.groups.Tuple.tuple("ed2", "active"));

        assertThat(run("dkim", "retire", "--domain", "example.test", "--selector", "rsa1")).isZero();
        assertThat(out()).contains("retired key rsa1").contains("7 more days").doesNotContain("no active key left");
        assertThat(run("dkim", "retire", "--domain", "example.test", "--selector", "rsa1")).isZero();
        assertThat(out()).contains("already retiring");
        assertThat(run("dkim", "retire", "--domain", "example.test", "--selector", "nope")).isEqualTo(2);
        assertThat(err()).contains("no DKIM key nope for example.test");

        assertThat(run("dkim", "remove", "--domain", "example.test", "--selector", "ed1")).isZero();
        assertThat(out()).contains("removed key ed1").contains("delete the DNS record ed1._domainkey.example.test.");
        assertThat(run("dkim", "retire", "--domain", "example.test", "--selector", "ed2")).isZero();
        assertThat(out()).contains("warning: example.test has no active key left");
        assertThat(keys("example.test")).extracting(Directory.DkimKey::selector).containsExactly("rsa1", "ed2");

        assertThat(run("dkim", "list", "--domain", "example.test")).isZero();
        assertThat(out()).contains("\trsa1\trsa-sha256\tretiring\t").contains("\ted2\ted25519-sha256\tretiring\t");
        assertThat(run("dkim", "list", "--domain", "nowhere.test")).isEqualTo(2);
    }

    @Test
    void domainAddWithDkimCreatesBothKeys() {
        assertThat(run("domain", "add", "example.test")).isZero(); // keys by default (--dkim is still accepted)
        String ym = YearMonth.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMM"));
        // a month boundary between the run and this line would only change ym: accept either month
        List<Directory.DkimKey> k = keys("example.test");
        assertThat(k).extracting(Directory.DkimKey::algorithm).containsExactly("rsa-sha256", "ed25519-sha256");
        assertThat(k).extracting(Directory.DkimKey::state).containsOnly("active");
        assertThat(k.get(0).selector()).matches("rsa\\d{6}");
        assertThat(k.get(1).selector()).isEqualTo("ed" + k.get(0).selector().substring(3));
        assertThat(k.get(0).selector().substring(3)).isIn(ym, YearMonth.now(ZoneOffset.UTC).minusMonths(1).format(DateTimeFormatter.ofPattern("yyyyMM")));
        assertThat(out()).contains("added domain example.test")
                .contains(k.get(0).selector() + "._domainkey.example.test. IN TXT \"v=DKIM1; k=rsa; p=")
                .contains(k.get(1).selector() + "._domainkey.example.test. IN TXT \"v=DKIM1; k=ed25519; p=");

        assertThat(run("domain", "add", "example.org", "--no-dkim")).isZero(); // --no-dkim: no keys
        assertThat(keys("example.org")).isEmpty();
    }

    @Test
    void txtStringsSplitAt255Octets() {
        assertThat(DkimCommand.txtStrings("")).containsExactly("");
        assertThat(DkimCommand.txtStrings("a".repeat(255))).containsExactly("a".repeat(255));
        assertThat(DkimCommand.txtStrings("a".repeat(511))).containsExactly("a".repeat(255), "a".repeat(255), "a");
        // never inside a UTF-8 sequence: 254 ASCII then a 2-octet character goes to the next string
        assertThat(DkimCommand.txtStrings("a".repeat(254) + "é")).containsExactly("a".repeat(254), "é");
        assertThat(DkimCommand.txtLine("x.example.", "say \"hi\"")).isEqualTo("x.example. IN TXT \"say \\\"hi\\\"\"");
    }
}
