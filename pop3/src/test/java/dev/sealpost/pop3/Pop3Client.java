package dev.sealpost.pop3;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** A minimal POP3 client for dialogue tests: raw lines, multi-line bodies, STLS. */
final class Pop3Client implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private Pop3Client(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(20_000);
        streams();
    }

    static Pop3Client connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return new Pop3Client(s);
    }

    static Pop3Client connectTls(int port, String protocol) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        Pop3Client c = new Pop3Client(s);
        c.handshake(protocol);
        return c;
    }

    private void streams() throws IOException {
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    static SSLContext trustAll(String protocol) throws Exception {
        TrustManager tm = new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        };
        SSLContext ctx = SSLContext.getInstance(protocol);
        ctx.init(null, new TrustManager[]{tm}, null);
        return ctx;
    }

    /** Upgrades the connection to TLS ("TLSv1.3" or "TLSv1.2"). */
    void handshake(String protocol) throws Exception {
        SSLSocket s = (SSLSocket) trustAll(protocol).getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        s.setUseClientMode(true);
        s.setEnabledProtocols(new String[]{protocol});
        s.startHandshake();
        socket = s;
        streams();
    }

    SSLSocket sslSocket() {
        return (SSLSocket) socket;
    }

    void send(String line) throws IOException {
        sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    /** One response line without CRLF; fails on a bare LF. */
    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) throw new EOFException("closed after: " + b.toString(StandardCharsets.UTF_8));
            if (c == '\n') {
                byte[] a = b.toByteArray();
                if (a.length == 0 || a[a.length - 1] != '\r') throw new IOException("bare LF in response");
                return new String(a, 0, a.length - 1, StandardCharsets.UTF_8);
            }
            b.write(c);
        }
    }

    /** Sends a command and returns the first response line. */
    String cmd(String line) throws IOException {
        send(line);
        return line();
    }

    /** The lines of a multi-line body up to the terminating ".", with byte-stuffing removed. */
    List<String> body() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = line();
            if (l.equals(".")) return lines;
            lines.add(l.startsWith(".") ? l.substring(1) : l);
        }
    }

    /** The raw bytes of a multi-line body up to and including CRLF.CRLF (still stuffed). */
    byte[] rawBody() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 2; // 0 in line, 1 saw CR, 2 at line start, 3 saw '.' at line start, 4 saw ".\r"
        while (true) {
            int c = in.read();
            if (c < 0) throw new EOFException("closed inside a multi-line response");
            b.write(c);
            state = switch (state) {
                case 0 -> c == '\r' ? 1 : 0;
                case 1 -> c == '\n' ? 2 : (c == '\r' ? 1 : 0);
                case 2 -> c == '.' ? 3 : (c == '\r' ? 1 : 0);
                case 3 -> c == '\r' ? 4 : 0;
                case 4 -> c == '\n' ? 5 : 0;
                default -> throw new IllegalStateException();
            };
            if (state == 5) return b.toByteArray();
        }
    }

    /** True when the server has closed the connection (reads EOF). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
