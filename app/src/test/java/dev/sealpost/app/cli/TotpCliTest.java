package dev.sealpost.app.cli;

import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.web.admin.Totp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code account totp enable|status|disable}: the secret printed once, stored sealed, replay refused by the store. */
class TotpCliTest {
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

    @Test
    void enableStatusDisable() throws Exception {
        assertThat(run("domain", "add", "a.test", "--no-dkim")).isZero();
        System.setIn(new ByteArrayInputStream("correct horse battery staple\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(run("account", "add", "boss@a.test", "--password-stdin")).isZero();
        assertThat(run("account", "totp", "status", "boss@a.test")).isZero();
        assertThat(cli.out()).isEqualTo("boss@a.test: TOTP off\n");
        assertThat(run("account", "totp", "enable", "boss@a.test")).isZero();
        String[] lines = cli.out().split("\n");
        assertThat(lines).hasSize(3);
        String secret = lines[1].substring("secret: ".length());
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(lines[2]).startsWith("otpauth://totp/Sealpost:boss%40a.test?secret=" + secret + "&issuer=Sealpost");
        // stored sealed: the base32 text and the raw key appear nowhere in the data directory's files
        try (Store s = Store.open(StoreConfig.sqlite(dir))) {
            byte[] key = s.totp().get("boss@a.test").orElseThrow().key();
            assertThat(Totp.base32(key)).isEqualTo(secret);
            assertThat(s.totp().get("boss@a.test").orElseThrow().lastStep()).isEqualTo(-1);
            assertThat(s.totp().advance("boss@a.test", 100)).isTrue();
            assertThat(s.totp().advance("boss@a.test", 100)).isFalse(); // the same step again: a replay
            assertThat(s.totp().advance("boss@a.test", 99)).isFalse();
            assertThat(s.totp().advance("boss@a.test", 101)).isTrue();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.filter(Files::isRegularFile).toList()) {
                    byte[] b = Files.readAllBytes(p);
                    assertThat(new String(b, StandardCharsets.ISO_8859_1)).doesNotContain(secret).doesNotContain(new String(key, StandardCharsets.ISO_8859_1));
                }
            }
        }
        assertThat(run("account", "totp", "status", "boss@a.test")).isZero();
        assertThat(cli.out()).isEqualTo("boss@a.test: TOTP on\n");
        assertThat(run("account", "totp", "disable", "boss@a.test")).isZero();
        assertThat(cli.out()).isEqualTo("TOTP disabled for boss@a.test\n");
        assertThat(run("account", "totp", "disable", "boss@a.test")).isZero();
        assertThat(cli.out()).contains("had no TOTP secret");
        assertThat(run("account", "totp", "enable", "nobody@a.test")).isNotZero();
        assertThat(cli.err()).contains("no such account");
    }
}
