package dev.sealpost.bench.outbound;

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
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Puts N messages into the server over C connections (virtual threads), MAIL, RCPT and DATA
 * pipelined when offered (RFC 2920 §3.1). The same method as the package-private
 * {@code dev.sealpost.bench.LoadGenerator} (a base64-like body of exactly the given size, lines
 * of 76 characters, never a leading '.'), kept small here because that class is not visible from
 * this package.
 */
final class Injector {
    private static final int MAX_REPLY_LINE = 4096;

    /**
     * @param accepted        messages that got 250 after their end of data
     * @param firstSendNanos  {@link System#nanoTime()} when the first connection was opened
     * @param lastAcceptNanos {@link System#nanoTime()} of the last 250, 0 when none
     * @param errors          connection-level failures and refusals
     */
    record Outcome(int accepted, long firstSendNanos, long lastAcceptNanos, List<String> errors) {}

    private final String host;
    private final int port, connections, messages, timeoutMillis;
    private final String from, to;
    private final byte[] body;
    private final String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()); // RFC 5322 §3.3
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong lastAccept = new AtomicLong();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());

    Injector(String host, int port, int connections, int messages, int size, String from, String to, int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.connections = connections;
        this.messages = messages;
        this.from = from;
        this.to = to;
        this.timeoutMillis = timeoutMillis;
        this.body = body(size);
    }

    /** Exactly {@code size} bytes (CRLFs included) of base64-alphabet lines from a fixed seed. */
    static byte[] body(int size) {
        if (size < 2) throw new IllegalArgumentException("size must be at least 2");
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        Random r = new Random(42);
        byte[] b = new byte[size];
        int pos = 0;
        while (pos < size) {
            int left = size - pos;
            // a line of up to 76 characters + CRLF; a tail of 1 byte lengthens this line instead
            int len = left >= 78 ? (left - 78 == 1 ? 77 : 76) : left - 2;
            for (int i = 0; i < len; i++) b[pos++] = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
            b[pos++] = '\r';
            b[pos++] = '\n';
        }
        return b;
    }

    Outcome run() throws InterruptedException {
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int conn = c;
            threads.add(Thread.ofVirtual().name("inject-" + c).start(() -> connection(conn)));
        }
        for (Thread t : threads) t.join();
        return new Outcome(accepted.get(), t0, lastAccept.get(), List.copyOf(errors));
    }

    private void connection(int conn) {
        try (Socket sock = new Socket()) {
            sock.setTcpNoDelay(true);
            sock.connect(new InetSocketAddress(host, port), timeoutMillis);
            sock.setSoTimeout(timeoutMillis);
            InputStream in = new BufferedInputStream(sock.getInputStream(), 8192);
            OutputStream out = new BufferedOutputStream(sock.getOutputStream(), 65536);
            expect(read(in), 220, "greeting");
            write(out, "EHLO inject" + conn + ".load.test\r\n");
            out.flush();
            List<String> ehlo = readLines(in, 250, "EHLO");
            boolean pipelining = ehlo.stream().anyMatch(x -> x.length() > 4 && x.substring(4).trim().equalsIgnoreCase("PIPELINING"));
            byte[] group = ("MAIL FROM:<" + from + "> SIZE=" + body.length + "\r\nRCPT TO:<" + to + ">\r\nDATA\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            int i;
            while ((i = next.getAndIncrement()) < messages) {
                int mail, rcpt, data;
                if (pipelining) {
                    out.write(group); // RFC 2920 §3.1: DATA ends the group
                    out.flush();
                    mail = read(in);
                    rcpt = read(in);
                    data = read(in);
                } else {
                    write(out, "MAIL FROM:<" + from + ">\r\n");
                    out.flush();
                    mail = read(in);
                    write(out, "RCPT TO:<" + to + ">\r\n");
                    out.flush();
                    rcpt = read(in);
                    write(out, "DATA\r\n");
                    out.flush();
                    data = read(in);
                }
                if (data != 354) {
                    errors.add("message " + i + ": MAIL " + mail + ", RCPT " + rcpt + ", DATA " + data);
                    write(out, "RSET\r\n");
                    out.flush();
                    read(in);
                    continue;
                }
                write(out, "From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: outbound bench " + i + "\r\nDate: " + date
                        + "\r\nMessage-ID: <" + i + "." + conn + "." + System.nanoTime() + "@load.test>\r\n\r\n");
                out.write(body);
                write(out, ".\r\n"); // RFC 5321 §4.1.1.4
                out.flush();
                int end = read(in);
                if (end == 250) {
                    accepted.incrementAndGet();
                    lastAccept.accumulateAndGet(System.nanoTime(), Math::max);
                } else {
                    errors.add("message " + i + ": end of data " + end);
                }
            }
            write(out, "QUIT\r\n");
            out.flush();
            read(in);
        } catch (IOException | RuntimeException e) {
            errors.add("connection " + conn + ": " + e);
        }
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static void expect(int code, int want, String what) throws IOException {
        if (code != want) throw new IOException(what + ": reply " + code);
    }

    /** One reply's code. */
    private static int read(InputStream in) throws IOException {
        List<String> lines = readLines(in, -1, "reply");
        return Integer.parseInt(lines.getLast().substring(0, 3));
    }

    /** One reply, multi-line included (RFC 5321 §4.2.1); checks the code when {@code want} > 0. */
    private static List<String> readLines(InputStream in, int want, String what) throws IOException {
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
            if (l.length() < 3 || !Character.isDigit(l.charAt(0)) || !Character.isDigit(l.charAt(1)) || !Character.isDigit(l.charAt(2))) {
                throw new IOException("malformed reply line '" + l + "'");
            }
            lines.add(l);
            if (l.length() == 3 || l.charAt(3) != '-') {
                if (want > 0 && Integer.parseInt(l.substring(0, 3)) != want) throw new IOException(what + ": unexpected reply " + lines);
                return lines;
            }
        }
    }
}
