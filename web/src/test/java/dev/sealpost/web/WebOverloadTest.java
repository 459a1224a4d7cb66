package dev.sealpost.web;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Overload: with {@code web.max_requests_in_flight} requests held in a slow route, the next
 * request gets 503 with Retry-After at once (RFC 9110 §15.6.4, §10.2.3), from the JDK client and
 * from curl; once the slow ones finish, requests are served again.
 */
class WebOverloadTest {
    @Test
    void busyServerAnswers503WithRetryAfterInsteadOfHanging() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger entered = new AtomicInteger();
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        WebServerConfig cfg = WebServerConfig.defaults("mx.example.test").withHttp(any).withMaxInFlight(2);
        try (WebServer server = new WebServer(cfg, d -> false);
             HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(5)).build()) {
            server.addRoute("/slow/", (path, secure) -> {
                entered.incrementAndGet();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Optional.of(new WebRoute.Reply(200, "text/plain", "slow\n".getBytes(StandardCharsets.US_ASCII), Map.of()));
            });
            server.start();
            String base = "http://127.0.0.1:" + server.httpPort();
            List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                slow.add(client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/slow/" + i)).timeout(Duration.ofSeconds(40)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (entered.get() < 2 && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(entered.get()).as("both slow requests are being handled").isEqualTo(2);

            long t0 = System.nanoTime();
            HttpResponse<String> busy = client.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(busy.statusCode()).isEqualTo(503);
            assertThat(busy.headers().firstValue("Retry-After")).contains(Integer.toString(WebServerConfig.RETRY_AFTER_SECONDS));
            assertThat(busy.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(busy.body()).isEqualTo("server busy, retry later\n");
            assertThat(ms).as("answered at once, not queued").isLessThan(5000);

            // the real peer: curl sees the same status and header
            Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-D", "-",
                    "-w", "status=%{http_code}\n", base + "/healthz").redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(curl.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(out).contains("status=503").containsIgnoringCase("retry-after: 5");
            assertThat(server.overloadRefusals()).isEqualTo(2);

            release.countDown();
            for (var f : slow) assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            // a slow request's slot is freed just after its response is written (and logged): allow that moment
            HttpResponse<String> ok;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            do {
                ok = client.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ok.statusCode() != 503) break;
                Thread.sleep(50);
            } while (System.nanoTime() < until);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("ok");
        }
    }

    @Test
    void theLimitIsChecked() {
        WebServerConfig cfg = WebServerConfig.defaults("mx.example.test");
        assertThat(cfg.maxInFlight()).isEqualTo(WebServerConfig.DEFAULT_MAX_IN_FLIGHT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cfg.withMaxInFlight(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
