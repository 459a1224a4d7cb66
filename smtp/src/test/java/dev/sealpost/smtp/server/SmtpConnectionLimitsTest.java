package dev.sealpost.smtp.server;

import dev.sealpost.testkit.LoopbackClients;
import dev.sealpost.core.net.Cidr;
import dev.sealpost.core.net.ConnectionLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import static dev.sealpost.testkit.LoopbackClients.closedByPeer;
import static dev.sealpost.testkit.LoopbackClients.line;
import static dev.sealpost.testkit.LoopbackClients.say;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MX's connection limits (issue 11: one address held 3,000 connections). Over a limit the
 * client gets 421 instead of the greeting (RFC 5321 §3.8) and the connection is closed.
 */
class SmtpConnectionLimitsTest extends ServerTestBase {
    private static final String GREETING = "220 mx.test ESMTP Sealpost";
    private static final String TOO_MANY = "421 4.7.0 mx.test Too many connections from your address";

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
    void theConnectionOverThePerAddressCapGets421WhileTheFirstOnesAndOtherAddressesAreServed() throws Exception {
        int port = start(mxConfig().withConnections(ConnectionLimits.defaults().withMaxConnectionsPerIp(3)));
        List<Socket> first = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket s = connect(port, "127.0.0.1");
            assertThat(line(s)).isEqualTo(GREETING);
            first.add(s);
        }
        Socket over = connect(port, "127.0.0.1");
        assertThat(line(over)).isEqualTo(TOO_MANY);
        assertClosed(over);
        for (Socket s : first) assertThat(say(s, "NOOP")).startsWith("250");
        Socket other = connect(port, "127.0.0.2");
        assertThat(line(other)).isEqualTo(GREETING);
        assertThat(say(first.getFirst(), "QUIT")).startsWith("221");
    }

    @Test
    void theDefaultCapIs50PerAddress() throws Exception {
        int port = start(mxConfig());
        for (int i = 0; i < 50; i++) assertThat(line(connect(port, "127.0.0.1"))).isEqualTo(GREETING);
        assertThat(line(connect(port, "127.0.0.1"))).isEqualTo(TOO_MANY);
        assertThat(line(connect(port, "127.0.0.2"))).isEqualTo(GREETING);
    }

    @Test
    void theConnectionOverTheRateGets421() throws Exception {
        int port = start(mxConfig().withConnections(ConnectionLimits.defaults().withConnectionRatePerIp(2)));
        for (int i = 0; i < 2; i++) {
            Socket s = connect(port, "127.0.0.1");
            assertThat(line(s)).isEqualTo(GREETING);
            assertThat(say(s, "QUIT")).startsWith("221");
        }
        Socket fast = connect(port, "127.0.0.1");
        assertThat(line(fast)).isEqualTo("421 4.7.0 mx.test Too many new connections from your address, try again later");
        assertClosed(fast);
        assertThat(line(connect(port, "127.0.0.2"))).isEqualTo(GREETING);
    }

    @Test
    void exemptNetworksAreNotCappedPerAddressButTheTotalCapHolds() throws Exception {
        int port = start(mxConfig().withConnections(new ConnectionLimits(1, 1, 4, List.of(Cidr.parse("127.0.0.2/32").orElseThrow()))));
        for (int i = 0; i < 3; i++) assertThat(line(connect(port, "127.0.0.2"))).isEqualTo(GREETING);
        assertThat(line(connect(port, "127.0.0.1"))).isEqualTo(GREETING);
        assertThat(line(connect(port, "127.0.0.1"))).isEqualTo("421 4.3.2 mx.test Too many connections, try again later");
    }

    @Test
    void loopbackIsNotExemptByDefault() throws Exception {
        assertThat(ConnectionLimits.defaults().exemptNetworks()).isEmpty();
        int port = start(mxConfig().withConnections(ConnectionLimits.defaults().withMaxConnectionsPerIp(1)));
        assertThat(line(connect(port, "127.0.0.1"))).isEqualTo(GREETING);
        assertThat(line(connect(port, "127.0.0.1"))).isEqualTo(TOO_MANY);
    }

    @Test
    void clientsThatNeverReadGetTheirReplyAndDoNotHoldTheAcceptLoop() throws Exception {
        int port = start(mxConfig().withConnections(ConnectionLimits.defaults().withMaxConnectionsPerIp(1)));
        assertThat(line(connect(port, "127.0.0.1"))).isEqualTo(GREETING);
        List<Socket> silent = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // the client: connects, sends a byte, reads nothing
            Socket s = new Socket();
            clients.track(s);
            s.setReceiveBufferSize(1);
            s.bind(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0));
            s.connect(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), port), 5000);
            s.getOutputStream().write('E');
            silent.add(s);
        }
        long t0 = System.nanoTime();
        assertThat(line(connect(port, "127.0.0.2"))).isEqualTo(GREETING);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000);
        for (Socket s : silent) {
            s.setSoTimeout(5000);
            assertThat(line(s)).isEqualTo(TOO_MANY);
            assertClosed(s);
        }
    }

    @Test
    void implicitTlsRefusalsAreClosedWithoutACleartextReply() throws Exception {
        SmtpServerConfig cfg = SmtpServerConfig.submission("mx.test", ListenerKind.SUBMISSIONS, anyPort(),
                javax.net.ssl.SSLContext.getDefault(), List.of());
        assertThat(SmtpServer.refusals(cfg)).isEmpty();
        assertThat(SmtpServer.refusals(mxConfig())).hasSize(3);
    }
}
