package dev.sealpost.managesieve;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.core.tls.ServerTls;
import dev.sealpost.store.SieveScripts;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.internal.JdbcStore;
import dev.sealpost.testkit.TestTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A store in a temp dir with one account and a ManageSieve server on an ephemeral port. */
abstract class ManageSieveTestBase {
    static final String ALICE = "alice@example.test";
    static final String PW = "correct horse";

    @TempDir
    Path dir;
    Store store;
    ManageSieveServer server;

    @BeforeEach
    void open() throws Exception {
        store = JdbcStore.open(new StoreConfig(dir, null, null, null, Clock.systemUTC()), pw -> PasswordHasher.hash(pw, 1000, 4096));
        store.directory().addDomain("example.test");
        store.directory().addAccount(ALICE, PW.toCharArray());
        server = new ManageSieveServer(config(), store, null);
        server.start();
    }

    ManageSieveConfig config() throws Exception {
        return ManageSieveConfig.of(new InetSocketAddress("127.0.0.1", 0), ServerTls.of(TestTls.server()), "sieve.example.test")
                .withQuota(new SieveScripts.Quota(3, 200));
    }

    @AfterEach
    void close() {
        if (server != null) server.close();
        store.close();
    }

    long alice() {
        return store.directory().account(ALICE).orElseThrow().id();
    }

    static String plain(String user, String pw) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + pw).getBytes(StandardCharsets.UTF_8));
    }

    /** Connects, reads the greeting, upgrades with STARTTLS and logs in with PLAIN. */
    SieveClient login() throws Exception {
        SieveClient c = new SieveClient(server.port());
        assertThat(c.response()).last().asString().startsWith("OK");
        assertThat(c.cmd("STARTTLS")).containsExactly("OK \"Begin TLS negotiation now\"");
        c.handshake();
        List<String> caps = c.response();
        assertThat(caps).last().asString().startsWith("OK");
        assertThat(c.cmd("AUTHENTICATE \"PLAIN\" \"" + plain(ALICE, PW) + "\"")).containsExactly("OK \"Authenticated\"");
        return c;
    }
}
