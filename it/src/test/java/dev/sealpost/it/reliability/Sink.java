package dev.sealpost.it.reliability;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fake remote MX: accepts every message and counts each X-Token it receives (per recipient). */
final class Sink implements AutoCloseable {
    private static final Pattern TOKEN = Pattern.compile("^X-Token: (\\S+)");
    private final ServerSocket server;
    /** "token recipient" to times received. */
    final Map<String, Integer> received = new ConcurrentHashMap<>();

    Sink() throws IOException {
        server = new ServerSocket(0, 100, InetAddress.getByName("127.0.0.1"));
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> session(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void session(Socket s) {
        try (s; Wire w = new Wire(s)) {
            w.send("220 sink.remote.test ESMTP");
            java.util.List<String> rcpts = new java.util.ArrayList<>();
            String l;
            while ((l = w.line()) != null) {
                String u = l.toUpperCase(java.util.Locale.ROOT);
                if (u.startsWith("EHLO")) w.send("250-sink.remote.test\r\n250-PIPELINING\r\n250 8BITMIME");
                else if (u.startsWith("HELO")) w.send("250 sink.remote.test");
                else if (u.startsWith("MAIL")) { rcpts.clear(); w.send("250 2.1.0 ok"); }
                else if (u.startsWith("RCPT")) { rcpts.add(l.substring(l.indexOf('<') + 1, l.lastIndexOf('>'))); w.send("250 2.1.5 ok"); }
                else if (u.startsWith("DATA")) {
                    w.send("354 go");
                    String token = null;
                    String d;
                    while ((d = w.line()) != null && !d.equals(".")) {
                        Matcher m = TOKEN.matcher(d);
                        if (token == null && m.find()) token = m.group(1);
                    }
                    if (d == null) return;
                    if (token != null) for (String r : rcpts) received.merge(token + " " + r, 1, Integer::sum);
                    w.send("250 2.0.0 queued");
                } else if (u.startsWith("QUIT")) { w.send("221 bye"); return; }
                else w.send("250 ok");
            }
        } catch (IOException e) {
            // the sender went away
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
