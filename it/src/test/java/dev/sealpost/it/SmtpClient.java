package dev.sealpost.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A bare line-level SMTP client for dialogue tests: send a line, read one whole reply. */
final class SmtpClient implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    SmtpClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(15_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    /** Reads one reply; multi-line replies are joined with '\n'. */
    String reply() throws IOException {
        StringBuilder b = new StringBuilder();
        String line;
        do {
            line = in.readLine();
            if (line == null) throw new IOException("connection closed after: " + b);
            if (!b.isEmpty()) b.append('\n');
            b.append(line);
        } while (line.length() > 3 && line.charAt(3) == '-');
        return b.toString();
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    String cmd(String line) throws IOException {
        send(line);
        return reply();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
