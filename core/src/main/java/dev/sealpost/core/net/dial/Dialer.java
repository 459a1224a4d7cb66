package dev.sealpost.core.net.dial;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Opens outbound TCP connections by host name: the name goes through the {@link HostResolver}
 * given at construction (in the server: the configured DNS resolver), never through the JVM's
 * system resolver; each address is tried in the resolver's order, each with at most the
 * per-address connect timeout, all within the caller's overall bound. The one owner of "name →
 * socket" for HTTPS fetches (MTA-STS, BIMI, VMC, WKD) and, through the same {@link HostResolver},
 * for SMTP to MX hosts (ADR 0006). Thread-safe.
 */
public final class Dialer {
    private final HostResolver resolver;
    private final Duration perAddressTimeout;

    /**
     * @param resolver          name → addresses
     * @param perAddressTimeout TCP connect bound for one address (the next one is tried after it)
     */
    public Dialer(HostResolver resolver, Duration perAddressTimeout) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        if (perAddressTimeout.isNegative() || perAddressTimeout.isZero()) throw new IllegalArgumentException("perAddressTimeout");
        this.perAddressTimeout = perAddressTimeout;
    }

    public HostResolver resolver() {
        return resolver;
    }

    /**
     * Resolves {@code host} (an IP literal is used as it is) and connects to the first address that answers.
     *
     * @param timeout bound on the whole connect step (all addresses); the look-up is bounded by the resolver
     * @throws DialException when the name is not found, DNS failed, or no address could be reached
     */
    public Socket connect(String host, int port, Duration timeout) throws DialException {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port);
        long deadline = System.nanoTime() + timeout.toNanos();
        InetAddress literal = literal(host);
        HostResolver.Lookup lookup = literal != null ? new HostResolver.Found(List.of(literal), true) : resolver.lookup(host);
        return switch (lookup) {
            case HostResolver.NotFound n -> throw new DialException(DialException.Kind.NAME_NOT_FOUND, n.reason());
            case HostResolver.TempFail t -> throw new DialException(DialException.Kind.NAME_TEMPFAIL, t.reason());
            case HostResolver.Found f -> connectAny(host, f, port, deadline);
        };
    }

    private Socket connectAny(String host, HostResolver.Found found, int port, long deadline) throws DialException {
        StringBuilder errors = new StringBuilder();
        for (InetAddress a : found.addresses()) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                errors.append(errors.isEmpty() ? "" : "; ").append("out of time");
                break;
            }
            int ms = (int) Math.max(1, Math.min(left, perAddressTimeout.toMillis()));
            Socket s = new Socket();
            try {
                // an InetAddress with its address set: no look-up of any kind happens here
                s.connect(new InetSocketAddress(a, port), ms);
                s.setTcpNoDelay(true);
                return s;
            } catch (IOException e) {
                closeQuietly(s);
                errors.append(errors.isEmpty() ? "" : "; ").append(a.getHostAddress()).append(": ").append(e.getMessage());
            }
        }
        throw new DialException(DialException.Kind.UNREACHABLE, "cannot connect to " + host + ":" + port + " (" + errors + ")");
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /**
     * An IPv4 dotted quad or an IPv6 literal (brackets and an {@code IPv6:} tag allowed), or null
     * when the text is a host name. Never a look-up: {@link InetAddress#ofLiteral} parses only.
     */
    public static InetAddress literal(String host) {
        if (host == null || host.isEmpty()) return null;
        String s = host;
        if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
        if (s.regionMatches(true, 0, "IPv6:", 0, 5)) s = s.substring(5);
        boolean maybe = !s.isEmpty() && s.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == '.' || ch == ':');
        if (!maybe || (!s.contains(":") && !s.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}"))) return null;
        try {
            return InetAddress.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
