package dev.sealpost.smtp.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A tiny scripted SMTP server for behaviour our own server never shows: one connection on an
 * ephemeral port, driven by a script written as code. Everything received is recorded in
 * {@link #received} (lines without CRLF; DATA content as one entry).
 */
final class FakeServer implements AutoCloseable {
    @FunctionalInterface
    interface Script {
        void run(Session s) throws Exception;
    }

    final List<String> received = new CopyOnWriteArrayList<>();
    private final ServerSocket ss;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Socket socket;

    FakeServer(Script script) throws IOException {
        ss = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        thread = Thread.ofVirtual().start(() -> {
            try (Socket s = ss.accept()) {
                socket = s;
                s.setSoTimeout(10_000);
                script.run(new Session(s));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), ss.getLocalPort());
    }

    /** Waits for the script to end and rethrows its failure. */
    void await() throws Exception {
        thread.join(TimeUnit.SECONDS.toMillis(15));
        Throwable t = failure.get();
        if (t instanceof Exception e) throw e;
        if (t != null) throw new AssertionError(t);
    }

    @Override
    public void close() throws IOException {
        ss.close();
        Socket s = socket;
        if (s != null) s.close();
    }

    /** The script's view of the connection. */
    final class Session {
        private InputStream in;
        private OutputStream out;
        private Socket s;

        Session(Socket s) throws IOException {
            this.s = s;
            this.in = s.getInputStream();
            this.out = s.getOutputStream();
        }

        /** Sends reply lines, each followed by CRLF. */
        void send(String... lines) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (String l : lines) sb.append(l).append("\r\n");
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** One line without CRLF (null at end of stream), recorded. */
        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') break;
                b.write(c);
            }
            if (c < 0 && b.size() == 0) return null;
            String l = b.toString(StandardCharsets.UTF_8);
            if (l.endsWith("\r")) l = l.substring(0, l.length() - 1);
            received.add(l);
            return l;
        }

        /** Reads a line and checks its start (case-insensitive). */
        String expect(String prefix) throws IOException {
            String l = line();
            if (l == null || !l.regionMatches(true, 0, prefix, 0, prefix.length())) {
                throw new AssertionError("expected " + prefix + " but got " + l);
            }
            return l;
        }

        /** DATA content up to CRLF.CRLF, raw (still dot-stuffed), recorded as one entry. */
        String data() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            int t1 = -1, t2 = -1, t3 = -1, t4 = -1; // the last octets before this one
            int n = 0;
            while ((c = in.read()) >= 0) {
                b.write(c);
                n++;
                if (c == '\n' && t1 == '\r' && t2 == '.' && (n == 3 || (t3 == '\n' && t4 == '\r'))) {
                    byte[] a = b.toByteArray();
                    String raw = new String(a, 0, n - 3, StandardCharsets.ISO_8859_1);
                    received.add(raw);
                    return raw;
                }
                t4 = t3;
                t3 = t2;
                t2 = t1;
                t1 = c;
            }
            throw new IOException("end of stream inside DATA");
        }

        /** Exactly n raw octets (BDAT chunk). */
        byte[] bytes(int n) throws IOException {
            return in.readNBytes(n);
        }

        /** Octets available without blocking: shows what the client pipelined. */
        int available() throws IOException {
            return in.available();
        }

        void close() throws IOException {
            s.close();
        }

        /** Server side of a TLS handshake on this connection (after "220" to STARTTLS). */
        void startTls(javax.net.ssl.SSLContext ctx) throws IOException {
            javax.net.ssl.SSLSocket ssl = (javax.net.ssl.SSLSocket) ctx.getSocketFactory()
                    .createSocket(s, s.getInetAddress().getHostAddress(), s.getPort(), true);
            ssl.setUseClientMode(false);
            ssl.startHandshake();
            s = ssl;
            in = ssl.getInputStream();
            out = ssl.getOutputStream();
        }

        /** The standard EHLO exchange with the given keywords. */
        void greetAndEhlo(String... keywords) throws IOException {
            send("220 fake.test ESMTP");
            expect("EHLO");
            String[] lines = new String[keywords.length + 1];
            lines[0] = "250" + (keywords.length == 0 ? " " : "-") + "fake.test";
            for (int i = 0; i < keywords.length; i++) lines[i + 1] = "250" + (i == keywords.length - 1 ? " " : "-") + keywords[i];
            send(lines);
        }
    }
}
