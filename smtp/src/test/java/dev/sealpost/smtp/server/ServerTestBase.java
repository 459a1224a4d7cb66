package dev.sealpost.smtp.server;

import dev.sealpost.core.login.LoginGate;

import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Starts real servers on 127.0.0.1 with an ephemeral port and closes them after each test. */
abstract class ServerTestBase {
    final Recorder rec = new Recorder();
    private final List<SmtpServer> servers = new ArrayList<>();

    static InetSocketAddress anyPort() {
        return new InetSocketAddress("127.0.0.1", 0);
    }

    static SmtpServerConfig mxConfig() {
        return SmtpServerConfig.mx("mx.test", anyPort(), null);
    }

    int start(SmtpServerConfig cfg) throws IOException {
        return start(cfg, LoginGate.unthrottled());
    }

    int start(SmtpServerConfig cfg, LoginGate gate) throws IOException {
        SmtpServer s = new SmtpServer(cfg, rec, gate);
        servers.add(s);
        s.start();
        return s.port();
    }

    @AfterEach
    void closeServers() {
        servers.forEach(SmtpServer::close);
    }
}
