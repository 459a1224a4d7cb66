package dev.sealpost.app.cli;

import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.web.api.ApiToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code account role} and {@code token create|list|revoke} on a data directory. */
class TokenCliTest {
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
    void rolesAndTokens() {
        assertThat(run("domain", "add", "a.test", "--no-dkim")).isZero();
        System.setIn(new ByteArrayInputStream("correct horse battery staple\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(run("account", "add", "boss@a.test", "--password-stdin")).isZero();
        assertThat(run("account", "role", "boss@a.test")).isZero();
        assertThat(cli.out()).isEqualTo("boss@a.test\tuser\n");
        // a plain user cannot get an admin token
        assertThat(run("token", "create", "boss@a.test", "--scope", "admin")).isNotZero();
        assertThat(cli.err()).contains("plain user");
        assertThat(run("account", "role", "boss@a.test", "domain-admin:A.test")).isZero();
        assertThat(cli.out()).isEqualTo("boss@a.test\tdomain-admin:a.test\n");
        assertThat(run("account", "role", "boss@a.test", "domain-admin:nowhere.test")).isNotZero();
        assertThat(run("account", "role", "boss@a.test", "admin")).isZero();
        assertThat(cli.out()).isEqualTo("boss@a.test\tadmin, domain-admin:a.test\n");
        assertThat(run("account", "role", "boss@a.test", "chief")).isNotZero();

        assertThat(run("token", "create", "boss@a.test", "--name", "ci job")).isZero();
        String[] lines = cli.out().strip().split("\n");
        assertThat(lines[0]).startsWith("created token 1 for boss@a.test (scope admin");
        String token = lines[1];
        assertThat(ApiToken.parse(token)).isPresent();
        // only the hash is stored
        try (Store s = Store.open(StoreConfig.sqlite(dir))) {
            var t = s.apiAccess().tokenByHash(ApiToken.hash(token)).orElseThrow();
            assertThat(t.name()).isEqualTo("ci job");
            assertThat(t.scope().token()).isEqualTo("admin");
        }
        assertThat(run("token", "create", "boss@a.test", "--scope", "self")).isZero();
        assertThat(run("token", "create", "boss@a.test", "--scope", "root")).isNotZero();
        assertThat(run("token", "list", "boss@a.test")).isZero();
        assertThat(cli.out()).contains("scope=admin").contains("name=ci job").contains("scope=self").doesNotContain(token);
        assertThat(run("token", "revoke", "1")).isZero();
        assertThat(run("token", "revoke", "1")).isNotZero();
        assertThat(run("token", "list", "boss@a.test")).isZero();
        assertThat(cli.out()).contains("REVOKED");
        assertThat(run("account", "role", "boss@a.test", "user")).isZero();
        assertThat(cli.out()).isEqualTo("boss@a.test\tuser\n");
        assertThat(run("token", "list", "nobody@a.test")).isNotZero();
    }
}
