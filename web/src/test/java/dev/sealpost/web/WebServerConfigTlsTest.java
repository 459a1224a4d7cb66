package dev.sealpost.web;

import dev.sealpost.core.tls.ServerTls;
import dev.sealpost.core.tls.TlsProfile;
import dev.sealpost.testkit.TestCerts;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTPS: ALPN "http/1.1" always, any TLS profile but legacy (which is for the SMTP MX only). */
class WebServerConfigTlsTest {
    private static final SSLContext CONTEXT = TestCerts.selfSigned("localhost", List.of("localhost")).serverContext();
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void httpsAnnouncesHttp11() {
        WebServerConfig c = WebServerConfig.defaults("mx.example.test").withHttps(ANY, ServerTls.of(CONTEXT));
        assertThat(c.tls().alpn()).containsExactly("http/1.1");
        assertThat(c.tls().parameters().getApplicationProtocols()).containsExactly("http/1.1");
    }

    @Test
    void legacyIsRefused() {
        assertThatThrownBy(() -> WebServerConfig.defaults("mx.example.test").withHttps(ANY, ServerTls.of(CONTEXT, TlsProfile.LEGACY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("legacy");
    }
}
