package dev.sealpost.imap.server;

import dev.sealpost.core.login.LoginGate;
import dev.sealpost.core.sasl.SaslMechanism;
import dev.sealpost.core.sasl.SaslMechanisms;
import dev.sealpost.core.net.TcpListener;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One IMAP listener (RFC 9051; IMAP4rev1 RFC 3501 clients too): accepts connections and runs each
 * as an {@link ImapSession} on its own virtual thread with blocking I/O. Counts sessions per
 * account, and forwards the store's change notifications to the sessions
 * of the changed account (IDLE). A connection over the listener's
 * {@link dev.sealpost.core.net.ConnectionLimits} gets {@code * BYE [UNAVAILABLE]} and is closed.
 */
public final class ImapServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ImapServer.class);

    private final ImapServerConfig config;
    private final Store store;
    private final TcpListener<ImapSession> listener;
    private final Map<Long, Set<ImapSession>> perAccount = new ConcurrentHashMap<>();
    private AutoCloseable listenerHandle;

    /**
     * With the standard SASL mechanisms ({@link SaslMechanisms#standard(dev.sealpost.core.sasl.CredentialLookup)},
     * SCRAM-SHA-256-PLUS advertised where there is binding data).
     *
     * @param gate the shared login gate (throttle and log line), or null for one without throttling
     */
    public ImapServer(ImapServerConfig config, Store store, LoginGate gate) {
        this(config, store, gate, SaslMechanisms.standard(store.directory().credentials()));
    }

    /**
     * @param gate       the shared login gate (throttle and log line), or null for one without throttling
     * @param mechanisms the SASL mechanisms (the app's choice of whether -PLUS is advertised);
     *                   SASL LOGIN is dropped, IMAP has its own LOGIN command
     */
    public ImapServer(ImapServerConfig config, Store store, LoginGate gate, List<SaslMechanism> mechanisms) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        Map<TcpListener.Refusal, byte[]> replies = refusals(config);
        LoginGate g = gate == null ? LoginGate.unthrottled() : gate;
        List<SaslMechanism> mechs = mechanisms.stream().filter(m -> !m.name().equals("LOGIN")).toList();
        this.listener = new TcpListener<>("IMAP", config.bind(), log, ImapSession::sessionId,
                (socket, onEnd) -> new ImapSession(config, store, g, mechs, this, socket, onEnd),
                config.connections(), replies::get);
    }

    /** Binds the listening socket and starts accepting. Port 0 picks a free port: see {@link #port()}. */
    public synchronized void start() throws IOException {
        InetSocketAddress a = listener.bind();
        try {
            listenerHandle = store.mailboxes().onChange(this::changed);
        } catch (UnsupportedOperationException e) {
            listenerHandle = null; // a store without notifications: sessions poll
        }
        log.info("IMAP{} listener on {}:{}", config.implicitTls() ? "S" : "", a.getAddress().getHostAddress(), a.getPort());
        listener.startAccepting();
    }

    public ImapServerConfig config() {
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

    private void changed(long accountId, long mailboxId) {
        // runs on the committing thread: only wake sessions up
        for (ImapSession s : listener.sessions()) s.wake(accountId, mailboxId);
    }

    /**
     * What a connection over the connection limits is told instead of the greeting: RFC 9051
     * §7.1.5, BYE at connection time refuses the connection; RFC 5530 §3 UNAVAILABLE, "temporary
     * failure ... the client may try again later". Nothing on IMAPS: it cannot be said before the
     * TLS handshake, which a refused client does not get.
     */
    static Map<TcpListener.Refusal, byte[]> refusals(ImapServerConfig config) {
        Map<TcpListener.Refusal, byte[]> m = new EnumMap<>(TcpListener.Refusal.class);
        if (config.implicitTls()) return m;
        m.put(TcpListener.Refusal.TOO_MANY_FROM_ADDRESS, bye("Too many connections from your address"));
        m.put(TcpListener.Refusal.TOO_FAST_FROM_ADDRESS, bye("Too many new connections from your address, try again later"));
        m.put(TcpListener.Refusal.LISTENER_FULL, bye("Too many connections, try again later"));
        return m;
    }

    private static byte[] bye(String text) {
        return ("* BYE [UNAVAILABLE] " + text + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Connections refused by the connection limits so far. */
    public long refusedConnections() {
        return listener.refusedConnections();
    }

    /** Registers an authenticated session; false when the account already has its maximum (RFC 9051 §7.1 [LIMIT]). */
    boolean registerAccount(long accountId, ImapSession s) {
        boolean[] ok = {false};
        perAccount.compute(accountId, (k, set) -> {
            if (set == null) set = ConcurrentHashMap.newKeySet();
            if (set.size() < config.limits().maxConnectionsPerAccount()) {
                set.add(s);
                ok[0] = true;
            }
            return set;
        });
        return ok[0];
    }

    void unregisterAccount(long accountId, ImapSession s) {
        perAccount.computeIfPresent(accountId, (k, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
        });
    }

    /** Stops accepting, closes every session's connection and waits briefly for them to end. */
    @Override
    public void close() {
        listener.stopAccepting();
        if (listenerHandle != null) {
            try {
                listenerHandle.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        listener.close();
        log.info("IMAP listener closed");
    }
}
