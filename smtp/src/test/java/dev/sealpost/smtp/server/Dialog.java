package dev.sealpost.smtp.server;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test SMTP client whose scripts read like transcripts:
 * {@code "C: EHLO x"} queues a command line (consecutive C: lines go out in one write, which
 * is how a pipelining client sends), {@code "S: 250 2.1.0 Sender ok"} flushes and expects a reply
 * line (a trailing {@code *} matches any rest), {@code "S: <closed>"} expects the server to
 * close, and {@code "TLS"} performs the client side of STARTTLS.
 */
final class Dialog implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final SSLContext clientTls;

    private Dialog(Socket socket, SSLContext clientTls) throws IOException {
        this.clientTls = clientTls;
        use(socket);
    }

    static Dialog connect(int port) throws IOException {
        return connect(port, null);
    }

    static Dialog connect(int port, SSLContext clientTls) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        return new Dialog(s, clientTls);
    }

    /** Implicit TLS (RFC 8314): handshake right after connecting. */
    static Dialog connectTls(int port, SSLContext clientTls) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        Dialog d = new Dialog(s, clientTls);
        d.upgrade();
        return d;
    }

    private void use(Socket s) throws IOException {
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
    }

    Dialog run(String... script) throws IOException {
        for (String step : script) {
            if (step.startsWith("C: ")) {
                pending.writeBytes((step.substring(3) + "\r\n").getBytes(StandardCharsets.UTF_8));
            } else if (step.startsWith("S: ")) {
                flushPending();
                String expected = step.substring(3);
                if (expected.equals("<closed>")) {
                    assertThat(readLineOrNull()).as("expected the server to close").isNull();
                    continue;
                }
                String got = readLineOrNull();
                assertThat(got).as("reply for step '%s'", step).isNotNull();
                if (expected.endsWith("*")) {
                    assertThat(got).startsWith(expected.substring(0, expected.length() - 1));
                } else {
                    assertThat(got).isEqualTo(expected);
                }
            } else if (step.equals("TLS")) {
                flushPending();
                upgrade();
            } else {
                throw new IllegalArgumentException("bad script step: " + step);
            }
        }
        flushPending();
        return this;
    }

    /** Sends raw bytes as they are (no CRLF added). */
    Dialog send(byte[] raw) throws IOException {
        flushPending();
        out.write(raw);
        out.flush();
        return this;
    }

    Dialog send(String raw) throws IOException {
        return send(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads one reply line without its CRLF. */
    String readLine() throws IOException {
        String l = readLineOrNull();
        assertThat(l).as("connection closed unexpectedly").isNotNull();
        return l;
    }

    /** Reads a whole (possibly multi-line) reply; returns its lines. */
    java.util.List<String> readReply() throws IOException {
        java.util.List<String> lines = new java.util.ArrayList<>();
        while (true) {
            String l = readLine();
            lines.add(l);
            if (l.length() < 4 || l.charAt(3) != '-') return lines;
        }
    }

    private String readLineOrNull() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        try {
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    byte[] bytes = b.toByteArray();
                    assertThat(bytes.length).as("reply line ends in CRLF").isPositive();
                    assertThat(bytes[bytes.length - 1]).as("reply line ends in CRLF").isEqualTo((byte) '\r');
                    return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
                }
                b.write(c);
            }
        } catch (SocketException e) {
            // connection reset: closed
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    private void flushPending() throws IOException {
        if (pending.size() > 0) {
            out.write(pending.toByteArray());
            out.flush();
            pending.reset();
        }
    }

    private void upgrade() throws IOException {
        SSLSocket s = (SSLSocket) clientTls.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        s.setUseClientMode(true);
        s.startHandshake();
        use(s);
    }

    SSLSocket sslSocket() {
        return (SSLSocket) socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
