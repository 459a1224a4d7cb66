package dev.sealpost.pop3;

import dev.sealpost.core.login.LoginGate;
import dev.sealpost.core.net.TcpListener;
import dev.sealpost.core.sasl.SaslMechanism;
import dev.sealpost.core.sasl.SaslMechanisms;
import dev.sealpost.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One POP3 listener (RFC 1939) over the accounts' INBOXes in a {@link Store}: accepts
 * connections and runs each as a session on its own virtual thread, with blocking I/O (see
 * {@link TcpListener}).
 * Implicit TLS (POP3S) or STLS per {@link Pop3ServerConfig}. A connection over the listener's
 * {@link dev.sealpost.core.net.ConnectionLimits} gets {@code -ERR [SYS/TEMP]} and is closed.
 */
public final class Pop3Server implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pop3Server.class);

    private final Pop3ServerConfig config;
    private final TcpListener<Pop3Session> listener;

    /**
     * With the standard SASL mechanisms (SCRAM-SHA-256-PLUS advertised where there is binding data).
     *
     * @param config the listener settings
     * @param store  accounts (login), INBOX (messages, flags, expunge), metadata (POP3 mode) and blobs
     * @param gate   the shared login gate (throttle, log line); null for one without throttling (tests only)
     */
    public Pop3Server(Pop3ServerConfig config, Store store, LoginGate gate) {
        this(config, store, gate, SaslMechanisms.standard(store.directory().credentials()), null);
    }

    /** @param mechanisms the SASL mechanisms (the app's choice of whether -PLUS is advertised); SASL LOGIN is dropped */
    public Pop3Server(Pop3ServerConfig config, Store store, LoginGate gate, List<SaslMechanism> mechanisms) {
        this(config, store, gate, mechanisms, null);
    }

    /** For tests: an idle timeout shorter than RFC 1939's 10 minutes. */
    Pop3Server(Pop3ServerConfig config, Store store, LoginGate gate, List<SaslMechanism> mechanisms, Duration idleTimeoutOverride) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(store, "store");
        Duration idleTimeout = idleTimeoutOverride != null ? idleTimeoutOverride : config.idleTimeout();
        LoginGate g = gate == null ? LoginGate.unthrottled() : gate;
        // RFC 5034 §3 SASL; best first. -PLUS needs tls-exporter binding data (TLS 1.3); USER/PASS
        // covers what SASL LOGIN would, so it is not offered
        List<SaslMechanism> mechs = mechanisms.stream().filter(m -> !m.name().equals("LOGIN")).toList();
        Map<TcpListener.Refusal, byte[]> replies = refusals(config);
        this.listener = new TcpListener<>("POP3", config.bind(), log, Pop3Session::sessionId,
                (socket, onEnd) -> new Pop3Session(config, store, g, mechs, idleTimeout, socket, onEnd),
                config.connections(), replies::get);
    }

    /**
     * What a connection over the connection limits is told instead of the greeting: RFC 3206 §4
     * [SYS/TEMP], a temporary problem on our side, so the client tries again later (RFC 2449 §8
     * response codes; [IN-USE] is for a locked maildrop after login, not this). Leniency: RFC 1939
     * §4 has the greeting as +OK; -ERR then close is what POP3 servers send to refuse, and clients
     * report it. Nothing on POP3S: it cannot be said before the TLS handshake.
     */
    static Map<TcpListener.Refusal, byte[]> refusals(Pop3ServerConfig config) {
        Map<TcpListener.Refusal, byte[]> m = new EnumMap<>(TcpListener.Refusal.class);
        if (config.implicitTls()) return m;
        m.put(TcpListener.Refusal.TOO_MANY_FROM_ADDRESS, err("Too many connections from your address"));
        m.put(TcpListener.Refusal.TOO_FAST_FROM_ADDRESS, err("Too many new connections from your address, try again later"));
        m.put(TcpListener.Refusal.LISTENER_FULL, err("Too many connections, try again later"));
        return m;
    }

    private static byte[] err(String text) {
        return ("-ERR [SYS/TEMP] " + text + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Connections refused by the connection limits so far. */
    public long refusedConnections() {
        return listener.refusedConnections();
    }

    /** Binds the listening socket and starts accepting. Port 0 picks a free port: see {@link #port()}. */
    public synchronized void start() throws IOException {
        InetSocketAddress a = listener.bind();
        log.info("POP3{} listener on {}:{}", config.implicitTls() ? "S" : "", a.getAddress().getHostAddress(), a.getPort());
        listener.startAccepting();
    }

    /** The bound port (after {@link #start()}). */
    public int port() {
        return listener.port();
    }

    /** The configuration this listener runs with. */
    public Pop3ServerConfig config() {
        return config;
    }

    /** Number of open sessions. */
    public int openSessions() {
        return listener.openSessions();
    }

    /**
     * Stops accepting, closes every session's connection (those sessions end without the
     * UPDATE state: nothing is deleted) and waits briefly for them to end.
     */
    @Override
    public void close() {
        listener.close();
        log.info("POP3{} listener closed", config.implicitTls() ? "S" : "");
    }
}
