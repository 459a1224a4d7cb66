package dev.sealpost.it.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A bare line client for SMTP, IMAP and POP3 dialogues over loopback, optionally from a chosen 127.0.0.x address. */
final class Wire implements AutoCloseable {
    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Wire(int port) throws IOException {
        this(port, null, 15_000);
    }

    /** @param from local address to bind (e.g. 127.0.0.7), or null for the default */
    Wire(int port, String from, int readTimeoutMillis) throws IOException {
        socket = new Socket();
        if (from != null) socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(readTimeoutMillis);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Wraps an accepted socket (the sink's side). */
    Wire(Socket accepted) throws IOException {
        socket = accepted;
        socket.setSoTimeout(120_000);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** One line without CRLF; null at end of stream. */
    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') break;
            if (b.size() < 1_000_000) b.write(c);
        }
        if (c == -1 && b.size() == 0) return null;
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** One SMTP reply (multi-line joined by '\n'). */
    String smtpReply() throws IOException {
        StringBuilder b = new StringBuilder();
        String l;
        do {
            l = line();
            if (l == null) throw new IOException("connection closed after: " + b);
            if (!b.isEmpty()) b.append('\n');
            b.append(l);
        } while (l.length() > 3 && l.charAt(3) == '-');
        return b.toString();
    }

    String smtp(String cmd) throws IOException {
        send(cmd);
        return smtpReply();
    }

    /** Reads IMAP lines until the tagged reply of {@code tag}; returns the lines (the untagged ones up to 100,000 characters) joined by '\n', the tagged one last. */
    String imapUntil(String tag) throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            String l = line();
            if (l == null) throw new IOException("connection closed after: " + tail(b));
            if (l.startsWith(tag + " ")) return b.append(l).append('\n').toString(); // the tagged line always last
            if (b.length() < 100_000) b.append(l).append('\n'); // bounded: a FETCH 1:* of a big mailbox
        }
    }

    String imap(String tag, String cmd) throws IOException {
        send(tag + " " + cmd);
        return imapUntil(tag);
    }

    /** Reads a POP3 multi-line response body up to the "." line. */
    int pop3Body() throws IOException {
        int n = 0;
        while (true) {
            String l = line();
            if (l == null) throw new IOException("connection closed in multi-line response");
            if (l.equals(".")) return n;
            n += l.length() + 2;
        }
    }

    void send(String line) throws IOException {
        raw((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    void raw(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    /** True when the server closed the connection (end of stream) within the read timeout; lines read meanwhile go to {@code seen}. */
    boolean closedWithin(StringBuilder seen) throws IOException {
        try {
            String l;
            while ((l = line()) != null) {
                if (seen.length() < 2000) seen.append(l).append('\n');
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            seen.append("[").append(e.getMessage()).append("]\n");
            return true; // reset by peer: closed too
        }
    }

    static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String tail(CharSequence s) {
        return s.length() <= 300 ? s.toString() : "..." + s.subSequence(s.length() - 300, s.length());
    }

    /** First line of a reply, shortened for the table. */
    static String first(String reply) {
        if (reply == null) return "(none)";
        String l = reply.strip();
        int nl = l.indexOf('\n');
        if (nl >= 0) l = l.substring(0, nl);
        return l.length() > 70 ? l.substring(0, 70) + "..." : l;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket we no longer need
        }
    }
}
