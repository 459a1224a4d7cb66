package dev.sealpost.core.tls;

import dev.sealpost.core.sasl.ChannelBinding;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The server side of TLS for every listener (SMTP, IMAP, POP3, HTTPS): one SSLContext with one
 * policy, the {@link TlsProfile}'s protocol versions and cipher suites in our order, ALPN, and
 * the handshake on an accepted socket (implicit TLS, or after STARTTLS / STLS) with its result as
 * a value. Immutable and shared by all sessions of a listener.
 */
public final class ServerTls {
    /**
     * The JDK system property that makes a server refuse TLS 1.2 renegotiation started by the
     * client (a CPU DoS lever, and the root of the RFC 5746 attack); TLS 1.3 has none. It is read
     * once, when the JDK's server handshake code is first loaded: {@link #rejectClientRenegotiation()}
     * sets it at process start ({@code dev.sealpost.app.Main}).
     */
    public static final String REJECT_RENEGOTIATION_PROPERTY = "jdk.tls.rejectClientInitiatedRenegotiation";

    /** RFC 9266 §2: the label of the tls-exporter channel binding. */
    private static final String EXPORTER_LABEL = "EXPORTER-Channel-Binding";

    /** The outcome of a server handshake: the TLS socket either way (the session closes it on failure). */
    public sealed interface Handshake {
        SSLSocket socket();

        /**
         * @param protocol            negotiated version, e.g. "TLSv1.3"
         * @param cipherSuite         negotiated suite
         * @param applicationProtocol ALPN result (RFC 7301 §3.2), "" when none was negotiated
         * @param channelBinding      RFC 9266 tls-exporter data, or null (TLS 1.2: see {@link #channelBinding})
         */
        record Established(SSLSocket socket, String protocol, String cipherSuite, String applicationProtocol,
                           ChannelBinding channelBinding) implements Handshake {
            /** "TLSv1.3 TLS_AES_128_GCM_SHA256": what the sessions log and put into Received. */
            public String description() {
                return protocol + " " + cipherSuite;
            }
        }

        /** The peer's fault (no common version or suite, a broken record, a timeout): @param reason for the log */
        record Failed(SSLSocket socket, String reason) implements Handshake {}
    }

    private final SSLContext context;
    private final TlsProfile profile;
    private final List<String> alpn;
    private final String[] protocols;
    private final String[] cipherSuites;
    private final String[] namedGroups;

    private ServerTls(SSLContext context, TlsProfile profile, List<String> alpn) {
        this.context = Objects.requireNonNull(context, "context");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.alpn = List.copyOf(alpn);
        SSLParameters supported = context.getSupportedSSLParameters();
        Set<String> versions = Set.of(supported.getProtocols());
        Set<String> suites = Set.of(supported.getCipherSuites());
        this.protocols = profile.protocols().stream().filter(versions::contains).toArray(String[]::new);
        this.cipherSuites = profile.cipherSuites().stream().filter(suites::contains).toArray(String[]::new);
        if (protocols.length == 0 || cipherSuites.length == 0) {
            throw new IllegalStateException("TLS profile " + profile.configName() + ": this JDK supports none of its protocol versions or cipher suites");
        }
        String[] groups = context.getDefaultSSLParameters().getNamedGroups();
        // RFC 9325 §4.1: no finite-field DH; the JDK would still offer ffdhe groups as TLS 1.3 key shares
        this.namedGroups = groups == null ? null : Arrays.stream(groups).filter(g -> !g.startsWith("ffdhe")).toArray(String[]::new);
    }

    /** The default profile ({@link TlsProfile#INTERMEDIATE}) over a server context; no ALPN. */
    public static ServerTls of(SSLContext context) {
        return new ServerTls(context, TlsProfile.INTERMEDIATE, List.of());
    }

    /** A profile over a server context; no ALPN. */
    public static ServerTls of(SSLContext context, TlsProfile profile) {
        return new ServerTls(context, profile, List.of());
    }

    /**
     * The same policy announcing these ALPN protocol ids (RFC 7301 §3.1), e.g. "imap". A client that
     * offers ALPN without any of them is refused with the no_application_protocol alert (RFC 7301
     * §3.2): this stops a TLS connection meant for another protocol being answered (ALPACA).
     */
    public ServerTls withAlpn(String... protocolIds) {
        return new ServerTls(context, profile, List.of(protocolIds));
    }

    public SSLContext context() {
        return context;
    }

    public TlsProfile profile() {
        return profile;
    }

    /** The ALPN protocol ids announced, in order; empty for none. */
    public List<String> alpn() {
        return alpn;
    }

    /** The protocol versions enabled (the profile's that the JDK supports), newest first. */
    public List<String> enabledProtocols() {
        return List.of(protocols);
    }

    /** The cipher suites enabled, in the server's order of preference. */
    public List<String> enabledCipherSuites() {
        return List.of(cipherSuites);
    }

    /**
     * A fresh copy of the policy as SSLParameters: versions, suites with the server's order
     * (RFC 9325 §4.2 lists our preferences; clients' order is not trusted to put AEAD first),
     * named groups without ffdhe, ALPN. For listeners that make their own SSLEngine (HTTPS).
     */
    public SSLParameters parameters() {
        SSLParameters p = context.getDefaultSSLParameters();
        p.setProtocols(protocols.clone()); // RFC 8996 §5 / RFC 8314 §4.1: TLS 1.2 or newer only
        p.setCipherSuites(cipherSuites.clone());
        p.setUseCipherSuitesOrder(true);
        if (namedGroups != null) p.setNamedGroups(namedGroups.clone());
        if (!alpn.isEmpty()) p.setApplicationProtocols(alpn.toArray(String[]::new)); // RFC 7301 §3.1
        p.setNeedClientAuth(false);
        return p;
    }

    /**
     * Layers server-mode TLS over an accepted TCP socket: at connect for implicit TLS (RFC 8314
     * §3.3), or after the STARTTLS / STLS go-ahead. The caller must already have dropped anything
     * it buffered from the cleartext connection (RFC 3207 §4.2, RFC 2595 §4, RFC 9051 §6.2.1).
     * Closing the TLS socket closes the TCP socket. The handshake is not started.
     */
    public SSLSocket layer(Socket accepted) throws IOException {
        InetSocketAddress remote = (InetSocketAddress) accepted.getRemoteSocketAddress();
        SSLSocket s = remote == null
                ? (SSLSocket) context.getSocketFactory().createSocket(accepted, null, true)
                : (SSLSocket) context.getSocketFactory().createSocket(accepted, remote.getHostString(), remote.getPort(), true);
        s.setUseClientMode(false);
        s.setSSLParameters(parameters());
        return s;
    }

    /**
     * Layers TLS over {@code accepted} and runs the server handshake, each read waiting at most
     * {@code timeout} (which stays the socket's read timeout afterwards; zero means no limit, as
     * for {@link Socket#setSoTimeout}, and no listener passes it).
     *
     * @return {@link Handshake.Established}, or {@link Handshake.Failed} when the peer could not or
     *         would not complete it
     * @throws IOException when the socket cannot be layered at all (already closed)
     */
    public Handshake handshake(Socket accepted, Duration timeout) throws IOException {
        SSLSocket s = layer(accepted);
        if (timeout.isNegative()) throw new IllegalArgumentException("timeout: must not be negative");
        s.setSoTimeout(timeout.isZero() ? 0 : (int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE));
        try {
            s.startHandshake();
        } catch (IOException e) {
            return new Handshake.Failed(s, e.getMessage());
        }
        SSLSession ss = s.getSession();
        if (!ss.isValid() || "SSL_NULL_WITH_NULL_NULL".equals(ss.getCipherSuite())) {
            // the handshake ended without a session (the peer closed during it)
            return new Handshake.Failed(s, "no TLS session established");
        }
        String ap = s.getApplicationProtocol();
        return new Handshake.Established(s, ss.getProtocol(), ss.getCipherSuite(), ap == null ? "" : ap, channelBinding(ss));
    }

    /**
     * RFC 9266 tls-exporter channel binding: 32 octets exported with the label
     * "EXPORTER-Channel-Binding" and an empty context (RFC 9266 §2). Only on TLS 1.3: for TLS 1.2
     * RFC 9266 §4.2 requires the extended master secret (RFC 7627), which the JDK does not let us
     * confirm per session, so SCRAM -PLUS mechanisms are not offered there. Null when not available.
     */
    public static ChannelBinding channelBinding(SSLSession ss) {
        if (!"TLSv1.3".equals(ss.getProtocol()) || !(ss instanceof ExtendedSSLSession e)) return null;
        try {
            byte[] data = e.exportKeyingMaterialData(EXPORTER_LABEL, new byte[0], 32);
            return data == null ? null : new ChannelBinding("tls-exporter", data);
        } catch (IOException | RuntimeException x) {
            return null;
        }
    }

    /**
     * Sets {@value #REJECT_RENEGOTIATION_PROPERTY} to true: TLS 1.2 clients cannot renegotiate
     * (RFC 9325 §3.5 allows refusing; the server never starts one). Call first thing at process
     * start, before any server handshake has loaded the JDK's handshake code.
     */
    public static void rejectClientRenegotiation() {
        System.setProperty(REJECT_RENEGOTIATION_PROPERTY, "true");
    }

    @Override
    public String toString() {
        return "ServerTls[" + profile.configName() + ", " + String.join(",", protocols) + (alpn.isEmpty() ? "" : ", alpn=" + alpn) + "]";
    }
}
