package dev.sealpost.smtp.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One SMTP listener: accepts connections and runs each as an {@link SmtpSession} on its own
 * virtual thread, with blocking I/O.
 */
public final class SmtpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);
    /** How long {@link #close()} waits for sessions to end after closing their sockets. */
    private static final long CLOSE_WAIT_MILLIS = 2000;

    private final SmtpServerConfig config;
    private final SmtpHandlerFactory factory;
    private final AuthGuard guard;
    private final Map<SmtpSession, Thread> sessions = new ConcurrentHashMap<>();
    private volatile ServerSocket serverSocket;
    private volatile boolean closing;
    private Thread acceptor;

    public SmtpServer(SmtpServerConfig config, SmtpHandlerFactory factory) {
        this(config, factory, AuthGuard.NONE);
    }

    public SmtpServer(SmtpServerConfig config, SmtpHandlerFactory factory, AuthGuard guard) {
        this.config = Objects.requireNonNull(config, "config");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.guard = guard == null ? AuthGuard.NONE : guard;
    }

    /** Binds the listening socket and starts accepting. Port 0 picks a free port: see {@link #port()}. */
    public synchronized void start() throws IOException {
        if (serverSocket != null) throw new IllegalStateException("already started");
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(config.bind(), 128);
        serverSocket = ss;
        log.info("SMTP {} listener on {}:{}", config.kind(), ss.getInetAddress().getHostAddress(), ss.getLocalPort());
        acceptor = Thread.ofVirtual().name("smtp-accept-" + ss.getLocalPort()).start(this::acceptLoop);
    }

    /** The bound port (after {@link #start()}). */
    /** The configuration this listener runs with. */
    public SmtpServerConfig config() {
        return config;
    }

    public int port() {
        ServerSocket ss = serverSocket;
        if (ss == null) throw new IllegalStateException("not started");
        return ss.getLocalPort();
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
                log.warn("SMTP accept failed: {}", e.toString());
                continue;
            }
            try {
                s.setTcpNoDelay(true);
                SmtpSession[] holder = new SmtpSession[1];
                SmtpSession session = new SmtpSession(config, factory, guard, s, () -> sessions.remove(holder[0]));
                holder[0] = session;
                Thread t = Thread.ofVirtual().name("smtp-" + session.sessionId()).unstarted(session);
                sessions.put(session, t);
                if (closing) {
                    sessions.remove(session);
                    s.close();
                    return;
                }
                t.start();
            } catch (IOException | RuntimeException e) {
                log.warn("SMTP could not start a session: {}", e.toString());
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
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
        long deadline = System.currentTimeMillis() + CLOSE_WAIT_MILLIS;
        try {
            if (acceptor != null) acceptor.join(CLOSE_WAIT_MILLIS);
            for (Map.Entry<SmtpSession, Thread> e : Map.copyOf(sessions).entrySet()) e.getKey().abortConnection();
            for (Thread t : Map.copyOf(sessions).values()) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) break;
                t.join(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("SMTP {} listener closed", config.kind());
    }
}
