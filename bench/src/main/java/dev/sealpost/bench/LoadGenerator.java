package dev.sealpost.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The built-in SMTP client: {@code connections} connections on virtual threads, each sending
 * messages back to back (taking the next message number from a shared counter until
 * {@code messages} are claimed), with MAIL, RCPT and DATA pipelined when the server offers
 * PIPELINING (RFC 2920 §3.1: DATA is the last command of a group; the message text follows the
 * 354).
 */
final class LoadGenerator {
    private static final int MAX_REPLY_LINE = 4096;
    private static final byte[] CRLF = {'\r', '\n'};

    record Settings(String host, int port, int connections, int messages, int size, String from, String to,
                    int timeoutMillis) {}

    /**
     * @param accepted       messages that got 250 after their end of data
     * @param rejected       messages refused at MAIL, RCPT, DATA or end of data
     * @param lastAcceptNanos {@link System#nanoTime()} of the last 250, 0 when none
     * @param latenciesNanos end of data sent → 250 received, per accepted message, sorted
     * @param pipelining     whether every connection saw PIPELINING in the EHLO reply
     * @param errors         connection-level failures (one per broken connection)
     */
    record Outcome(int accepted, int rejected, long lastAcceptNanos, long[] latenciesNanos, boolean pipelining,
                   List<String> errors) {
        long percentileNanos(double p) {
            if (latenciesNanos.length == 0) return 0;
            int i = (int) Math.min(latenciesNanos.length - 1, Math.ceil(p * latenciesNanos.length) - 1);
            return latenciesNanos[Math.max(0, i)];
        }
    }

    private final Settings s;
    private final byte[] body;
    private final String date;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicLong lastAccept = new AtomicLong();
    private final long[] latencies;
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger withoutPipelining = new AtomicInteger();

    LoadGenerator(Settings s) {
        this.s = s;
        this.body = body(s.size());
        this.date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()); // RFC 5322 §3.3
        this.latencies = new long[s.messages()];
        Arrays.fill(latencies, -1);
    }

    /**
     * A body of exactly {@code size} bytes (CRLFs included): lines of 76 base64-alphabet
     * characters from a fixed seed, like an attachment; never a line starting with '.', so no
     * dot-stuffing is needed (RFC 5321 §4.5.2), and about as compressible as real base64.
     */
    static byte[] body(int size) {
        if (size < 2) throw new IllegalArgumentException("--size must be at least 2 (one empty line)");
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        Random r = new Random(42);
        // lines of 76 characters + CRLF; a remainder of 1 or 2 bytes lengthens the last full line
        int full = size / 78, rem = size % 78;
        List<Integer> lengths = new ArrayList<>();
        for (int i = 0; i < full; i++) lengths.add(76);
        if (rem >= 2) lengths.add(rem - 2);
        else if (rem == 1) lengths.set(lengths.size() - 1, 77);
        byte[] b = new byte[size];
        int pos = 0;
        for (int len : lengths) {
            for (int i = 0; i < len; i++) b[pos++] = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
            b[pos++] = '\r';
            b[pos++] = '\n';
        }
        return b;
    }

    Outcome run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < s.connections(); c++) {
            int conn = c;
            threads.add(Thread.ofVirtual().name("smtp-load-" + c).start(() -> connection(conn)));
        }
        for (Thread t : threads) t.join();
        long[] l = Arrays.stream(latencies).filter(x -> x >= 0).sorted().toArray();
        return new Outcome(accepted.get(), rejected.get(), lastAccept.get(), l, withoutPipelining.get() == 0,
                List.copyOf(errors));
    }

    private void connection(int conn) {
        try (Socket sock = new Socket()) {
            sock.setTcpNoDelay(true);
            sock.connect(new InetSocketAddress(s.host(), s.port()), s.timeoutMillis());
            sock.setSoTimeout(s.timeoutMillis());
            InputStream in = new BufferedInputStream(sock.getInputStream(), 8192);
            OutputStream out = new BufferedOutputStream(sock.getOutputStream(), 65536);
            expect(read(in), 220, "greeting");
            line(out, "EHLO load" + conn + ".bench.test");
            out.flush();
            Reply ehlo = read(in);
            expect(ehlo, 250, "EHLO");
            boolean pipelining = ehlo.lines().stream().anyMatch(x -> x.length() > 4 && x.substring(4).trim().equalsIgnoreCase("PIPELINING"));
            if (!pipelining) withoutPipelining.incrementAndGet();
            byte[] mail = ("MAIL FROM:<" + s.from() + ">\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] rcpt = ("RCPT TO:<" + s.to() + ">\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] data = "DATA\r\n".getBytes(StandardCharsets.US_ASCII);
            int i;
            while ((i = next.getAndIncrement()) < s.messages()) {
                Reply rm, rr, rd;
                if (pipelining) {
                    // RFC 2920 §3.1: MAIL, RCPT and DATA in one group, then wait for all three replies
                    out.write(mail);
                    out.write(rcpt);
                    out.write(data);
                    out.flush();
                    rm = read(in);
                    rr = read(in);
                    rd = read(in);
                } else {
                    out.write(mail);
                    out.flush();
                    rm = read(in);
                    out.write(rcpt);
                    out.flush();
                    rr = read(in);
                    out.write(data);
                    out.flush();
                    rd = read(in);
                }
                if (rd.code() != 354) {
                    rejected.incrementAndGet();
                    line(out, "RSET");
                    out.flush();
                    read(in);
                    continue;
                }
                out.write(header(conn, i));
                out.write(body);
                out.write(".\r\n".getBytes(StandardCharsets.US_ASCII)); // RFC 5321 §4.1.1.4 end of data
                out.flush();
                long sent = System.nanoTime();
                Reply end = read(in);
                long now = System.nanoTime();
                if (end.code() == 250 && rm.code() == 250 && rr.code() / 100 == 2) {
                    accepted.incrementAndGet();
                    latencies[i] = now - sent;
                    lastAccept.accumulateAndGet(now, Math::max);
                } else {
                    rejected.incrementAndGet();
                }
            }
            line(out, "QUIT");
            out.flush();
            read(in);
        } catch (IOException | RuntimeException e) {
            errors.add("connection " + conn + ": " + e);
        }
    }

    private byte[] header(int conn, int i) {
        return ("From: <" + s.from() + ">\r\nTo: <" + s.to() + ">\r\nSubject: bench message " + i
                + "\r\nDate: " + date + "\r\nMessage-ID: <" + i + "." + conn + "." + System.nanoTime()
                + "@load.bench.test>\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void line(OutputStream out, String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.US_ASCII));
        out.write(CRLF);
    }

    record Reply(int code, List<String> lines) {}

    private static void expect(Reply r, int code, String what) throws IOException {
        if (r.code() != code) throw new IOException(what + ": unexpected reply " + r.lines());
    }

    /** Reads one reply, multi-line ones included (RFC 5321 §4.2.1: "NNN-" continues, "NNN " ends). */
    static Reply read(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>(1);
        while (true) {
            StringBuilder sb = new StringBuilder(64);
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) throw new IOException("connection closed by the server after " + lines);
                if (sb.length() >= MAX_REPLY_LINE) throw new IOException("reply line too long");
                if (b != '\r') sb.append((char) b);
            }
            String l = sb.toString();
            if (l.length() < 3) throw new IOException("malformed reply line '" + l + "'");
            lines.add(l);
            if (l.length() == 3 || l.charAt(3) != '-') {
                int code;
                try {
                    code = Integer.parseInt(l.substring(0, 3));
                } catch (NumberFormatException e) {
                    throw new IOException("malformed reply line '" + l + "'");
                }
                return new Reply(code, lines);
            }
        }
    }
}
