package dev.sealpost.core.net;

import dev.sealpost.core.metrics.Meters;
import org.slf4j.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The TCP side of one listener (SMTP, IMAP, POP3): binds a server socket, accepts on a virtual
 * thread and runs each connection as a session on its own virtual thread, with blocking I/O.
 * Tracks the live sessions; {@link #close()} stops accepting, closes every session's accepted TCP
 * socket (a session blocked in a read, TLS included, then ends) and waits briefly for them.
 *
 * <p>Before a session is made, each connection is checked against the listener's
 * {@link ConnectionLimits} (per-IP cap, per-IP rate, total cap, exempt networks): a short
 * critical section, no I/O, no look-up. A refused connection gets the protocol's
 * {@link RefusalReply} and is closed on a virtual thread of its own; refusals are logged as one
 * line, then as a summary every 10 s while they go on.
 *
 * <p>Logs through the owner's logger, each line starting with the protocol name, so the lines
 * read as before the listener was shared.
 *
 * @param <S> the session type
 */
public final class TcpListener<S extends Runnable> implements AutoCloseable {
    /** How long {@link #close()} waits for sessions to end after closing their sockets. */
    private static final long CLOSE_WAIT_MILLIS = 2000;
    /** Refused connections being answered at once; more are closed without a reply. */
    static final int MAX_REFUSING = 256;
    /** How long a refused connection is drained after the reply before it is closed. */
    static final long REFUSAL_LINGER_MILLIS = 2000;
    private static final int MAX_DRAIN_BYTES = 64 * 1024;

    /** Turns an accepted connection into a session. */
    @FunctionalInterface
    public interface SessionFactory<S extends Runnable> {
        /**
         * @param socket the accepted TCP socket (TCP_NODELAY already set)
         * @param onEnd  the session must run this once, on its own thread, when it ends
         */
        S open(Socket socket, Runnable onEnd) throws IOException;
    }

    /** Why a connection was refused before any session was built. */
    public enum Refusal {
        /** {@link ConnectionLimits#maxConnectionsPerIp()} connections from this address are open already. */
        TOO_MANY_FROM_ADDRESS,
        /** This address has used up its {@link ConnectionLimits#connectionRatePerIp()} for now. */
        TOO_FAST_FROM_ADDRESS,
        /** {@link ConnectionLimits#maxConnections()} connections to this listener are open already. */
        LISTENER_FULL
    }

    /**
     * The protocol's last word to a refused connection (SMTP 421, IMAP BYE, POP3 -ERR), written
     * before the listener closes it; null for none (implicit TLS: nothing can be said in clear).
     * One line of a few dozen octets: written once into a fresh socket's empty send buffer, it
     * never waits for the client to read.
     */
    @FunctionalInterface
    public interface RefusalReply {
        byte[] reply(Refusal why);
    }

    private record Live(Socket socket, Thread thread) {}

    private final String protocol;
    private final String threadPrefix;
    private final InetSocketAddress bind;
    private final Logger log;
    private final Function<? super S, String> sessionId;
    private final SessionFactory<S> factory;
    private final ConnectionLimits limits;
    private final RefusalReply refusalReply;
    private final ConnectionTracker tracker;
    private final RefusalLog refusals;
    private final Semaphore refusing = new Semaphore(MAX_REFUSING);
    private final LongAdder refused = new LongAdder();
    private final Map<S, Live> sessions = new ConcurrentHashMap<>();
    private volatile ServerSocket serverSocket;
    private volatile boolean closing;
    private volatile Thread acceptor;
    private volatile io.micrometer.core.instrument.Counter accepted;

    /**
     * @param protocol  starts log lines ("SMTP"); lower-cased it names the threads
     *                  ("smtp-accept-25", "smtp-" + session id)
     * @param bind      address and port to listen on (port 0: a free port)
     * @param log       the owner's logger
     * @param sessionId a session's id, for its thread name
     * @param factory   makes the session for an accepted connection
     * @param limits    connection limits, checked for each connection before a session is made
     * @param reply     what a refused connection is told before it is closed
     */
    public TcpListener(String protocol, InetSocketAddress bind, Logger log, Function<? super S, String> sessionId,
                       SessionFactory<S> factory, ConnectionLimits limits, RefusalReply reply) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.threadPrefix = protocol.toLowerCase(Locale.ROOT);
        this.bind = Objects.requireNonNull(bind, "bind");
        this.log = Objects.requireNonNull(log, "log");
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.refusalReply = Objects.requireNonNull(reply, "reply");
        this.tracker = new ConnectionTracker(limits);
        this.refusals = new RefusalLog(protocol, log, RefusalLog.DEFAULT_INTERVAL);
    }

    /** Binds the listening socket (not yet accepting: see {@link #startAccepting()}); returns the bound address. */
    public synchronized InetSocketAddress bind() throws IOException {
        if (serverSocket != null) throw new IllegalStateException("already started");
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(bind, 128);
        serverSocket = ss;
        String port = Integer.toString(ss.getLocalPort());
        accepted = Meters.counter(Meters.CONNECTIONS, "TCP connections accepted", "protocol", threadPrefix, "port", port);
        Meters.gauge(Meters.SESSIONS_ACTIVE, "Protocol sessions open now", this, l -> l.sessions.size(),
                "protocol", threadPrefix, "port", port);
        return (InetSocketAddress) ss.getLocalSocketAddress();
    }

    /** Starts the accept thread (after {@link #bind()}). */
    public synchronized void startAccepting() {
        ServerSocket ss = serverSocket;
        if (ss == null) throw new IllegalStateException("not bound");
        if (acceptor != null) throw new IllegalStateException("already accepting");
        acceptor = Thread.ofVirtual().name(threadPrefix + "-accept-" + ss.getLocalPort()).start(this::acceptLoop);
    }

    /** The bound port (after {@link #bind()}). */
    public int port() {
        ServerSocket ss = serverSocket;
        if (ss == null) throw new IllegalStateException("not started");
        return ss.getLocalPort();
    }

    /** Number of open sessions. */
    public int openSessions() {
        return sessions.size();
    }

    /** The open sessions (a live, unmodifiable view). */
    public Set<S> sessions() {
        return Collections.unmodifiableSet(sessions.keySet());
    }

    private void acceptLoop() {
        ServerSocket ss = serverSocket;
        while (!closing) {
            Socket s;
            try {
                s = ss.accept();
            } catch (IOException e) {
                if (closing || ss.isClosed()) return;
                log.warn("{} accept failed: {}", protocol, e.toString());
                continue;
            }
            accepted.increment();
            InetAddress ip = s.getInetAddress();
            boolean exempt = !limits.exemptNetworks().isEmpty() && limits.exempt(ip);
            Refusal why = tracker.admit(ip, exempt);
            if (why != null) {
                refuse(s, ip, why);
                continue;
            }
            try {
                s.setTcpNoDelay(true);
                Object[] holder = new Object[1];
                S session = factory.open(s, () -> {
                    if (sessions.remove(holder[0]) != null) tracker.release(ip, exempt); // once, whatever the session does
                });
                holder[0] = session;
                Thread t = Thread.ofVirtual().name(threadPrefix + "-" + sessionId.apply(session)).unstarted(session);
                sessions.put(session, new Live(s, t));
                if (closing) {
                    sessions.remove(session);
                    tracker.release(ip, exempt);
                    closeQuietly(s);
                    return;
                }
                t.start();
            } catch (IOException | RuntimeException e) {
                tracker.release(ip, exempt);
                log.warn("{} could not start a session: {}", protocol, e.toString());
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

    /**
     * Logs (rate-limited), then answers and closes on a virtual thread of its own, so that a
     * client that never reads cannot hold the accept loop. Past {@link #MAX_REFUSING} refusals in
     * progress, the connection is closed at once without a reply.
     */
    private void refuse(Socket s, InetAddress ip, Refusal why) {
        refused.increment();
        Meters.count(Meters.CONNECTIONS_REFUSED, "Connections refused by a connection limit",
                "protocol", threadPrefix, "reason", why.name().toLowerCase(Locale.ROOT));
        refusals.refused(ip, why, limits);
        if (!refusing.tryAcquire()) {
            closeQuietly(s);
            return;
        }
        try {
            byte[] reply = refusalReply.reply(why);
            Thread.ofVirtual().name(threadPrefix + "-refuse").start(() -> {
                try {
                    answer(s, reply);
                } finally {
                    refusing.release();
                }
            });
        } catch (RuntimeException e) {
            refusing.release();
            closeQuietly(s);
            log.warn("{} could not refuse a connection politely: {}", protocol, e.toString());
        }
    }

    /**
     * Writes the reply, ends our direction (FIN), then reads and drops what the client sends for
     * a short while: closing a socket with unread input makes TCP send a reset, which can destroy
     * the reply in the client's receive buffer before the client reads it.
     */
    private static void answer(Socket s, byte[] reply) {
        try (s) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REFUSAL_LINGER_MILLIS);
            if (reply != null) {
                OutputStream out = s.getOutputStream();
                out.write(reply);
                out.flush();
            }
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[512];
            long drained = 0;
            while (drained < MAX_DRAIN_BYTES) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) break;
                s.setSoTimeout((int) left);
                int n = in.read(buf);
                if (n < 0) break;
                drained += n;
            }
        } catch (IOException ignored) {
            // the client went away, or stayed silent past the linger time: closed either way
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Connections refused so far (all reasons). */
    public long refusedConnections() {
        return refused.sum();
    }

    /** The limits this listener enforces. */
    public ConnectionLimits limits() {
        return limits;
    }

    /** Stops accepting: new connections are refused by the OS; open sessions go on. Safe to repeat. */
    public void stopAccepting() {
        closing = true;
        ServerSocket ss = serverSocket;
        if (ss != null) {
            try {
                ss.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /**
     * Stops accepting, closes every session's TCP socket and waits briefly for the sessions to
     * end. Closes the accepted socket, not a TLS layer on it: closing an SSLSocket waits for a read
     * in progress on another thread. Safe to repeat.
     */
    @Override
    public void close() {
        stopAccepting();
        refusals.close();
        long deadline = System.currentTimeMillis() + CLOSE_WAIT_MILLIS;
        try {
            Thread a = acceptor;
            if (a != null) a.join(CLOSE_WAIT_MILLIS);
            for (Live live : Map.copyOf(sessions).values()) {
                try {
                    live.socket().close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            for (Live live : Map.copyOf(sessions).values()) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) break;
                live.thread().join(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
