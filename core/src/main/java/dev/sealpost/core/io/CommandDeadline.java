package dev.sealpost.core.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A per-command deadline on a socket's input, shared by the SMTP, IMAP and POP3 readers: the
 * idle timeout (the socket's {@code SO_TIMEOUT}, set by the session) bounds each wait, and this
 * bounds the whole of one command, so that a client dripping one byte every few seconds (never
 * idle long enough for the idle timeout: "slowloris") cannot hold a connection forever.
 *
 * <p>The session calls {@link #begin()} when it starts reading a command (SMTP: a command line,
 * an AUTH answer, the content after DATA; IMAP: a command with its literals, an IDLE "DONE";
 * POP3: a command line). The deadline is armed by the first octet that arrives after that, so
 * the wait for a command stays under the idle timeout alone. From then on the command must
 * end within {@code perCommand + octets / minRate}: the time RFC 5321 §4.5.3.2 gives one
 * command (5 minutes), plus time for the octets actually sent at a minimum rate, so that a large
 * DATA, BDAT chunk or IMAP APPEND literal on a slow but honest link is not cut off (Postfix's
 * {@code smtpd_per_record_deadline} and {@code smtpd_min_data_rate} work alike).
 *
 * <p>Each read waits at most min(idle timeout, time left); when the deadline passes, the read
 * fails with {@link DeadlineExceededException}, a {@link SocketTimeoutException}, so each
 * protocol answers as for its idle timeout (SMTP {@code 421 4.4.2}, IMAP {@code * BYE}, POP3
 * {@code -ERR}) and closes. The session's own SO_TIMEOUT is put back after each read that
 * shortened it. Not thread-safe: one reader thread at a time (IMAP's IDLE reader runs while the
 * session thread waits).
 */
public final class CommandDeadline extends FilterInputStream {

    /**
     * @param perCommand time allowed for one command, from its first octet
     * @param minRate    octets per second a transfer must keep up on average (each octet read
     *                   adds {@code 1 / minRate} s to the deadline)
     */
    public record Settings(Duration perCommand, long minRate) {
        public Settings {
            if (perCommand == null || !perCommand.isPositive()) throw new IllegalArgumentException("perCommand: must be positive");
            if (minRate < 1) throw new IllegalArgumentException("minRate: must be positive");
        }

        /** RFC 5321 §4.5.3.2: 5 minutes per command; 1 KiB/s (a 35 MiB message may take 10 hours). */
        public static Settings defaults() {
            return new Settings(Duration.ofMinutes(5), 1024);
        }
    }

    /** The command's deadline passed: a {@link SocketTimeoutException}, so sessions treat it as a timeout. */
    public static final class DeadlineExceededException extends SocketTimeoutException {
        public DeadlineExceededException(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final Settings settings;
    private final LongSupplier nanoTime;
    private boolean active;
    private boolean armPending;
    private long armedAt;
    private long octets;

    public CommandDeadline(InputStream in, Socket socket, Settings settings) {
        this(in, socket, settings, System::nanoTime);
    }

    CommandDeadline(InputStream in, Socket socket, Settings settings, LongSupplier nanoTime) {
        super(Objects.requireNonNull(in, "in"));
        this.socket = Objects.requireNonNull(socket, "socket");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.nanoTime = nanoTime;
    }

    /** The deadline stream under {@code in} when there is one (a reader that was given one begins its commands). */
    public static void begin(InputStream in) {
        if (in instanceof CommandDeadline d) d.begin();
    }

    /** A new command starts: its deadline is armed by the next octet that arrives. */
    public void begin() {
        active = true;
        armPending = true;
        octets = 0;
    }

    /** No command in progress: only the idle timeout applies. */
    public void end() {
        active = false;
        armPending = false;
    }

    /** Nanoseconds left before the current command's deadline (Long.MAX_VALUE when none is armed). */
    long nanosLeft() {
        if (!active || armPending) return Long.MAX_VALUE;
        long allowance = settings.perCommand().toNanos() + Math.min(Long.MAX_VALUE / 4, octets * (1_000_000_000L / settings.minRate()));
        return armedAt + allowance - nanoTime.getAsLong();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        long left = nanosLeft();
        if (left == Long.MAX_VALUE) {
            int n = in.read(b, off, len);
            if (n > 0 && armPending) {
                armPending = false;
                armedAt = nanoTime.getAsLong();
                octets = n;
            }
            return n;
        }
        if (left <= 0) throw new DeadlineExceededException("command deadline passed");
        int idle = socket.getSoTimeout(); // the session's idle timeout (0: none)
        long leftMillis = Math.max(1, (left + 999_999) / 1_000_000);
        int n;
        if (idle != 0 && leftMillis >= idle) {
            n = in.read(b, off, len); // the idle timeout comes first
        } else {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMillis));
            try {
                n = in.read(b, off, len);
            } catch (SocketTimeoutException e) {
                throw new DeadlineExceededException("command deadline passed");
            } finally {
                if (!socket.isClosed()) socket.setSoTimeout(idle);
            }
        }
        if (n > 0) octets += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] b = new byte[(int) Math.min(8192, Math.max(0, n))];
        int k = read(b, 0, b.length);
        return Math.max(0, k);
    }
}
