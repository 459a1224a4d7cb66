package dev.sealpost.core.net;

import org.slf4j.Logger;

import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The TCP side of one listener (SMTP, IMAP, POP3): binds a server socket, accepts on a virtual
 * thread and runs each connection as a session on its own virtual thread, with blocking I/O.
 * Tracks the live sessions; {@link #close()} stops accepting, closes every session's accepted TCP
 * socket (a session blocked in a read, TLS included, then ends) and waits briefly for them.
 *
 * <p>Logs through the owner's logger, each line starting with the protocol name, so the lines
 * read as before the listener was shared.
 *
 * @param <S> the session type
 */
public final class TcpListener<S extends Runnable> implements AutoCloseable {
    /** How long {@link #close()} waits for sessions to end after closing their sockets. */
    private static final long CLOSE_WAIT_MILLIS = 2000;

    /** Turns an accepted connection into a session. */
    @FunctionalInterface
    public interface SessionFactory<S extends Runnable> {
        /**
         * @param socket the accepted TCP socket (TCP_NODELAY already set)
         * @param onEnd  the session must run this once, on its own thread, when it ends
         */
        S open(Socket socket, Runnable onEnd) throws IOException;
    }

    /**
     * At most {@code max} connections from one IP address at once; a connection over the limit
     * is handed to {@code refuse}, which owns (and must close) the socket.
     */
    public record PerAddressLimit(int max, Consumer<Socket> refuse) {
        public PerAddressLimit {
            if (max < 1) throw new IllegalArgumentException("max must be > 0");
            Objects.requireNonNull(refuse, "refuse");
        }
    }

    private record Live(Socket socket, Thread thread) {}

    private final String protocol;
    private final String threadPrefix;
    private final InetSocketAddress bind;
    private final Logger log;
    private final Function<? super S, String> sessionId;
    private final SessionFactory<S> factory;
    private final PerAddressLimit limit;
    private final Map<S, Live> sessions = new ConcurrentHashMap<>();
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private volatile ServerSocket serverSocket;
    private volatile boolean closing;
    private volatile Thread acceptor;

    /**
     * @param protocol  starts log lines ("SMTP"); lower-cased it names the threads
     *                  ("smtp-accept-25", "smtp-" + session id)
     * @param bind      address and port to listen on (port 0: a free port)
     * @param log       the owner's logger
     * @param sessionId a session's id, for its thread name
     * @param factory   makes the session for an accepted connection
     * @param limit     connections per IP address, or null for no limit
     */
    public TcpListener(String protocol, InetSocketAddress bind, Logger log, Function<? super S, String> sessionId,
                       SessionFactory<S> factory, PerAddressLimit limit) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.threadPrefix = protocol.toLowerCase(Locale.ROOT);
        this.bind = Objects.requireNonNull(bind, "bind");
        this.log = Objects.requireNonNull(log, "log");
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.limit = limit;
    }

    /** Binds the listening socket (not yet accepting: see {@link #startAccepting()}); returns the bound address. */
    public synchronized InetSocketAddress bind() throws IOException {
        if (serverSocket != null) throw new IllegalStateException("already started");
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(bind, 128);
        serverSocket = ss;
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
            InetAddress ip = s.getInetAddress();
            if (limit != null) {
                AtomicInteger n = perAddress.computeIfAbsent(ip, k -> new AtomicInteger());
                if (n.incrementAndGet() > limit.max()) {
                    release(ip);
                    log.info("{} connection from {} refused: too many connections from this address",
                            protocol, ip.getHostAddress());
                    limit.refuse().accept(s);
                    continue;
                }
            }
            try {
                s.setTcpNoDelay(true);
                Object[] holder = new Object[1];
                S session = factory.open(s, () -> {
                    sessions.remove(holder[0]);
                    release(ip);
                });
                holder[0] = session;
                Thread t = Thread.ofVirtual().name(threadPrefix + "-" + sessionId.apply(session)).unstarted(session);
                sessions.put(session, new Live(s, t));
                if (closing) {
                    sessions.remove(session);
                    release(ip);
                    s.close();
                    return;
                }
                t.start();
            } catch (IOException | RuntimeException e) {
                release(ip);
                log.warn("{} could not start a session: {}", protocol, e.toString());
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

    private void release(InetAddress ip) {
        if (limit != null) perAddress.computeIfPresent(ip, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
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
