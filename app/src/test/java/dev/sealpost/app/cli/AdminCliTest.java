package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin commands on a data directory, as an administrator types them. */
class AdminCliTest {
    @TempDir
    Path dir;
    private CliRun cli;

    @BeforeEach
    void capture() {
        cli = new CliRun(dir);
    }

    @AfterEach
    void restore() {
        cli.close();
    }

    private int run(String... args) {
        return cli.run(args);
    }

    private String out() {
        return cli.out();
    }

    @Test
    void domainsAccountsAliasesAndQuotas() throws Exception {
        Files.createDirectories(dir);
        assertThat(run("domain", "list")).isZero();
        assertThat(out()).isEqualTo("no domains (add one with 'sealpost domain add DOMAIN')\n");
        assertThat(run("account", "list")).isZero();
        assertThat(out()).startsWith("no accounts");
        assertThat(run("alias", "list")).isZero();
        assertThat(out()).startsWith("no aliases");
        assertThat(run("dkim", "list")).isZero();
        assertThat(out()).startsWith("no DKIM keys");
        assertThat(run("queue", "list")).isZero();
        assertThat(out()).isEqualTo("queue is empty\n");
        assertThat(run("domain", "add", "Example.TEST")).isZero();
        assertThat(out()).contains("added domain example.test");
        // two DKIM keys unless --no-dkim
        assertThat(out()).contains("._domainkey.example.test. IN TXT \"v=DKIM1; k=rsa;").contains("k=ed25519;");
        assertThat(run("domain", "add", "plain.test", "--no-dkim")).isZero();
        assertThat(out()).doesNotContain("DKIM");
        assertThat(run("dkim", "list", "--domain", "plain.test")).isZero();
        assertThat(out()).startsWith("no DKIM keys for plain.test");
        assertThat(run("domain", "remove", "plain.test")).isZero();
        assertThat(run("domain", "list")).isZero();
        assertThat(out()).isEqualTo("example.test\n");

        System.setIn(new ByteArrayInputStream("s3cret passphrase\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(run("account", "add", "Alice@example.test", "--password-stdin")).isZero();
        assertThat(run("account", "add", "bob@example.test", "--generate-password")).isZero();
        assertThat(out()).containsPattern("password: [A-Za-z0-9]{20}");
        assertThat(run("account", "add", "carol@nowhere.test", "--generate-password")).isEqualTo(2);
        assertThat(cli.err()).contains("error: domain nowhere.test is not a local domain");
        assertThat(out()).doesNotContain("password:"); // checked before a password is generated
        assertThat(run("account", "add", "bob@example.test", "--generate-password")).isEqualTo(2);
        assertThat(cli.err()).contains("error: account bob@example.test already exists");
        assertThat(out()).doesNotContain("password:");
        // the password policy: a minimum length and no common password
        System.setIn(new ByteArrayInputStream("short pw\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(run("account", "add", "dave@example.test", "--password-stdin")).isEqualTo(2);
        assertThat(cli.err()).contains("password too short: 8 characters, at least 12");
        System.setIn(new ByteArrayInputStream("QWERTY123456\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(run("account", "add", "dave@example.test", "--password-stdin")).isEqualTo(2);
        assertThat(cli.err()).contains("most common passwords").doesNotContain("QWERTY");
        System.setIn(new ByteArrayInputStream("qwerty123456\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(run("account", "passwd", "bob@example.test", "--password-stdin")).isEqualTo(2);
        try (Store s = Store.open(StoreConfig.sqlite(dir))) {
            assertThat(s.directory().account("dave@example.test")).isEmpty();
        }

        assertThat(run("alias", "add", "team@example.test", "alice@example.test")).isZero();
        assertThat(run("alias", "add", "@example.test", "bob@example.test")).isZero();
        assertThat(run("alias", "list")).isZero();
        assertThat(out()).contains("team@example.test\talice@example.test").contains("@example.test\tbob@example.test");
        assertThat(run("alias", "remove", "team@example.test", "alice@example.test")).isZero();
        assertThat(run("alias", "remove", "team@example.test", "alice@example.test")).isEqualTo(2);

        assertThat(run("quota", "set", "alice@example.test", "2M")).isZero();
        assertThat(run("quota", "set", "alice@example.test", "lots")).isEqualTo(2);
        assertThat(run("account", "list")).isZero();
        assertThat(out()).contains("alice@example.test\tused=0\tquota=2097152").contains("bob@example.test\tused=0\tquota=unlimited");

        System.setIn(new ByteArrayInputStream("another passphrase\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(run("account", "passwd", "alice@example.test", "--password-stdin")).isZero();
        try (Store s = Store.open(StoreConfig.sqlite(dir))) {
            assertThat(s.directory().authenticate("alice@example.test", "another passphrase".toCharArray())).isPresent();
            assertThat(s.directory().authenticate("alice@example.test", "s3cret passphrase".toCharArray())).isEmpty();
            // the stored hash is a slow salted hash, never the password
            String hash = s.directory().credentials().lookup("alice@example.test").orElseThrow().credentials().passwordHash();
            assertThat(hash).startsWith("pbkdf2-sha256$" + PasswordHasher.PBKDF2_ITERATIONS + "$").doesNotContain("another");
        }

        // POP3 habit per account: RFC 1939 delete (default) or keep on the server
        assertThat(run("account", "pop3-mode", "bob@example.test")).isZero();
        assertThat(out()).contains("bob@example.test\tdelete");
        assertThat(run("account", "pop3-mode", "bob@example.test", "keep")).isZero();
        assertThat(run("account", "pop3-mode", "bob@example.test")).isZero();
        assertThat(out()).contains("bob@example.test\tkeep");
        assertThat(run("account", "pop3-mode", "bob@example.test", "sometimes")).isEqualTo(2);
        assertThat(run("account", "pop3-mode", "nobody@example.test", "keep")).isEqualTo(2);

        assertThat(run("domain", "remove", "example.test")).isEqualTo(2); // accounts still in it
        assertThat(run("account", "remove", "alice@example.test")).isZero();
        assertThat(run("account", "remove", "alice@example.test")).isEqualTo(2);
    }

    @Test
    void badArgumentsAreClearErrors() {
        assertThat(run("domain", "add", "not a domain")).isEqualTo(2);
        assertThat(cli.err()).contains("not a domain name");
        assertThat(Main.run("domain", "list", "--data", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(Main.run("domain", "list", "--config", dir.resolve("missing.toml").toString())).isEqualTo(2);
        assertThat(cli.err()).contains("no config file");
    }
}
