package dev.sealpost.imap.server;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * A test client speaking IMAP over a real socket: sends tagged commands and collects the response
 * lines up to the tagged completion, with literals inlined (as "{n}\r\n" + octets).
 */
final class ImapClient implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int tagCounter;
    final String greeting;

    private ImapClient(Socket s) throws IOException {
        socket = s;
        s.setSoTimeout(15_000);
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
        greeting = readLine();
    }

    static ImapClient connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return new ImapClient(s);
    }

    static ImapClient connectTls(int port) throws Exception {
        SSLSocket s = (SSLSocket) trustAll("TLSv1.3").getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.startHandshake();
        return new ImapClient(s);
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

    Socket socket() {
        return socket;
    }

    /** Upgrades the connection after the server's OK to STARTTLS. */
    void upgradeTls() throws Exception {
        SSLSocket s = (SSLSocket) trustAll("TLSv1.3").getSocketFactory()
                .createSocket(socket, "127.0.0.1", socket.getPort(), true);
        s.setUseClientMode(true);
        s.startHandshake();
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    /** Replaces the streams (COMPRESS). */
    void streams(InputStream i, OutputStream o) {
        in = i;
        out = o;
    }

    InputStream rawIn() {
        return in;
    }

    OutputStream rawOut() {
        return out;
    }

    String nextTag() {
        return "a" + (++tagCounter);
    }

    /** Sends "tag command" and returns all lines up to and including the tagged one. */
    List<String> cmd(String command) throws IOException {
        String tag = nextTag();
        send(tag + " " + command);
        return until(tag);
    }

    /** The tagged line of {@link #cmd}. */
    String ok(String command) throws IOException {
        List<String> r = cmd(command);
        return r.getLast();
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void sendRaw(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    /** Reads lines until one starts with "tag ". */
    List<String> until(String tag) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = readLine();
            if (l == null) throw new IOException("connection closed; got " + lines);
            lines.add(l);
            if (l.startsWith(tag + " ")) return lines;
        }
    }

    /** One response line with any literals it announces inlined, or null at end of stream. */
    String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            String part = rawLine();
            if (part == null) return sb.isEmpty() ? null : sb.toString();
            sb.append(part);
            int open = part.lastIndexOf('{');
            if (part.endsWith("}") && open >= 0 && part.substring(open + 1, part.length() - 1).matches("\\d+")) {
                int n = Integer.parseInt(part.substring(open + 1, part.length() - 1));
                byte[] lit = in.readNBytes(n);
                sb.append("\r\n").append(new String(lit, StandardCharsets.UTF_8));
                continue;
            }
            return sb.toString();
        }
    }

    private String rawLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
            if (c == '\n') break;
            b.write(c);
        }
        byte[] x = b.toByteArray();
        int len = x.length > 0 && x[x.length - 1] == '\r' ? x.length - 1 : x.length;
        return new String(x, 0, len, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
