package dev.sealpost.managesieve;

import dev.sealpost.testkit.TestTls;

import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A line-level ManageSieve test client: sends lines, reads a response up to its OK / NO / BYE line. */
final class SieveClient implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    SieveClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        streams();
    }

    private void streams() throws IOException {
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Upgrades to TLS 1.3 (after the server's OK to STARTTLS). */
    void handshake() throws Exception {
        SSLSocket s = (SSLSocket) TestTls.client("TLSv1.3").getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        s.setUseClientMode(true);
        s.startHandshake();
        socket = s;
        streams();
    }

    SSLSocket tls() {
        return (SSLSocket) socket;
    }

    void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Sends a command line and returns the response lines (literals inlined), the status line last. */
    List<String> cmd(String line) throws IOException {
        send(line + "\r\n");
        return response();
    }

    List<String> response() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = line();
            if (l == null) return lines;
            lines.add(l);
            if (l.startsWith("OK") || l.startsWith("NO") || l.startsWith("BYE")) return lines;
        }
    }

    /** One line; a line ending in {n} gets the literal's octets appended after a newline. */
    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
            if (c != '\r') b.write(c);
        }
        String s = b.toString(StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{(\\d+)}$").matcher(s);
        if (m.find()) {
            byte[] lit = in.readNBytes(Integer.parseInt(m.group(1)));
            return s + "\n" + new String(lit, StandardCharsets.UTF_8) + line();
        }
        return s;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
