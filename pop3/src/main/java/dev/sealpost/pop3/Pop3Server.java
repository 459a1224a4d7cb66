package dev.sealpost.pop3;

import dev.sealpost.core.auth.LoginThrottle;
import dev.sealpost.core.sasl.CredentialLookup;
import dev.sealpost.core.sasl.PlainMechanism;
import dev.sealpost.core.sasl.SaslMechanism;
import dev.sealpost.core.sasl.ScramSha256Mechanism;
import dev.sealpost.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One POP3 listener (RFC 1939) over the accounts' INBOXes in a {@link Store}: accepts
 * connections and runs each as a session on its own virtual thread, with blocking I/O.
 * Implicit TLS (POP3S) or STLS per {@link Pop3ServerConfig}.
 */
public final class Pop3Server implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pop3Server.class);
    /** How long {@link #close()} waits for sessions to end after closing their sockets. */
    private static final long CLOSE_WAIT_MILLIS = 2000;

    private final Pop3ServerConfig config;
    private final Store store;
    private final LoginThrottle throttle;
    private final List<SaslMechanism> mechanisms;
    private final Duration idleTimeout;
    private final Map<Pop3Session, Thread> sessions = new ConcurrentHashMap<>();
    private volatile ServerSocket serverSocket;
    private volatile boolean closing;
    private Thread acceptor;

    /**
     * @param config   the listener settings
     * @param store    accounts (login), INBOX (messages, flags, expunge), metadata (POP3 mode) and blobs
     * @param throttle slows down password guessing; null for none (tests only)
     */
    public Pop3Server(Pop3ServerConfig config, Store store, LoginThrottle throttle) {
        this(config, store, throttle, null);
    }

    /** For tests: an idle timeout shorter than RFC 1939's 10 minutes. */
    Pop3Server(Pop3ServerConfig config, Store store, LoginThrottle throttle, Duration idleTimeoutOverride) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.throttle = throttle;
        this.idleTimeout = idleTimeoutOverride != null ? idleTimeoutOverride : config.idleTimeout();
        CredentialLookup lookup = store.directory().credentials();
        // RFC 5034 §3 SASL; best first. -PLUS needs tls-exporter binding data (TLS 1.3); PLAIN needs TLS.
        this.mechanisms = List.of(
                new ScramSha256Mechanism(lookup, true),
                new ScramSha256Mechanism(lookup, false),
                new PlainMechanism(lookup));
    }

    /** Binds the listening socket and starts accepting. Port 0 picks a free port: see {@link #port()}. */
    public synchronized void start() throws IOException {
        if (serverSocket != null) throw new IllegalStateException("already started");
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(config.bind(), 128);
        serverSocket = ss;
        log.info("POP3{} listener on {}:{}", config.implicitTls() ? "S" : "", ss.getInetAddress().getHostAddress(), ss.getLocalPort());
        acceptor = Thread.ofVirtual().name("pop3-accept-" + ss.getLocalPort()).start(this::acceptLoop);
    }

    /** The bound port (after {@link #start()}). */
    public int port() {
        ServerSocket ss = serverSocket;
        if (ss == null) throw new IllegalStateException("not started");
        return ss.getLocalPort();
    }

    /** The configuration this listener runs with. */
    public Pop3ServerConfig config() {
        return config;
    }

    /** Number of open sessions. */
    public int openSessions() {
        return sessions.size();
    }

    private void acceptLoop() {
        ServerSocket ss = serverSocket;
        while (!closing) {
            Socket s;
            try {
                s = ss.accept();
            } catch (IOException e) {
                if (closing || ss.isClosed()) return;
                log.warn("POP3 accept failed: {}", e.toString());
                continue;
            }
            try {
                s.setTcpNoDelay(true);
                Pop3Session[] holder = new Pop3Session[1];
                Pop3Session session = new Pop3Session(config, store, throttle, mechanisms, idleTimeout, s,
                        () -> sessions.remove(holder[0]));
                holder[0] = session;
                Thread t = Thread.ofVirtual().name("pop3-" + session.sessionId()).unstarted(session);
                sessions.put(session, t);
                if (closing) {
                    sessions.remove(session);
                    s.close();
                    return;
                }
                t.start();
            } catch (IOException | RuntimeException e) {
                log.warn("POP3 could not start a session: {}", e.toString());
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

    /**
     * Stops accepting, closes every session's connection (those sessions end without the
     * UPDATE state: nothing is deleted) and waits briefly for them to end.
     */
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
        long deadline = System.currentTimeMillis() + CLOSE_WAIT_MILLIS;
        try {
            if (acceptor != null) acceptor.join(CLOSE_WAIT_MILLIS);
            for (Pop3Session s : List.copyOf(sessions.keySet())) s.abortConnection();
            for (Thread t : List.copyOf(sessions.values())) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) break;
                t.join(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("POP3{} listener closed", config.implicitTls() ? "S" : "");
    }
}
