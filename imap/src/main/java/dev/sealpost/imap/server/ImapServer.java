package dev.sealpost.imap.server;

import dev.sealpost.core.auth.LoginThrottle;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One IMAP listener (RFC 9051; IMAP4rev1 RFC 3501 clients too): accepts connections and runs each
 * as an {@link ImapSession} on its own virtual thread with blocking I/O. Counts connections per IP
 * address and sessions per account, and forwards the store's change notifications to the sessions
 * of the changed account (IDLE).
 */
public final class ImapServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ImapServer.class);
    private static final long CLOSE_WAIT_MILLIS = 2000;

    private final ImapServerConfig config;
    private final Store store;
    private final LoginThrottle throttle;
    private final Map<ImapSession, Thread> sessions = new ConcurrentHashMap<>();
    private final Map<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();
    private final Map<Long, Set<ImapSession>> perAccount = new ConcurrentHashMap<>();
    private volatile ServerSocket serverSocket;
    private volatile boolean closing;
    private Thread acceptor;
    private AutoCloseable listenerHandle;

    /**
     * @param throttle the shared failed-login throttle, or null for none
     */
    public ImapServer(ImapServerConfig config, Store store, LoginThrottle throttle) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.throttle = throttle;
    }

    /** Binds the listening socket and starts accepting. Port 0 picks a free port: see {@link #port()}. */
    public synchronized void start() throws IOException {
        if (serverSocket != null) throw new IllegalStateException("already started");
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(config.bind(), 128);
        serverSocket = ss;
        try {
            listenerHandle = store.mailboxes().onChange(this::changed);
        } catch (UnsupportedOperationException e) {
            listenerHandle = null; // a store without notifications: sessions poll
        }
        log.info("IMAP{} listener on {}:{}", config.implicitTls() ? "S" : "", ss.getInetAddress().getHostAddress(), ss.getLocalPort());
        acceptor = Thread.ofVirtual().name("imap-accept-" + ss.getLocalPort()).start(this::acceptLoop);
    }

    public ImapServerConfig config() {
        return config;
    }

    /** The bound port (after {@link #start()}). */
    public int port() {
        ServerSocket ss = serverSocket;
        if (ss == null) throw new IllegalStateException("not started");
        return ss.getLocalPort();
    }

    /** Number of open sessions. */
    public int openSessions() {
        return sessions.size();
    }

    private void changed(long accountId, long mailboxId) {
        // runs on the committing thread: only wake sessions up
        for (ImapSession s : sessions.keySet()) s.wake(accountId, mailboxId);
    }

    private void acceptLoop() {
        ServerSocket ss = serverSocket;
        while (!closing) {
            Socket s;
            try {
                s = ss.accept();
            } catch (IOException e) {
                if (closing || ss.isClosed()) return;
                log.warn("IMAP accept failed: {}", e.toString());
                continue;
            }
            InetAddress ip = s.getInetAddress();
            AtomicInteger n = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
            if (n.incrementAndGet() > config.limits().maxConnectionsPerIp()) {
                release(ip);
                log.info("IMAP connection from {} refused: too many connections from this address", ip.getHostAddress());
                refuse(s);
                continue;
            }
            try {
                s.setTcpNoDelay(true);
                ImapSession[] holder = new ImapSession[1];
                ImapSession session = new ImapSession(config, store, throttle, this, s, () -> {
                    sessions.remove(holder[0]);
                    release(ip);
                });
                holder[0] = session;
                Thread t = Thread.ofVirtual().name("imap-" + session.sessionId()).unstarted(session);
                sessions.put(session, t);
                if (closing) {
                    sessions.remove(session);
                    release(ip);
                    s.close();
                    return;
                }
                t.start();
            } catch (IOException | RuntimeException e) {
                release(ip);
                log.warn("IMAP could not start a session: {}", e.toString());
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

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

    private void release(InetAddress ip) {
        perIp.computeIfPresent(ip, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
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

    Mailboxes mailboxes() {
        return store.mailboxes();
    }

    /** Stops accepting, closes every session's connection and waits briefly for them to end. */
    @Override
    public void close() {
        closing = true;
        ServerSocket ss = serverSocket;
        if (ss != null) {
            try {
                ss.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (listenerHandle != null) {
            try {
                listenerHandle.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        long deadline = System.currentTimeMillis() + CLOSE_WAIT_MILLIS;
        try {
            if (acceptor != null) acceptor.join(CLOSE_WAIT_MILLIS);
            for (ImapSession s : Map.copyOf(sessions).keySet()) s.abortConnection();
            for (Thread t : Map.copyOf(sessions).values()) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) break;
                t.join(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("IMAP listener closed");
    }
}
