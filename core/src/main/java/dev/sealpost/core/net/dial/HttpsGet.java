package dev.sealpost.core.net.dial;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A small, bounded HTTPS GET client over a {@link Dialer}: the host name of the URL is resolved
 * through the dialer's resolver (the configured DNS, never the system's), the TCP connection goes
 * to the address found, and TLS is then run for the <em>host name</em>: SNI (RFC 6066 §3) and
 * certificate host-name verification (RFC 9110 §4.3.4, RFC 6125) by the JDK's endpoint
 * identification "HTTPS", TLS 1.2 or 1.3 only. HTTP/1.1 (RFC 9112), one request per connection
 * ({@code Connection: close}), no redirects followed, no proxy, no cookies, no content coding.
 * Every step is bounded: the whole exchange by {@link Limits#total()}, the head by
 * {@link Limits#maxHeaderBytes()}, the body by {@link Limits#maxBodyBytes()}. Thread-safe.
 *
 * <p>Used for MTA-STS policies (RFC 8461 §3.3), BIMI Indicators and VMCs, and later WKD (ADR 0006).
 */
public final class HttpsGet {
    /**
     * @param connect        bound on resolving and connecting (all addresses)
     * @param total          bound on the whole exchange, connect included
     * @param maxBodyBytes   largest body accepted; more is {@link Failure.Kind#TOO_LARGE}
     * @param maxHeaderBytes largest response head (status line and fields)
     */
    public record Limits(Duration connect, Duration total, int maxBodyBytes, int maxHeaderBytes) {
        public Limits {
            if (connect.isNegative() || connect.isZero()) throw new IllegalArgumentException("connect timeout");
            if (total.isNegative() || total.isZero()) throw new IllegalArgumentException("total timeout");
            if (maxBodyBytes < 0) throw new IllegalArgumentException("maxBodyBytes");
            if (maxHeaderBytes < 256) throw new IllegalArgumentException("maxHeaderBytes");
        }

        public Limits withMaxBodyBytes(int n) {
            return new Limits(connect, total, n, maxHeaderBytes);
        }
    }

    /** The outcome of one GET. */
    public sealed interface Result permits Response, Failure {}

    /**
     * A response. The body is read only for status 200 (empty otherwise).
     *
     * @param headers field names in lower case, values in order received
     */
    public record Response(int status, Map<String, List<String>> headers, byte[] body) implements Result {
        public Response {
            headers = Map.copyOf(headers);
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        public Optional<String> header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
        }

        /** The media type without parameters, lower case; empty when absent. */
        public String mediaType() {
            return header("content-type").map(ct -> ct.split(";", 2)[0].strip().toLowerCase(Locale.ROOT)).orElse("");
        }
    }

    /** No response. */
    public record Failure(Kind kind, String detail) implements Result {
        public enum Kind {
            /** Not an https URL with a host. */
            BAD_URL,
            /** The host name does not exist or has no address (permanent). */
            NAME_NOT_FOUND,
            /** DNS failure for the host name (temporary). */
            DNS_TEMPFAIL,
            /** No address accepted a connection. */
            CONNECT,
            /** The certificate is not trusted or not valid for the host name. */
            CERTIFICATE,
            /** Other TLS failure (protocol version, handshake). */
            TLS,
            /** Out of time. */
            TIMEOUT,
            /** Body larger than the limit. */
            TOO_LARGE,
            /** Malformed or unsupported HTTP. */
            PROTOCOL,
            /** Connection lost. */
            IO
        }
    }

    private static final int MAX_FIELDS = 100;
    private static final int MAX_INTERIM = 5;

    private final Dialer dialer;
    private final SSLContext tls;
    private final String userAgent;

    /**
     * @param dialer    how names are resolved and connections opened
     * @param tls       the trust (and TLS provider) for servers
     * @param userAgent the User-Agent field value
     */
    public HttpsGet(Dialer dialer, SSLContext tls, String userAgent) {
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
    }

    public Dialer dialer() {
        return dialer;
    }

    /**
     * GETs an https URL.
     *
     * @param accept the Accept field value, or null for none
     */
    public Result get(URI uri, String accept, Limits limits) {
        if (uri == null || !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null) {
            return new Failure(Failure.Kind.BAD_URL, "not an https URL with a host: " + uri);
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
        int port = uri.getPort() == -1 ? 443 : uri.getPort();
        long deadline = System.nanoTime() + limits.total().toNanos();
        Duration connect = limits.connect().compareTo(limits.total()) < 0 ? limits.connect() : limits.total();
        Socket tcp;
        try {
            tcp = dialer.connect(host, port, connect);
        } catch (DialException e) {
            return new Failure(switch (e.kind()) {
                case NAME_NOT_FOUND -> Failure.Kind.NAME_NOT_FOUND;
                case NAME_TEMPFAIL -> Failure.Kind.DNS_TEMPFAIL;
                case UNREACHABLE -> Failure.Kind.CONNECT;
            }, e.getMessage());
        }
        try (Socket closeMe = tcp) {
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(tcp, host, port, true);
            try (ssl) {
                SSLParameters p = ssl.getSSLParameters();
                // RFC 9110 §4.3.4, RFC 6125: the certificate must be valid for the host name of the URL
                p.setEndpointIdentificationAlgorithm("HTTPS");
                // RFC 6066 §3: SNI carries a host name, never a literal address
                if (Dialer.literal(host) == null) p.setServerNames(List.of(new SNIHostName(host)));
                p.setProtocols(Arrays.stream(ssl.getSupportedProtocols())
                        .filter(v -> v.equals("TLSv1.3") || v.equals("TLSv1.2")).toArray(String[]::new)); // RFC 8996, RFC 9325 §3.1.1
                p.setApplicationProtocols(new String[] {"http/1.1"});
                ssl.setSSLParameters(p);
                InputStream in = new java.io.BufferedInputStream(new DeadlineInput(ssl, deadline), 8192);
                setTimeout(ssl, deadline);
                ssl.startHandshake();
                OutputStream out = ssl.getOutputStream();
                out.write(request(uri, host, port, accept).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return response(in, limits);
            }
        } catch (SocketTimeoutException e) {
            return new Failure(Failure.Kind.TIMEOUT, "timed out after " + limits.total());
        } catch (ProtocolError e) {
            return new Failure(e.kind, e.getMessage());
        } catch (SSLException e) {
            return new Failure(certificateProblem(e) ? Failure.Kind.CERTIFICATE : Failure.Kind.TLS, e.getMessage());
        } catch (IOException e) {
            return new Failure(Failure.Kind.IO, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private String request(URI uri, String host, int port, String accept) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) path += "?" + uri.getRawQuery();
        String hostField = (host.contains(":") ? "[" + host + "]" : host) + (port == 443 ? "" : ":" + port); // RFC 9110 §7.2
        StringBuilder r = new StringBuilder(256)
                .append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostField).append("\r\n")
                .append("User-Agent: ").append(userAgent).append("\r\n");
        if (accept != null) r.append("Accept: ").append(accept).append("\r\n");
        // RFC 9110 §12.5.3: no content coding; RFC 9112 §9.6: one exchange, then close
        r.append("Accept-Encoding: identity\r\nConnection: close\r\n\r\n");
        return r.toString();
    }

    private static Result response(InputStream in, Limits limits) throws IOException {
        int[] budget = {limits.maxHeaderBytes()};
        for (int interim = 0; ; interim++) {
            String statusLine = line(in, budget);
            // RFC 9112 §4: HTTP-version SP status-code SP [ reason-phrase ]
            if (!statusLine.matches("HTTP/1\\.[01] [0-9]{3}( .*)?")) throw new ProtocolError(Failure.Kind.PROTOCOL, "bad status line");
            int status = Integer.parseInt(statusLine.substring(9, 12));
            Map<String, List<String>> headers = fields(in, budget);
            if (status >= 100 && status < 200) {
                // RFC 9110 §15.2: interim responses come before the final one
                if (status == 101 || interim >= MAX_INTERIM) throw new ProtocolError(Failure.Kind.PROTOCOL, "unexpected " + status);
                continue;
            }
            byte[] body = status == 200 ? body(in, headers, limits.maxBodyBytes(), budget) : new byte[0];
            return new Response(status, headers, body);
        }
    }

    private static Map<String, List<String>> fields(InputStream in, int[] budget) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int n = 0; ; n++) {
            String l = line(in, budget);
            if (l.isEmpty()) return out;
            if (n >= MAX_FIELDS) throw new ProtocolError(Failure.Kind.PROTOCOL, "too many header fields");
            int colon = l.indexOf(':');
            // RFC 9112 §5.1: no whitespace between name and colon; §5.2: obsolete line folding refused
            if (colon <= 0 || l.charAt(0) == ' ' || l.charAt(0) == '\t' || !l.substring(0, colon).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new ProtocolError(Failure.Kind.PROTOCOL, "bad header field");
            }
            out.computeIfAbsent(l.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(l.substring(colon + 1).strip());
        }
    }

    private static byte[] body(InputStream in, Map<String, List<String>> headers, int max, int[] budget) throws IOException {
        List<String> te = headers.get("transfer-encoding");
        List<String> cl = headers.get("content-length");
        if (te != null) {
            // RFC 9112 §6.1: only "chunked" is understood; §6.3: with Content-Length too the message is
            // refused rather than one of them chosen (the framing is never guessed)
            if (cl != null) throw new ProtocolError(Failure.Kind.PROTOCOL, "both Transfer-Encoding and Content-Length");
            if (te.size() != 1 || !te.getFirst().equalsIgnoreCase("chunked")) {
                throw new ProtocolError(Failure.Kind.PROTOCOL, "unsupported transfer coding " + te);
            }
            return chunked(in, max, budget);
        }
        if (cl != null) {
            // RFC 9112 §6.3 item 5: differing or invalid lengths are an error
            String v = cl.getFirst();
            for (String x : cl) if (!x.equals(v)) throw new ProtocolError(Failure.Kind.PROTOCOL, "conflicting Content-Length");
            if (!v.matches("[0-9]{1,18}")) throw new ProtocolError(Failure.Kind.PROTOCOL, "bad Content-Length");
            long n = Long.parseLong(v);
            if (n > max) throw new ProtocolError(Failure.Kind.TOO_LARGE, "body of " + n + " bytes exceeds " + max);
            byte[] b = in.readNBytes((int) n);
            if (b.length != n) throw new ProtocolError(Failure.Kind.IO, "connection closed after " + b.length + " of " + n + " bytes");
            return b;
        }
        // RFC 9112 §6.3 item 8: no framing: the body ends when the connection closes
        byte[] b = in.readNBytes(max + 1);
        if (b.length > max) throw new ProtocolError(Failure.Kind.TOO_LARGE, "body exceeds " + max + " bytes");
        return b;
    }

    /** RFC 9112 §7.1: chunk-size [ chunk-ext ] CRLF chunk-data CRLF ... last-chunk trailer-section CRLF. */
    private static byte[] chunked(InputStream in, int max, int[] budget) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            int[] lineBudget = {1024};
            String sizeLine = line(in, lineBudget);
            String hex = sizeLine.split(";", 2)[0].strip();
            if (!hex.matches("[0-9A-Fa-f]{1,8}")) throw new ProtocolError(Failure.Kind.PROTOCOL, "bad chunk size");
            long size = Long.parseLong(hex, 16);
            if (size == 0) break;
            if (out.size() + size > max) throw new ProtocolError(Failure.Kind.TOO_LARGE, "body exceeds " + max + " bytes");
            byte[] b = in.readNBytes((int) size);
            if (b.length != size) throw new ProtocolError(Failure.Kind.IO, "connection closed inside a chunk");
            out.write(b);
            if (!line(in, lineBudget).isEmpty()) throw new ProtocolError(Failure.Kind.PROTOCOL, "chunk not followed by CRLF");
        }
        fields(in, budget); // trailer section, bounded by what is left of the head budget, ignored
        return out.toByteArray();
    }

    /** One line ending in CRLF (a bare LF is accepted at the end, RFC 9112 §2.2), within the budget. */
    private static String line(InputStream in, int[] budget) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(80);
        while (true) {
            int c = in.read();
            if (c < 0) throw new ProtocolError(Failure.Kind.IO, "connection closed in the response head");
            if (--budget[0] < 0) throw new ProtocolError(Failure.Kind.PROTOCOL, "response head too large");
            if (c == '\n') break;
            b.write(c);
        }
        byte[] bytes = b.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        for (int i = 0; i < n; i++) {
            // RFC 9112 §2.2: a bare CR, or NUL, in the head is refused
            if (bytes[i] == '\r' || bytes[i] == 0) throw new ProtocolError(Failure.Kind.PROTOCOL, "bare CR or NUL in the response head");
        }
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static void setTimeout(Socket s, long deadline) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) throw new SocketTimeoutException("deadline passed");
        s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    }

    static boolean certificateProblem(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CertificateException) return true;
            if (c instanceof SSLHandshakeException h && h.getMessage() != null
                    && (h.getMessage().contains("PKIX") || h.getMessage().contains("certificate") || h.getMessage().contains("subject alternative"))) {
                return true;
            }
            if (c.getCause() == c) break;
        }
        return false;
    }

    /** Sets the read timeout to what is left of the deadline before every read. */
    private static final class DeadlineInput extends InputStream {
        private final SSLSocket socket;
        private final long deadline;
        private InputStream in;

        DeadlineInput(SSLSocket socket, long deadline) {
            this.socket = socket;
            this.deadline = deadline;
        }

        private InputStream in() throws IOException {
            setTimeout(socket, deadline);
            if (in == null) in = socket.getInputStream();
            return in;
        }

        @Override
        public int read() throws IOException {
            return in().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in().read(b, off, len);
        }
    }

    /** A malformed or over-limit response: becomes a {@link Failure} of its kind. */
    private static final class ProtocolError extends IOException {
        final Failure.Kind kind;

        ProtocolError(Failure.Kind kind, String message) {
            super(message);
            this.kind = kind;
        }
    }
}
