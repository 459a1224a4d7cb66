package dev.sealpost.managesieve;

import dev.sealpost.testkit.LoopbackClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;

import static dev.sealpost.testkit.LoopbackClients.closedByPeer;
import static dev.sealpost.testkit.LoopbackClients.line;
import static org.assertj.core.api.Assertions.assertThat;

/** Connection limits on ManageSieve: over a limit, {@code BYE (TRYLATER)} instead of the greeting (RFC 5804 §1.3). */
class ManageSieveConnectionLimitsTest extends ManageSieveTestBase {
    private final LoopbackClients clients = new LoopbackClients();

    @Override
    ManageSieveConfig config() throws Exception {
        ManageSieveConfig c = super.config();
        return c.withConnections(c.connections().withMaxConnectionsPerIp(1));
    }

    @AfterEach
    void closeClients() throws IOException {
        clients.close();
    }

    @Test
    void theConnectionOverThePerAddressCapGetsByeTryLater() throws Exception {
        Socket a = clients.connect(server.port(), "127.0.0.1");
        assertThat(line(a)).isEqualTo("\"IMPLEMENTATION\" \"Sealpost\"");
        Socket b = clients.connect(server.port(), "127.0.0.1");
        assertThat(line(b)).isEqualTo("BYE (TRYLATER) \"Too many connections from your address\"");
        assertThat(closedByPeer(b)).isTrue();
        assertThat(line(clients.connect(server.port(), "127.0.0.2"))).isEqualTo("\"IMPLEMENTATION\" \"Sealpost\"");
        assertThat(server.refusedConnections()).isEqualTo(1);
    }
}
