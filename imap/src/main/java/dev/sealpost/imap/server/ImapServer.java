package dev.sealpost.imap.server;

import dev.sealpost.core.auth.LoginThrottle;
import dev.sealpost.core.net.TcpListener;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One IMAP listener (RFC 9051; IMAP4rev1 RFC 3501 clients too): accepts connections and runs each
 * as an {@link ImapSession} on its own virtual thread with blocking I/O. Counts connections per IP
 * address and sessions per account, and forwards the store's change notifications to the sessions
 * of the changed account (IDLE).
 */
public final class ImapServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ImapServer.class);

    private final ImapServerConfig config;
    private final Store store;
    private final TcpListener<ImapSession> listener;
    private final Map<Long, Set<ImapSession>> perAccount = new ConcurrentHashMap<>();
    private AutoCloseable listenerHandle;

    /**
     * @param throttle the shared failed-login throttle, or null for none
     */
    public ImapServer(ImapServerConfig config, Store store, LoginThrottle throttle) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.listener = new TcpListener<>("IMAP", config.bind(), log, ImapSession::sessionId,
                (socket, onEnd) -> new ImapSession(config, store, throttle, this, socket, onEnd),
                new TcpListener.PerAddressLimit(config.limits().maxConnectionsPerIp(), this::refuse));
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

    /** A connection over the per-address limit: BYE, then close, on a thread of its own. */
    private void refuse(Socket s) {
        Thread.ofVirtual().start(() -> {
            try (s) {
                s.setSoTimeout(5000);
                if (!config.implicitTls()) {
                    // RFC 9051 §7.1.5: BYE at connection time refuses the connection
                    s.getOutputStream().write("* BYE [UNAVAILABLE] Too many connections from your address\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                }
            } catch (IOException ignored) {
                // the client went away
            }
        });
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
