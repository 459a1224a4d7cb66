package dev.sealpost.queue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A minimal SMTP receiver without the DSN extension (RFC 3461 §5.2.2 "relayed" tests): takes every message. */
final class PlainMx implements AutoCloseable {
    final List<String> messages = new CopyOnWriteArrayList<>();
    private final ServerSocket ss;
    private final Thread thread;

    PlainMx() throws IOException {
        ss = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        thread = Thread.ofVirtual().start(this::serve);
    }

    int port() {
        return ss.getLocalPort();
    }

    private void serve() {
        while (!ss.isClosed()) {
            try (Socket s = ss.accept()) {
                session(s);
            } catch (IOException e) {
                // closed or client gone
            }
        }
    }

    private void session(Socket s) throws IOException {
        {
            {
                s.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream out = s.getOutputStream();
                send(out, "220 plain.test ESMTP");
                String line;
                while ((line = in.readLine()) != null) {
                    String cmd = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                    switch (cmd) {
                        case "EHLO" -> send(out, "250-plain.test\r\n250 8BITMIME");
                        case "DATA" -> {
                            send(out, "354 go ahead");
                            StringBuilder sb = new StringBuilder();
                            String l;
                            while ((l = in.readLine()) != null && !l.equals(".")) sb.append(l).append("\r\n");
                            messages.add(sb.toString());
                            send(out, "250 2.0.0 accepted");
                        }
                        case "QUIT" -> {
                            send(out, "221 bye");
                            return;
                        }
                        default -> send(out, "250 2.0.0 ok");
                    }
                }
            }
        }
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        ss.close();
        thread.interrupt();
    }
}
