package dev.sealpost.web;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** POST routes ({@link WebServer#postRoute}): the route gets the body and content type; elsewhere POST stays 405; big bodies get 413. */
class WebPostRouteTest {
    @Test
    void postRoutesGetTheBodyAndOthersStay405() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (WebServer s = new WebServer(WebServerConfig.defaults("mx.example.test").withHttp(any), d -> true)) {
            s.postRoute("/lists/unsubscribe/", (req, type, body) -> req.rawPath().endsWith("/none") ? Optional.empty()
                    : Optional.of(new WebServer.Reply(200, "text/plain", (req.method() + " " + type + " " + new String(body, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8), Map.of())));
            s.start();
            HttpClient c = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
            String base = "http://localhost:" + s.httpPort();
            HttpResponse<String> ok = c.send(HttpRequest.newBuilder(URI.create(base + "/lists/unsubscribe/l.example/tok"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("POST application/x-www-form-urlencoded List-Unsubscribe=One-Click");
            HttpResponse<String> none = c.send(HttpRequest.newBuilder(URI.create(base + "/lists/unsubscribe/none"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).isEqualTo(404);
            HttpResponse<String> elsewhere = c.send(HttpRequest.newBuilder(URI.create(base + "/healthz"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(elsewhere.statusCode()).isEqualTo(405);
            HttpResponse<String> big = c.send(HttpRequest.newBuilder(URI.create(base + "/lists/unsubscribe/l.example/tok"))
                    .POST(HttpRequest.BodyPublishers.ofString("x".repeat(WebServer.MAX_POST_BODY + 1))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(big.statusCode()).isEqualTo(413);
        }
    }
}
