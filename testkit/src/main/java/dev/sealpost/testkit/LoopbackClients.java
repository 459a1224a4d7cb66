package dev.sealpost.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw client sockets to a listener on 127.0.0.1, each bound to a chosen loopback source address
 * (127.0.0.1, 127.0.0.2, ...: loopback is one /8 on Linux), for tests of per-address connection
 * limits; {@link #close()} closes every socket made. Line-level helpers read and write CRLF lines.
 */
public final class LoopbackClients implements AutoCloseable {
    private final List<Socket> sockets = new ArrayList<>();

    /** A connected socket from {@code from} (an IP literal) to 127.0.0.1:{@code port}, 5 s timeouts. */
    public Socket connect(int port, String from) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(InetAddress.ofLiteral(from), 0));
        s.connect(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), port), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    /** Closes {@code s} with the others (a socket the test set up itself, e.g. with a tiny receive buffer). */
    public Socket track(Socket s) {
        sockets.add(s);
        return s;
    }

    /** One line, without its line end (read octet by octet: nothing after it is consumed). */
    public static String line(Socket s) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = s.getInputStream().read()) >= 0 && c != '\n') sb.append((char) c);
        return sb.toString().strip();
    }

    /** Sends {@code command} and CRLF, then reads one line. */
    public static String say(Socket s, String command) throws IOException {
        s.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return line(s);
    }

    /** True when the server has closed the connection (the next read is end of stream). */
    public static boolean closedByPeer(Socket s) throws IOException {
        return s.getInputStream().read() == -1;
    }

    @Override
    public void close() throws IOException {
        for (Socket s : sockets) s.close();
    }
}
