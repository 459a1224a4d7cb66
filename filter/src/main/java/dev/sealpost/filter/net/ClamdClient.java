package dev.sealpost.filter.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client for clamd's {@code INSTREAM} command (clamd(8)): {@code zINSTREAM\0}, then the data in
 * chunks each preceded by its length as a 4-byte big-endian unsigned integer, then a zero-length
 * chunk; clamd answers one NUL-terminated line ({@link ClamdReply}). One connection per scan (clamd
 * closes it after the reply). Over TCP or a unix domain socket.
 *
 * <p>Bounds: the whole exchange (connect, send, reply) must end within {@code timeout} (a watchdog
 * closes the channel at the deadline); at most {@code maxBytes} are streamed (clamd's own
 * {@code StreamMaxLength} defaults to 25 MiB; larger data is not sent and the result is
 * {@link ScanResult.Unavailable}); the reply is read up to {@value #MAX_REPLY} octets.
 * Never throws for network or clamd trouble: those are {@link ScanResult.Unavailable} values.
 * Thread-safe.
 */
public final class ClamdClient implements MalwareScanner {
    /** Octets per INSTREAM chunk. */
    public static final int CHUNK = 64 * 1024;
    /** Longest reply read. */
    public static final int MAX_REPLY = 4096;
    /** Default whole-exchange time limit. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Default stream bound: clamd's default {@code StreamMaxLength}. */
    public static final long DEFAULT_MAX_BYTES = 25L * 1024 * 1024;

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "clamd-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final ClamdAddress address;
    private final Duration timeout;
    private final long maxBytes;

    public ClamdClient(ClamdAddress address, Duration timeout, long maxBytes) {
        this.address = Objects.requireNonNull(address, "address");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("clamd timeout must be positive");
        if (maxBytes < 1) throw new IllegalArgumentException("clamd max bytes must be positive");
        this.maxBytes = maxBytes;
    }

    /** A client for {@code HOST:PORT} or a socket path ({@link ClamdAddress#parse}) with the default bounds. */
    public static ClamdClient of(String address) {
        return new ClamdClient(ClamdAddress.parse(address), DEFAULT_TIMEOUT, DEFAULT_MAX_BYTES);
    }

    public ClamdAddress address() {
        return address;
    }

    @Override
    public long maxBytes() {
        return maxBytes;
    }

    /** Scans {@code data} (the whole array). */
    @Override
    public ScanResult scan(byte[] data) {
        if (data.length > maxBytes) return new ScanResult.Unavailable("larger than the clamd stream bound of " + maxBytes + " octets");
        return exchange(ch -> {
            write(ch, ByteBuffer.wrap("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII)));
            for (int off = 0; off < data.length; off += CHUNK) {
                int n = Math.min(CHUNK, data.length - off);
                write(ch, ByteBuffer.allocate(4).putInt(0, n));
                write(ch, ByteBuffer.wrap(data, off, n));
            }
            write(ch, ByteBuffer.allocate(4)); // the zero-length chunk ends the stream
        });
    }

    /** Scans what {@code in} yields (not closed here); more than {@code maxBytes} is not scanned. */
    public ScanResult scan(InputStream in) {
        return exchange(ch -> {
            write(ch, ByteBuffer.wrap("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII)));
            byte[] buf = new byte[CHUNK];
            long total = 0;
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                total += n;
                if (total > maxBytes) throw new TooLarge();
                write(ch, ByteBuffer.allocate(4).putInt(0, n));
                write(ch, ByteBuffer.wrap(buf, 0, n));
            }
            write(ch, ByteBuffer.allocate(4));
        });
    }

    /** True when clamd answers {@code zPING} with {@code PONG} in time. */
    public boolean ping() {
        AtomicBoolean pong = new AtomicBoolean();
        ScanResult r = exchange(ch -> write(ch, ByteBuffer.wrap("zPING\0".getBytes(StandardCharsets.US_ASCII))), reply -> {
            pong.set(reply.equals("PONG"));
            return ScanResult.CLEAN;
        });
        return pong.get() && r instanceof ScanResult.Clean;
    }

    private interface Request {
        void send(SocketChannel ch) throws IOException;
    }

    private interface ReplyParser {
        ScanResult parse(String reply);
    }

    private static final class TooLarge extends IOException {
        TooLarge() {
            super("too large");
        }
    }

    private ScanResult exchange(Request request) {
        return exchange(request, ClamdReply::parse);
    }

    private ScanResult exchange(Request request, ReplyParser parser) {
        AtomicBoolean expired = new AtomicBoolean();
        SocketChannel ch;
        try {
            ch = address instanceof ClamdAddress.Unix ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        } catch (IOException e) {
            return new ScanResult.Unavailable("clamd " + address + ": " + e.getMessage());
        }
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            expired.set(true);
            closeQuietly(ch);
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try (ch) {
            ch.connect(switch (address) {
                case ClamdAddress.Unix u -> UnixDomainSocketAddress.of(u.path());
                case ClamdAddress.Tcp t -> t.socketAddress();
            });
            try {
                request.send(ch);
            } catch (TooLarge e) {
                return new ScanResult.Unavailable("larger than the clamd stream bound of " + maxBytes + " octets");
            } catch (IOException e) {
                // clamd may answer and close early (for example "INSTREAM size limit exceeded. ERROR"):
                // its reply says more than our broken pipe.
                if (expired.get()) throw e;
                String early = readReply(ch);
                return early == null ? new ScanResult.Unavailable("clamd " + address + ": " + e.getMessage()) : parser.parse(early);
            }
            String reply = readReply(ch);
            if (reply == null) return new ScanResult.Unavailable("clamd " + address + ": closed without a reply");
            return parser.parse(reply);
        } catch (ClosedChannelException e) {
            return new ScanResult.Unavailable(expired.get() ? "clamd " + address + ": no answer within " + timeout.toMillis() + " ms"
                    : "clamd " + address + ": connection closed");
        } catch (IOException | RuntimeException e) {
            if (expired.get()) return new ScanResult.Unavailable("clamd " + address + ": no answer within " + timeout.toMillis() + " ms");
            return new ScanResult.Unavailable("clamd " + address + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + ClamdReply.printable(e.getMessage())));
        } finally {
            watchdog.cancel(false);
        }
    }

    /** Reads up to NUL, EOF or {@link #MAX_REPLY} octets; null when nothing came. */
    private static String readReply(SocketChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(MAX_REPLY);
        while (buf.hasRemaining()) {
            int before = buf.position();
            int n;
            try {
                n = ch.read(buf);
            } catch (IOException e) {
                if (buf.position() > 0) break; // a reset after the reply: keep what came
                throw e;
            }
            if (n < 0) break;
            for (int i = before; i < buf.position(); i++) {
                if (buf.get(i) == 0 || buf.get(i) == '\n') return new String(buf.array(), 0, i, StandardCharsets.ISO_8859_1);
            }
        }
        if (buf.position() == 0) return null;
        if (!buf.hasRemaining()) return "(reply longer than " + MAX_REPLY + " octets)";
        return new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
    }

    private static void write(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing to stop a stuck exchange; nothing more to do
        }
    }

    @Override
    public String toString() {
        return "clamd " + address;
    }
}
