package dev.sealpost.pop3;

import dev.sealpost.testkit.LoopbackClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;

import static dev.sealpost.testkit.LoopbackClients.closedByPeer;
import static dev.sealpost.testkit.LoopbackClients.line;
import static dev.sealpost.testkit.LoopbackClients.say;
import static org.assertj.core.api.Assertions.assertThat;

/** Connection limits on POP3: over a limit, {@code -ERR [SYS/TEMP]} instead of the greeting (RFC 3206 §4). */
class Pop3ConnectionLimitsTest extends Pop3TestBase {
    private static final String TOO_MANY = "-ERR [SYS/TEMP] Too many connections from your address";

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
    void theConnectionOverThePerAddressCapGetsErrWhileTheFirstOnesAndOtherAddressesAreServed() throws Exception {
        Pop3ServerConfig cfg = config(false, true);
        int port = start(cfg.withConnections(cfg.connections().withMaxConnectionsPerIp(2))).port();
        Socket a = connect(port, "127.0.0.1");
        Socket b = connect(port, "127.0.0.1");
        assertThat(line(a)).startsWith("+OK");
        assertThat(line(b)).startsWith("+OK");
        Socket c = connect(port, "127.0.0.1");
        assertThat(line(c)).isEqualTo(TOO_MANY);
        assertClosed(c);
        assertThat(say(a, "NOOP")).startsWith("-ERR"); // alive: NOOP is a TRANSACTION command (RFC 1939 §5)
        assertThat(say(b, "QUIT")).startsWith("+OK");
        assertThat(line(connect(port, "127.0.0.2"))).startsWith("+OK");
    }

    @Test
    void theConnectionOverTheRateGetsErr() throws Exception {
        Pop3ServerConfig cfg = config(false, true);
        int port = start(cfg.withConnections(cfg.connections().withConnectionRatePerIp(1))).port();
        assertThat(line(connect(port, "127.0.0.1"))).startsWith("+OK");
        assertThat(line(connect(port, "127.0.0.1"))).isEqualTo("-ERR [SYS/TEMP] Too many new connections from your address, try again later");
        assertThat(line(connect(port, "127.0.0.2"))).startsWith("+OK");
    }

    @Test
    void aClientThatNeverReadsStillGetsTheErr() throws Exception {
        Pop3ServerConfig cfg = config(false, true);
        int port = start(cfg.withConnections(cfg.connections().withMaxConnectionsPerIp(1))).port();
        assertThat(line(connect(port, "127.0.0.1"))).startsWith("+OK");
        Socket silent = connect(port, "127.0.0.1");
        silent.getOutputStream().write('U');
        assertThat(line(connect(port, "127.0.0.2"))).startsWith("+OK");
        assertThat(line(silent)).isEqualTo(TOO_MANY);
    }

    @Test
    void pop3sRefusesWithoutACleartextReply() {
        assertThat(Pop3Server.refusals(config(true, false))).isEmpty();
    }
}
