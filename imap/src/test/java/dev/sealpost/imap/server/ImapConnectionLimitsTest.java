package dev.sealpost.imap.server;

import dev.sealpost.testkit.LoopbackClients;
import dev.sealpost.core.net.ConnectionLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;

import static dev.sealpost.testkit.LoopbackClients.closedByPeer;
import static dev.sealpost.testkit.LoopbackClients.line;
import static dev.sealpost.testkit.LoopbackClients.say;
import static org.assertj.core.api.Assertions.assertThat;

/** Connection limits on IMAP: over a limit, {@code * BYE [UNAVAILABLE]} instead of the greeting (RFC 9051 §7.1.5). */
class ImapConnectionLimitsTest extends ImapTestBase {
    private static final String TOO_MANY = "* BYE [UNAVAILABLE] Too many connections from your address";

    private final LoopbackClients clients = new LoopbackClients();

    @AfterEach
    void closeClients() throws IOException {
        clients.close();
    }

    private Socket connect(int port, String from) throws IOException {
        return clients.connect(port, from);
    }

    private static void assertClosed(Socket s) throws IOException {
        assertThat(closedByPeer(s)).as("closed by the server").isTrue();
    }

    @Test
    void theConnectionOverThePerAddressCapGetsByeWhileTheFirstOnesAndOtherAddressesAreServed() throws Exception {
        ImapServerConfig cfg = config(false, true);
        int port = start(cfg.withConnections(cfg.connections().withMaxConnectionsPerIp(2))).port();
        Socket a = connect(port, "127.0.0.1");
        Socket b = connect(port, "127.0.0.1");
        assertThat(line(a)).startsWith("* OK");
        assertThat(line(b)).startsWith("* OK");
        Socket c = connect(port, "127.0.0.1");
        assertThat(line(c)).isEqualTo(TOO_MANY);
        assertClosed(c);
        assertThat(say(a, "a1 NOOP")).isEqualTo("a1 OK NOOP completed");
        Socket other = connect(port, "127.0.0.2");
        assertThat(line(other)).startsWith("* OK");
    }

    @Test
    void theConnectionOverTheRateGetsBye() throws Exception {
        ImapServerConfig cfg = config(false, true);
        int port = start(cfg.withConnections(cfg.connections().withConnectionRatePerIp(1))).port();
        Socket a = connect(port, "127.0.0.1");
        assertThat(line(a)).startsWith("* OK");
        assertThat(line(connect(port, "127.0.0.1"))).isEqualTo("* BYE [UNAVAILABLE] Too many new connections from your address, try again later");
        assertThat(line(connect(port, "127.0.0.2"))).startsWith("* OK");
    }

    @Test
    void aClientThatNeverReadsStillGetsTheBye() throws Exception {
        ImapServerConfig cfg = config(false, true);
        int port = start(cfg.withConnections(cfg.connections().withMaxConnectionsPerIp(1))).port();
        assertThat(line(connect(port, "127.0.0.1"))).startsWith("* OK");
        Socket silent = connect(port, "127.0.0.1");
        silent.getOutputStream().write('a');
        assertThat(line(connect(port, "127.0.0.2"))).startsWith("* OK");
        assertThat(line(silent)).isEqualTo(TOO_MANY);
    }

    @Test
    void imapsRefusesWithoutACleartextReplyAndDefaultsAreShared() {
        assertThat(ImapServer.refusals(config(true, false))).isEmpty();
        assertThat(config(false, false).connections()).isEqualTo(ConnectionLimits.defaults());
    }
}
