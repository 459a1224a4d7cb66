package dev.sealpost.smtp.server;

import dev.sealpost.core.login.LoginGate;
import dev.sealpost.core.net.TcpListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One SMTP listener: accepts connections and runs each as an {@link SmtpSession} on its own
 * virtual thread, with blocking I/O (see {@link TcpListener}).
 */
public final class SmtpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);

    private final SmtpServerConfig config;
    private final TcpListener<SmtpSession> listener;

    public SmtpServer(SmtpServerConfig config, SmtpHandlerFactory factory) {
        this(config, factory, LoginGate.unthrottled());
    }

    /** @param gate login throttling and logging, shared with the other protocols' listeners */
    public SmtpServer(SmtpServerConfig config, SmtpHandlerFactory factory, LoginGate gate) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(factory, "factory");
        LoginGate g = gate == null ? LoginGate.unthrottled() : gate;
        this.listener = new TcpListener<>("SMTP", config.bind(), log, SmtpSession::sessionId,
                (socket, onEnd) -> new SmtpSession(config, factory, g, socket, onEnd), null);
    }

    /** Binds the listening socket and starts accepting. Port 0 picks a free port: see {@link #port()}. */
    public synchronized void start() throws IOException {
        InetSocketAddress a = listener.bind();
        log.info("SMTP {} listener on {}:{}", config.kind(), a.getAddress().getHostAddress(), a.getPort());
        listener.startAccepting();
    }

    /** The configuration this listener runs with. */
    public SmtpServerConfig config() {
        return config;
    }

    /** The bound port (after {@link #start()}). */
    public int port() {
        return listener.port();
    }

    /** Number of open sessions. */
    public int openSessions() {
        return listener.openSessions();
    }

    /** Stops accepting, closes every session's connection and waits briefly for them to end. */
    @Override
    public void close() {
        listener.close();
        log.info("SMTP {} listener closed", config.kind());
    }
}
