package dev.sealpost.core.tls;

import dev.sealpost.testkit.TestCerts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerTlsTest {
    private static final SSLContext SERVER = TestCerts.selfSigned("localhost", List.of("localhost")).serverContext();
    private static final List<String> AEAD_TLS12 = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    private static final List<String> TLS13 = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    private ServerSocket listener;

    @AfterEach
    void close() throws Exception {
        if (listener != null) listener.close();
    }

    @Test
    void intermediateIsTls13AndTls12EcdheAeadOnlyInServerOrder() {
        ServerTls t = ServerTls.of(SERVER);
        assertThat(t.profile()).isEqualTo(TlsProfile.INTERMEDIATE);
        assertThat(t.enabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(t.enabledCipherSuites()).containsExactlyElementsOf(concat(TLS13, AEAD_TLS12));
        SSLParameters p = t.parameters();
        assertThat(p.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(p.getCipherSuites()).noneMatch(s -> s.contains("_CBC_") || s.contains("_DHE_") || s.startsWith("TLS_RSA_")
                || s.contains("3DES") || s.contains("RC4") || s.contains("NULL") || s.contains("anon") || s.contains("EXPORT"));
        assertThat(p.getUseCipherSuitesOrder()).isTrue();
        assertThat(p.getNamedGroups()).isNotEmpty().noneMatch(g -> g.startsWith("ffdhe")).contains("x25519");
        assertThat(p.getApplicationProtocols()).isEmpty();
    }

    @Test
    void modernIsTls13Only() {
        ServerTls t = ServerTls.of(SERVER, TlsProfile.MODERN);
        assertThat(t.enabledProtocols()).containsExactly("TLSv1.3");
        assertThat(t.enabledCipherSuites()).containsExactlyElementsOf(TLS13);
    }

    @Test
    void legacyAddsEcdheCbcAfterTheAeadSuitesButNothingBelowTls12() {
        ServerTls t = ServerTls.of(SERVER, TlsProfile.LEGACY);
        assertThat(t.enabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        List<String> suites = t.enabledCipherSuites();
        assertThat(suites.subList(0, 9)).containsExactlyElementsOf(concat(TLS13, AEAD_TLS12));
        assertThat(suites.subList(9, suites.size())).isNotEmpty().allMatch(s -> s.startsWith("TLS_ECDHE_") && s.contains("_CBC_"));
        assertThat(suites).noneMatch(s -> s.contains("_DHE_") || s.startsWith("TLS_RSA_"));
    }

    @Test
    void legacyIsAllowedOnlyOnTheMxListener() {
        assertThat(TlsProfile.LEGACY.allowedOn(true)).isTrue();
        assertThat(TlsProfile.LEGACY.allowedOn(false)).isFalse();
        assertThat(TlsProfile.INTERMEDIATE.allowedOn(false)).isTrue();
        assertThat(TlsProfile.MODERN.allowedOn(false)).isTrue();
    }

    @Test
    void profileNamesParseCaseInsensitively() {
        assertThat(TlsProfile.of("Intermediate")).contains(TlsProfile.INTERMEDIATE);
        assertThat(TlsProfile.of("modern")).contains(TlsProfile.MODERN);
        assertThat(TlsProfile.of("legacy")).contains(TlsProfile.LEGACY);
        assertThat(TlsProfile.of("old")).isEmpty();
        assertThat(TlsProfile.INTERMEDIATE.configName()).isEqualTo("intermediate");
    }

    @Test
    void alpnIsAnnounced() {
        assertThat(ServerTls.of(SERVER).withAlpn("imap").parameters().getApplicationProtocols()).containsExactly("imap");
    }

    @Test
    void tls13HandshakeEstablishesWithATlsExporterBindingBothSidesAgreeOn() throws Exception {
        ServerTls t = ServerTls.of(SERVER).withAlpn("imap");
        CompletableFuture<ServerTls.Handshake> server = serve(t);
        try (SSLSocket c = client("TLSv1.3", null, "imap")) {
            c.startHandshake();
            ServerTls.Handshake h = server.get(10, TimeUnit.SECONDS);
            assertThat(h).isInstanceOf(ServerTls.Handshake.Established.class);
            var e = (ServerTls.Handshake.Established) h;
            assertThat(e.protocol()).isEqualTo("TLSv1.3");
            assertThat(e.description()).startsWith("TLSv1.3 TLS_AES_");
            assertThat(e.applicationProtocol()).isEqualTo("imap");
            assertThat(e.channelBinding().type()).isEqualTo("tls-exporter");
            // RFC 9266 §2: the client exports the same 32 octets
            byte[] mine = ((ExtendedSSLSession) c.getSession()).exportKeyingMaterialData("EXPORTER-Channel-Binding", new byte[0], 32);
            assertThat(e.channelBinding().data()).hasSize(32).isEqualTo(mine);
            c.close(); // the client first: a TLS 1.3 server's close waits for the peer's close_notify
            e.socket().close();
        }
    }

    @Test
    void tls12WithAnAeadSuiteEstablishesWithoutChannelBinding() throws Exception {
        CompletableFuture<ServerTls.Handshake> server = serve(ServerTls.of(SERVER));
        try (SSLSocket c = client("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", null)) {
            c.startHandshake();
            var e = (ServerTls.Handshake.Established) server.get(10, TimeUnit.SECONDS);
            assertThat(e.description()).isEqualTo("TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
            assertThat(e.channelBinding()).isNull(); // RFC 9266 §4.2: not offered on TLS 1.2
            e.socket().close();
        }
    }

    @Test
    void tls12CbcIsRefusedByIntermediateAndAcceptedByLegacy() throws Exception {
        String cbc = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256";
        CompletableFuture<ServerTls.Handshake> refused = serve(ServerTls.of(SERVER));
        try (SSLSocket c = client("TLSv1.2", cbc, null)) {
            assertThatThrownBy(c::startHandshake).isInstanceOf(java.io.IOException.class);
        }
        assertThat(refused.get(10, TimeUnit.SECONDS)).isInstanceOf(ServerTls.Handshake.Failed.class);
        listener.close();

        CompletableFuture<ServerTls.Handshake> accepted = serve(ServerTls.of(SERVER, TlsProfile.LEGACY));
        try (SSLSocket c = client("TLSv1.2", cbc, null)) {
            c.startHandshake();
            var e = (ServerTls.Handshake.Established) accepted.get(10, TimeUnit.SECONDS);
            assertThat(e.cipherSuite()).isEqualTo(cbc);
            e.socket().close();
        }
    }

    @Test
    void tls12IsRefusedByModern() throws Exception {
        CompletableFuture<ServerTls.Handshake> server = serve(ServerTls.of(SERVER, TlsProfile.MODERN));
        try (SSLSocket c = client("TLSv1.2", null, null)) {
            assertThatThrownBy(c::startHandshake).isInstanceOf(java.io.IOException.class);
        }
        var f = (ServerTls.Handshake.Failed) server.get(10, TimeUnit.SECONDS);
        assertThat(f.reason()).isNotBlank();
    }

    @Test
    void aClientOfferingOnlyAnotherAlpnProtocolIsRefused() throws Exception {
        // RFC 7301 §3.2: no_application_protocol (cross-protocol attacks such as ALPACA)
        CompletableFuture<ServerTls.Handshake> server = serve(ServerTls.of(SERVER).withAlpn("imap"));
        try (SSLSocket c = client("TLSv1.3", null, "http/1.1")) {
            assertThatThrownBy(c::startHandshake).isInstanceOf(java.io.IOException.class);
        }
        assertThat(server.get(10, TimeUnit.SECONDS)).isInstanceOf(ServerTls.Handshake.Failed.class);
    }

    @Test
    void aSilentClientTimesOut() throws Exception {
        CompletableFuture<ServerTls.Handshake> server = serve(ServerTls.of(SERVER), Duration.ofMillis(200));
        try (Socket c = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
            var f = (ServerTls.Handshake.Failed) server.get(10, TimeUnit.SECONDS);
            assertThat(f.reason()).containsIgnoringCase("timed out");
        }
    }

    private CompletableFuture<ServerTls.Handshake> serve(ServerTls tls) throws Exception {
        return serve(tls, Duration.ofSeconds(10));
    }

    private CompletableFuture<ServerTls.Handshake> serve(ServerTls tls, Duration timeout) throws Exception {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ServerSocket ss = listener;
        CompletableFuture<ServerTls.Handshake> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                Socket s = ss.accept();
                f.complete(tls.handshake(s, timeout));
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private SSLSocket client(String protocol, String suite, String alpn) throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {trustAll}, null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(new String[] {protocol});
        if (suite != null) p.setCipherSuites(new String[] {suite});
        if (alpn != null) p.setApplicationProtocols(new String[] {alpn});
        s.setSSLParameters(p);
        s.setSoTimeout(10_000);
        return s;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
