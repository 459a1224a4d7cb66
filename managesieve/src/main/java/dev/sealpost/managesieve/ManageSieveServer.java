package dev.sealpost.managesieve;

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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One ManageSieve listener (RFC 5804) over the accounts' Sieve scripts in a {@link Store}:
 * accepts connections and runs each as a session on its own virtual thread with blocking I/O
 * ({@link TcpListener}). A connection over the {@link dev.sealpost.core.net.ConnectionLimits}
 * gets {@code BYE (TRYLATER)} instead of the greeting and is closed.
 */
public final class ManageSieveServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ManageSieveServer.class);

    private final ManageSieveConfig config;
    private final TcpListener<ManageSieveSession> listener;

    /** With the standard SASL mechanisms (SCRAM-SHA-256-PLUS where there is binding data). */
    public ManageSieveServer(ManageSieveConfig config, Store store, LoginGate gate) {
        this(config, store, gate, SaslMechanisms.standard(store.directory().credentials()));
    }

    /**
     * @param gate       the shared login gate (throttle, log line); null for none (tests only)
     * @param mechanisms the SASL mechanisms; LOGIN is dropped (RFC 5804 §2.1 names PLAIN; LOGIN adds nothing)
     */
    public ManageSieveServer(ManageSieveConfig config, Store store, LoginGate gate, List<SaslMechanism> mechanisms) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(store, "store");
        LoginGate g = gate == null ? LoginGate.unthrottled() : gate;
        List<SaslMechanism> mechs = mechanisms.stream().filter(m -> !m.name().equals("LOGIN")).toList();
        Map<TcpListener.Refusal, byte[]> replies = refusals();
        this.listener = new TcpListener<>("ManageSieve", config.bind(), log, ManageSieveSession::sessionId,
                (socket, onEnd) -> new ManageSieveSession(config, store, g, mechs, socket, onEnd),
                config.connections(), replies::get);
    }

    /** RFC 5804 §1.3 TRYLATER with BYE (§1.2: the server closes): a temporary condition on our side. */
    static Map<TcpListener.Refusal, byte[]> refusals() {
        Map<TcpListener.Refusal, byte[]> m = new EnumMap<>(TcpListener.Refusal.class);
        m.put(TcpListener.Refusal.TOO_MANY_FROM_ADDRESS, bye("Too many connections from your address"));
        m.put(TcpListener.Refusal.TOO_FAST_FROM_ADDRESS, bye("Too many new connections from your address, try again later"));
        m.put(TcpListener.Refusal.LISTENER_FULL, bye("Too many connections, try again later"));
        return m;
    }

    private static byte[] bye(String text) {
        return ("BYE (TRYLATER) \"" + text + "\"\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Binds and starts accepting. Port 0 picks a free port: see {@link #port()}. */
    public synchronized void start() throws IOException {
        InetSocketAddress a = listener.bind();
        log.info("ManageSieve listener on {}:{}", a.getAddress().getHostAddress(), a.getPort());
        listener.startAccepting();
    }

    /** The bound port (after {@link #start()}). */
    public int port() {
        return listener.port();
    }

    public ManageSieveConfig config() {
        return config;
    }

    public int openSessions() {
        return listener.openSessions();
    }

    public long refusedConnections() {
        return listener.refusedConnections();
    }

    /** Stops accepting and closes every session's connection. */
    @Override
    public void close() {
        listener.close();
        log.info("ManageSieve listener closed");
    }
}
