package dev.sealpost.imap.server.cmd;

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
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * A raw IMAP connection for transcript tests: writes client lines verbatim and reads whole server
 * responses (a line plus any literals it announces), returned as the physical CRLF-separated lines
 * the RFCs print as {@code S:} lines.
 */
final class Conn implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int tags;

    Conn(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(15_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    String nextTag() {
        return "t" + (++tags);
    }

    void send(String line) throws IOException {
        sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    /** One response: its physical lines (a literal's lines included), or null at end of stream. */
    List<String> response() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (true) {
            byte[] line = rawLine();
            if (line == null) {
                if (all.size() == 0) return null;
                break;
            }
            all.writeBytes(line);
            String s = new String(line, StandardCharsets.UTF_8);
            int open = s.lastIndexOf('{');
            if (s.endsWith("}") && open >= 0 && s.substring(open + 1, s.length() - 1).matches("\\d{1,9}")) {
                int n = Integer.parseInt(s.substring(open + 1, s.length() - 1));
                all.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                all.writeBytes(in.readNBytes(n));
                continue;
            }
            break;
        }
        List<String> lines = new ArrayList<>(List.of(all.toString(StandardCharsets.UTF_8).split("\r\n", -1)));
        return lines;
    }

    /** The first physical line of the next response. */
    String line() throws IOException {
        List<String> r = response();
        if (r == null) throw new IOException("connection closed");
        return String.join("\r\n", r);
    }

    /** Sends {@code tag command} and returns every response up to the tagged one, literals inlined with CRLF. */
    List<String> cmd(String command) throws IOException {
        String tag = nextTag();
        send(tag + " " + command);
        return until(tag);
    }

    /** The tagged completion of {@link #cmd}, with the tag removed. */
    String status(String command) throws IOException {
        List<String> r = cmd(command);
        String last = r.getLast();
        return last.substring(last.indexOf(' ') + 1);
    }

    List<String> until(String tag) throws IOException {
        List<String> got = new ArrayList<>();
        while (true) {
            List<String> r = response();
            if (r == null) throw new IOException("connection closed; got " + got);
            String s = String.join("\r\n", r);
            got.add(s);
            if (s.startsWith(tag + " ")) return got;
        }
    }

    /** Bytes until end of stream (after LOGOUT / BYE). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    private byte[] rawLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) return b.size() == 0 ? null : b.toByteArray();
            if (c == '\n') break;
            b.write(c);
        }
        byte[] x = b.toByteArray();
        if (x.length > 0 && x[x.length - 1] == '\r') return java.util.Arrays.copyOf(x, x.length - 1);
        return x;
    }

    /** TLS on the existing connection (after the server's OK to STARTTLS). */
    void upgradeTls() throws Exception {
        TrustManager tm = new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        };
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(null, new TrustManager[]{tm}, null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        s.setUseClientMode(true);
        s.startHandshake();
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    /** Raw DEFLATE both ways (after the server's OK to COMPRESS DEFLATE, RFC 4978 §3). */
    void deflate() throws IOException {
        in = new BufferedInputStream(new InflaterInputStream(socket.getInputStream(), new Inflater(true)));
        out = new DeflaterOutputStream(socket.getOutputStream(), new Deflater(Deflater.DEFAULT_COMPRESSION, true), true);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
