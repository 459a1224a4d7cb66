package dev.sealpost.filter.net;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where clamd listens: a TCP {@code HOST:PORT} ({@code [IPv6]:PORT} for an IPv6 literal) or a unix
 * domain socket path ({@code /run/clamav/clamd.ctl}, or {@code unix:PATH}).
 */
public sealed interface ClamdAddress {
    /**
     * TCP (clamd's {@code TCPSocket}/{@code TCPAddr}): an IP literal or {@code localhost}. Never a
     * name: every name the server connects to is resolved by the configured resolver (ADR 0006),
     * and clamd is local infrastructure that needs none.
     */
    record Tcp(String host, int port) implements ClamdAddress {
        public Tcp {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) throw new IllegalArgumentException("clamd host is empty");
            if (port < 1 || port > 65535) throw new IllegalArgumentException("clamd port must be 1-65535: " + port);
            if (!host.equalsIgnoreCase("localhost")) {
                try {
                    java.net.InetAddress.ofLiteral(host); // parses only, never a look-up
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("clamd host must be an IP address or localhost, got " + host);
                }
            }
        }

        /** The address to connect to, without any name look-up. */
        public java.net.InetSocketAddress socketAddress() {
            java.net.InetAddress a = host.equalsIgnoreCase("localhost")
                    ? java.net.InetAddress.getLoopbackAddress() : java.net.InetAddress.ofLiteral(host);
            return new java.net.InetSocketAddress(a, port);
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** A unix domain socket (clamd's {@code LocalSocket}). */
    record Unix(Path path) implements ClamdAddress {
        public Unix {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /**
     * Parses the configured value ({@code [filter] clamd}).
     *
     * @throws IllegalArgumentException naming what was expected
     */
    static ClamdAddress parse(String value) {
        String v = Objects.requireNonNull(value, "clamd").strip();
        if (v.startsWith("unix:")) return new Unix(Path.of(v.substring("unix:".length())));
        if (v.startsWith("/")) return new Unix(Path.of(v));
        String host;
        String port;
        if (v.startsWith("[")) {
            int end = v.indexOf("]:");
            if (end < 0) throw new IllegalArgumentException("clamd: expected [IPv6]:PORT, got " + v);
            host = v.substring(1, end);
            port = v.substring(end + 2);
        } else {
            int colon = v.lastIndexOf(':');
            if (colon <= 0 || v.indexOf(':') != colon) {
                throw new IllegalArgumentException("clamd: expected HOST:PORT or a socket path, got " + v);
            }
            host = v.substring(0, colon);
            port = v.substring(colon + 1);
        }
        try {
            return new Tcp(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("clamd: expected a port number in " + v);
        }
    }
}
