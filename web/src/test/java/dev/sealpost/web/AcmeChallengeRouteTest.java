package dev.sealpost.web;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 8555 §8.3: the HTTP-01 route answers pending tokens with the key authorization, anything else 404. */
class AcmeChallengeRouteTest {
    @Test
    void pendingTokensAreAnsweredOthersAreNot() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        Map<String, String> pending = Map.of("tok-EN_1", "tok-EN_1.thumbprint");
        try (WebServer server = new WebServer(WebServerConfig.defaults("mx.example.test").withHttp(any), d -> false);
             HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(5)).build()) {
            server.start();
            String base = "http://127.0.0.1:" + server.httpPort() + "/.well-known/acme-challenge/";
            // no responder (ACME off): 404
            assertThat(get(client, base + "tok-EN_1").statusCode()).isEqualTo(404);
            server.acmeChallenges(t -> Optional.ofNullable(pending.get(t)));
            HttpResponse<String> r = get(client, base + "tok-EN_1");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("tok-EN_1.thumbprint");
            assertThat(r.headers().firstValue("Content-Type")).contains("application/octet-stream");
            assertThat(get(client, base + "other").statusCode()).isEqualTo(404);
            assertThat(get(client, base).statusCode()).isEqualTo(404);
            assertThat(get(client, base + "tok-EN_1/..").statusCode()).isEqualTo(404);
            assertThat(get(client, base + "a%2Fb").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void theHttpsListenerKeepsAcmeTls1AfterHttp11AndDropsAnythingElse() throws Exception {
        dev.sealpost.core.tls.ServerTls tls = dev.sealpost.core.tls.ServerTls.of(javax.net.ssl.SSLContext.getDefault());
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        assertThat(WebServerConfig.defaults("mx.example.test").withHttps(any, tls.withAlpn("http/1.1", "acme-tls/1")).tls().alpn())
                .containsExactly("http/1.1", "acme-tls/1");
        assertThat(WebServerConfig.defaults("mx.example.test").withHttps(any, tls.withAlpn("acme-tls/1", "h2")).tls().alpn())
                .containsExactly("http/1.1");
    }

    private static HttpResponse<String> get(HttpClient c, String url) throws Exception {
        return c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
