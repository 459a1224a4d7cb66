package dev.sealpost.smtp.server;

import dev.sealpost.core.login.LoginGate;
import dev.sealpost.core.net.TcpListener;
import dev.sealpost.smtp.proto.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One SMTP listener: accepts connections and runs each as an {@link SmtpSession} on its own
 * virtual thread, with blocking I/O (see {@link TcpListener}). A connection over the listener's
 * {@link dev.sealpost.core.net.ConnectionLimits} gets a 421 instead of the greeting and is closed.
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
        Map<TcpListener.Refusal, byte[]> replies = refusals(config);
        this.listener = new TcpListener<>("SMTP", config.bind(), log, SmtpSession::sessionId,
                (socket, onEnd) -> new SmtpSession(config, factory, g, socket, onEnd), config.connections(), replies::get);
    }

    /**
     * What a refused connection is told instead of the 220 greeting. RFC 5321 §3.8 and §4.2.3:
     * 421 closes the channel and tells the client to try later. Leniency: §4.3.2 lists 220 and
     * 554 at connection establishment; 421 there is what Postfix and Sendmail send and what
     * clients handle, and unlike 554 it is temporary. The enhanced code (RFC 3463 §3.8 X.7.0
     * "other security status", §3.5 X.3.2 "system not accepting network messages") goes out
     * before EHLO, against RFC 2034 §3's letter, as Postfix does: it is only text to a client
     * that does not know it. Implicit TLS (465): nothing, as nothing can be said before the
     * handshake, which a refused client does not get.
     */
    static Map<TcpListener.Refusal, byte[]> refusals(SmtpServerConfig config) {
        Map<TcpListener.Refusal, byte[]> m = new EnumMap<>(TcpListener.Refusal.class);
        if (config.kind() == ListenerKind.SUBMISSIONS) return m;
        String host = config.serverName();
        m.put(TcpListener.Refusal.TOO_MANY_FROM_ADDRESS,
                Reply.of(421, "4.7.0", host + " Too many connections from your address").encode(true));
        m.put(TcpListener.Refusal.TOO_FAST_FROM_ADDRESS,
                Reply.of(421, "4.7.0", host + " Too many new connections from your address, try again later").encode(true));
        m.put(TcpListener.Refusal.LISTENER_FULL,
                Reply.of(421, "4.3.2", host + " Too many connections, try again later").encode(true));
        return m;
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

    /** Connections refused by the connection limits so far. */
    public long refusedConnections() {
        return listener.refusedConnections();
    }

    /** Stops accepting, closes every session's connection and waits briefly for them to end. */
    @Override
    public void close() {
        listener.close();
        log.info("SMTP {} listener closed", config.kind());
    }
}
