package dev.sealpost.bench.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An SMTP server that accepts every message and discards it, counting TCP connections, SMTP
 * transactions (messages) per connection and the time of each message's "250" after end of
 * data: the remote end of an outbound benchmark. Postfix's {@code smtp-sink} counts messages but
 * not connections, so the connection reuse of a sending queue cannot be read from it.
 *
 * <p>EHLO offers PIPELINING (RFC 2920), 8BITMIME (RFC 6152), SIZE (RFC 1870) and
 * ENHANCEDSTATUSCODES (RFC 2034); no STARTTLS (plain text: this measures the queue, not TLS) and
 * no DSN, CHUNKING or SMTPUTF8. MAIL and RCPT always get 250, DATA 354 when a sender and at least
 * one recipient were given (else 503, RFC 5321 §4.1.1.4), the end of data 250. Replies to a
 * pipelined group are flushed when the client has nothing more buffered (RFC 2920 §3.2).
 *
 * <p>Each message's Message-ID (from the first {@link #MAX_HEADER} octets of its header section)
 * is counted, so that a message delivered twice shows up as a duplicate.
 *
 * <p>Bounded: command lines longer than {@link #MAX_COMMAND} octets get 500 and the connection is
 * closed; message text is scanned for the end-of-data sequence and thrown away, never stored.
 *
 * <pre>CountingSink [--port 0] [--seconds 0]   (standalone: prints the counts every second)</pre>
 */
public final class CountingSink implements AutoCloseable {
    /** Longest accepted command line, CRLF included (RFC 5321 §4.5.3.1.4: 512, more with extensions). */
    static final int MAX_COMMAND = 2048;
    private static final String NAME = "sink.bench.test";

    private final ServerSocket server;
    private final Thread acceptor;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger maxActive = new AtomicInteger();
    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicInteger unique = new AtomicInteger();
    private final AtomicInteger deferred = new AtomicInteger();
    private volatile boolean deferRecipients;
    private final AtomicLong lastActivityNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong firstMessageNanos = new AtomicLong();
    private final AtomicLong lastMessageNanos = new AtomicLong();
    private final AtomicLong firstConnectNanos = new AtomicLong();
    /** Messages per finished (or still open, at {@link #snapshot}) connection. */
    private final List<AtomicInteger> perConnection = Collections.synchronizedList(new ArrayList<>());
    private final Object arrived = new Object();
    /** Messages seen per Message-ID; more than one is a duplicate delivery. */
    private final java.util.concurrent.ConcurrentHashMap<String, Integer> byMessageId = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final List<String> duplicateIds = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean open = true;

    /** Listens on 127.0.0.1:{@code port} (0: any free port). */
    public CountingSink(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        acceptor = Thread.ofPlatform().name("sink-accept").daemon(true).start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    /**
     * The counts so far.
     *
     * @param connections       TCP connections accepted
     * @param messages          transactions completed with 250 after end of data
     * @param bytes             message octets received (as sent, dot-stuffing and the final "." excluded)
     * @param maxSimultaneous   most connections open at one time
     * @param maxPerConnection  most messages over one connection
     * @param firstConnectNanos {@link System#nanoTime()} of the first connection, 0 when none
     * @param firstMessageNanos {@link System#nanoTime()} of the first message's 250, 0 when none
     * @param lastMessageNanos  {@link System#nanoTime()} of the last message's 250, 0 when none
     * @param duplicates        messages whose Message-ID the sink had already received
     * @param duplicateIds      the first (at most 20) of those Message-IDs
     */
    public record Snapshot(int connections, int messages, long bytes, int maxSimultaneous, int maxPerConnection,
                           long firstConnectNanos, long firstMessageNanos, long lastMessageNanos, int duplicates,
                           List<String> duplicateIds) {
        /** Messages per connection (0 when no connection). */
        public double reuse() {
            return connections == 0 ? 0 : (double) messages / connections;
        }
    }

    public Snapshot snapshot() {
        int max;
        synchronized (perConnection) {
            max = perConnection.stream().mapToInt(AtomicInteger::get).max().orElse(0);
        }
        List<String> ids;
        synchronized (duplicateIds) {
            ids = List.copyOf(duplicateIds);
        }
        return new Snapshot(connections.get(), messages.get(), bytes.get(), maxActive.get(), max, firstConnectNanos.get(),
                firstMessageNanos.get(), lastMessageNanos.get(), duplicates.get(), ids);
    }

    /**
     * Waits until at least {@code n} distinct messages (by Message-ID; duplicates do not count)
     * arrived or the deadline ({@link System#nanoTime()}) passed.
     */
    public boolean awaitMessages(int n, long deadlineNanos) throws InterruptedException {
        return await(unique, n, deadlineNanos);
    }

    /**
     * Waits until no connection was opened and no command received for {@code quietNanos} and
     * no connection is open (the sender has nothing in flight), or the deadline passed.
     */
    public boolean awaitQuiet(long quietNanos, long deadlineNanos) throws InterruptedException {
        while (true) {
            long now = System.nanoTime();
            if (active.get() == 0 && now - lastActivityNanos.get() >= quietNanos) return true;
            if (now > deadlineNanos) return false;
            Thread.sleep(20);
        }
    }

    /** Recipients refused with 451 so far (see {@link #deferRecipients(boolean)}). */
    public int deferred() {
        return deferred.get();
    }

    /** Waits until at least {@code n} recipients got the 451 of {@link #deferRecipients(boolean)}. */
    public boolean awaitDeferred(int n, long deadlineNanos) throws InterruptedException {
        return await(deferred, n, deadlineNanos);
    }

    /**
     * While on, every RCPT gets "451 4.3.2" and nothing is accepted: a sending queue keeps its
     * messages for a later retry (how {@link OutboundLoad} fills the queue before a drain).
     */
    public void deferRecipients(boolean on) {
        deferRecipients = on;
    }

    /** Starts counting afresh (connections still open keep running but are no longer counted). */
    public void reset() {
        synchronized (arrived) {
            connections.set(0);
            maxActive.set(active.get());
            messages.set(0);
            unique.set(0);
            deferred.set(0);
            bytes.set(0);
            firstConnectNanos.set(0);
            firstMessageNanos.set(0);
            lastMessageNanos.set(0);
            perConnection.clear();
            byMessageId.clear();
            duplicates.set(0);
            duplicateIds.clear();
        }
    }

    private boolean await(AtomicInteger counter, int n, long deadlineNanos) throws InterruptedException {
        synchronized (arrived) {
            while (counter.get() < n) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) return false;
                arrived.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private void acceptLoop() {
        while (open) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (open) System.err.println("sink: accept failed: " + e);
                return;
            }
            lastActivityNanos.set(System.nanoTime());
            firstConnectNanos.compareAndSet(0, System.nanoTime());
            connections.incrementAndGet();
            maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            AtomicInteger count = new AtomicInteger();
            perConnection.add(count);
            Thread.ofVirtual().name("sink-conn").start(() -> {
                try (s) {
                    s.setTcpNoDelay(true);
                    s.setSoTimeout(300_000); // RFC 5321 §4.5.3.2.7: at least 5 minutes
                    session(s.getInputStream(), s.getOutputStream(), count);
                } catch (SocketException e) {
                    // the client went away without QUIT: counted as it is
                } catch (IOException e) {
                    System.err.println("sink: connection failed: " + e);
                } finally {
                    active.decrementAndGet();
                }
            });
        }
    }

    /** One SMTP session (RFC 5321 §4.1), server side. */
    private void session(InputStream rawIn, OutputStream out, AtomicInteger count) throws IOException {
        Reader in = new Reader(rawIn);
        Writer w = new Writer(out, in);
        w.reply("220 " + NAME + " ESMTP counting sink"); // RFC 5321 §4.2: greeting
        w.flush();
        boolean mail = false;
        int rcpts = 0;
        while (true) {
            String line = in.commandLine();
            if (line == null) return; // closed
            lastActivityNanos.set(System.nanoTime());
            if (line.length() > MAX_COMMAND) {
                w.reply("500 5.5.2 Line too long");
                w.flush();
                return;
            }
            String verb = (line.length() >= 4 ? line.substring(0, 4) : line).toUpperCase(Locale.ROOT);
            switch (verb) {
                case "EHLO" -> {
                    // RFC 5321 §4.1.1.1: the EHLO reply lists the extensions
                    w.reply("250-" + NAME + " hello");
                    w.reply("250-PIPELINING");
                    w.reply("250-8BITMIME");
                    w.reply("250-SIZE 104857600");
                    w.reply("250 ENHANCEDSTATUSCODES");
                    mail = false;
                    rcpts = 0;
                }
                case "HELO" -> {
                    w.reply("250 " + NAME);
                    mail = false;
                    rcpts = 0;
                }
                case "MAIL" -> {
                    mail = true;
                    rcpts = 0;
                    w.reply("250 2.1.0 Ok");
                }
                case "RCPT" -> {
                    if (!mail) {
                        w.reply("503 5.5.1 MAIL first");
                    } else if (deferRecipients) {
                        // filling the sender's queue: a temporary failure, retried later (RFC 5321 §4.2.5)
                        w.reply("451 4.3.2 Not now: the benchmark sink is filling the queue");
                        synchronized (arrived) {
                            deferred.incrementAndGet();
                            arrived.notifyAll();
                        }
                    } else {
                        rcpts++;
                        w.reply("250 2.1.5 Ok");
                    }
                }
                case "DATA" -> {
                    if (!mail || rcpts == 0) {
                        w.reply("503 5.5.1 " + (mail ? "RCPT first" : "MAIL first")); // RFC 5321 §4.1.1.4
                    } else {
                        w.reply("354 End data with <CR><LF>.<CR><LF>");
                        w.flush();
                        long n = in.skipData();
                        if (n < 0) return;
                        bytes.addAndGet(n);
                        String id = in.messageId();
                        boolean duplicate = !id.isEmpty() && byMessageId.merge(id, 1, Integer::sum) > 1;
                        if (duplicate) {
                            duplicates.incrementAndGet();
                            if (duplicateIds.size() < 20) duplicateIds.add(id);
                        }
                        int c = count.incrementAndGet();
                        long now = System.nanoTime();
                        firstMessageNanos.compareAndSet(0, now);
                        lastMessageNanos.accumulateAndGet(now, Math::max);
                        w.reply("250 2.0.0 Ok: queued as " + c);
                        synchronized (arrived) {
                            messages.incrementAndGet();
                            if (!duplicate) unique.incrementAndGet();
                            arrived.notifyAll();
                        }
                    }
                    mail = false;
                    rcpts = 0;
                }
                case "RSET" -> {
                    mail = false;
                    rcpts = 0;
                    w.reply("250 2.0.0 Ok");
                }
                case "NOOP" -> w.reply("250 2.0.0 Ok");
                case "QUIT" -> {
                    w.reply("221 2.0.0 Bye");
                    w.flush();
                    return;
                }
                default -> w.reply("502 5.5.1 Command not implemented");
            }
            w.flushIfIdle();
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        server.close();
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A buffered reader of command lines and message text. */
    static final class Reader {
        private final InputStream in;
        private final byte[] buf = new byte[65536];
        private int pos, limit;

        Reader(InputStream in) {
            this.in = in;
        }

        /** True when bytes that were already received are waiting here. */
        boolean buffered() {
            return pos < limit;
        }

        private boolean fill() throws IOException {
            int n = in.read(buf, 0, buf.length);
            if (n < 0) return false;
            pos = 0;
            limit = n;
            return true;
        }

        /**
         * The next line without CRLF (a bare LF ends it too); null at end of stream. A line longer
         * than {@link #MAX_COMMAND} is returned cut to MAX_COMMAND + 1 characters after reading it whole.
         */
        String commandLine() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            while (true) {
                if (pos == limit && !fill()) return null;
                byte b = buf[pos++];
                if (b == '\n') break;
                if (sb.length() <= MAX_COMMAND) sb.append((char) (b & 0xff));
            }
            int len = sb.length();
            if (len > 0 && sb.charAt(len - 1) == '\r') sb.setLength(len - 1);
            return sb.toString();
        }

        /** The header section of the last message read by {@link #skipData} (at most {@link #MAX_HEADER} octets). */
        private final byte[] header = new byte[MAX_HEADER];
        private int headerLength;

        /** The Message-ID field's value of the last message (RFC 5322 §3.6.4), "" when it has none. */
        String messageId() {
            String h = new String(header, 0, headerLength, StandardCharsets.ISO_8859_1);
            int start = 0;
            while (start < h.length()) {
                int end = h.indexOf('\n', start);
                if (end < 0) end = h.length();
                String line = h.substring(start, end).strip();
                if (line.regionMatches(true, 0, "Message-ID:", 0, 11)) return line.substring(11).strip();
                start = end + 1;
            }
            return "";
        }

        /**
         * Discards message text up to and including the line "." (RFC 5321 §4.1.1.4); returns the
         * octets before it (dot-stuffing not undone), or -1 when the stream ended first. The
         * header section (up to the first empty line, at most {@link #MAX_HEADER} octets) is kept
         * for {@link #messageId}.
         */
        long skipData() throws IOException {
            // state: 0 = mid-line, 1 = after CRLF (line start), 2 = "." at line start, 3 = ".\r" at line start
            int state = 1;
            long n = 0;
            headerLength = 0;
            boolean inHeader = true;
            while (true) {
                if (pos == limit && !fill()) return -1;
                byte b = buf[pos++];
                n++;
                if (inHeader) {
                    if (headerLength < MAX_HEADER) header[headerLength++] = b;
                    // an empty line ends the header section (RFC 5322 §2.1)
                    // (CRLF CRLF, or a bare LF at the start of a line)
                    if (b == '\n' && (state == 1 || (headerLength >= 3 && header[headerLength - 2] == '\r'
                            && header[headerLength - 3] == '\n'))) {
                        inHeader = false;
                    }
                }
                switch (state) {
                    case 0 -> state = b == '\n' ? 1 : 0;
                    case 1 -> state = b == '.' ? 2 : b == '\n' ? 1 : 0;
                    case 2 -> state = b == '\r' ? 3 : b == '\n' ? 1 : 0;
                    case 3 -> {
                        if (b == '\n') return n - 3; // without ".\r\n"
                        state = 0;
                    }
                    default -> throw new IllegalStateException();
                }
            }
        }
    }

    /** Longest header section kept to find the Message-ID. */
    static final int MAX_HEADER = 16384;

    /** Buffers replies; flushes when the client has no more pipelined commands waiting (RFC 2920 §3.2). */
    private static final class Writer {
        private final OutputStream out;
        private final Reader in;
        private final StringBuilder pending = new StringBuilder(256);

        Writer(OutputStream out, Reader in) {
            this.out = out;
            this.in = in;
        }

        void reply(String line) {
            pending.append(line).append("\r\n");
        }

        void flushIfIdle() throws IOException {
            if (!in.buffered()) flush();
        }

        void flush() throws IOException {
            if (pending.isEmpty()) return;
            out.write(pending.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            pending.setLength(0);
        }
    }

    /** Standalone: listens until killed (or for --seconds), printing the counts every second. */
    public static void main(String[] args) throws Exception {
        int port = 0, seconds = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println("usage: CountingSink [--port 0] [--seconds 0]");
                    System.exit(2);
                }
            }
        }
        try (CountingSink sink = new CountingSink(port)) {
            System.out.println("sink listening on 127.0.0.1:" + sink.port());
            for (int t = 0; seconds == 0 || t < seconds; t++) {
                Thread.sleep(1000);
                Snapshot s = sink.snapshot();
                System.out.printf(Locale.ROOT, "connections %d, messages %d (%.1f per connection, at most %d), %d bytes, at most %d at once,"
                                + " %d duplicate Message-IDs%n",
                        s.connections(), s.messages(), s.reuse(), s.maxPerConnection(), s.bytes(), s.maxSimultaneous(), s.duplicates());
            }
        }
    }
}
