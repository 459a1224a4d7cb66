package dev.sealpost.auth.bimi;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

/**
 * {@link BimiFetcher} on {@link HttpClient}: HTTPS only, the server certificate validated by the
 * given {@link SSLContext} (the JDK's CAs by default) and checked against the host name (BIMI
 * draft §8.5 step 2: "If the TLS server identity certificate ... does not chain-up to a root
 * certificate the Client trusts then Indicator validation has failed"), no redirect followed at
 * all (so never one to http), no proxy, status 200 only, the body read up to the limit and no
 * further (§8.6 step 1 allows "the size limit as a retrieval limit"), the whole exchange within
 * {@link Settings#totalTimeout()}.
 */
public final class HttpsBimiFetcher implements BimiFetcher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpsBimiFetcher.class);

    /**
     * @param sslContext     trust for the Indicator and Evidence hosts
     * @param connectTimeout TCP + TLS connect bound
     * @param totalTimeout   bound on one whole fetch
     */
    public record Settings(SSLContext sslContext, Duration connectTimeout, Duration totalTimeout) {
        public Settings {
            Objects.requireNonNull(sslContext, "sslContext");
            if (connectTimeout.isNegative() || connectTimeout.isZero()) throw new IllegalArgumentException("connectTimeout");
            if (totalTimeout.isNegative() || totalTimeout.isZero()) throw new IllegalArgumentException("totalTimeout");
        }

        /** The JDK's default CAs, 5 s to connect, 10 s in all. */
        public static Settings defaults() {
            try {
                return new Settings(SSLContext.getDefault(), Duration.ofSeconds(5), Duration.ofSeconds(10));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default TLS context", e);
            }
        }

        public Settings withSslContext(SSLContext ctx) {
            return new Settings(ctx, connectTimeout, totalTimeout);
        }

        public Settings withTimeouts(Duration connect, Duration total) {
            return new Settings(sslContext, connect, total);
        }
    }

    private final Settings settings;
    private final HttpClient client;

    public HttpsBimiFetcher(Settings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .sslContext(settings.sslContext())
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.connectTimeout())
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
    }

    @Override
    public Result fetch(URI uri, int maxBytes) {
        // BIMI draft §5.2, §8.5 step 1: HTTPS is the only transport
        if (uri == null || !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            return new Failed("not an https URL: " + uri);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(settings.totalTimeout()).build();
        BodyHandler<byte[]> handler = info -> info.statusCode() == 200 ? BodySubscribers.ofByteArray() : BodySubscribers.replacing(null);
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, BodyHandlers.limiting(handler, maxBytes));
        HttpResponse<byte[]> response;
        try {
            response = future.get(settings.totalTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return failed(uri, "timed out after " + settings.totalTimeout());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return failed(uri, "interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (certificateProblem(cause)) return failed(uri, "server certificate not valid: " + cause.getMessage());
            if (cause instanceof IOException && String.valueOf(cause.getMessage()).contains("exceeds")) {
                return failed(uri, "larger than " + maxBytes + " bytes");
            }
            return failed(uri, cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        }
        int status = response.statusCode();
        if (status >= 300 && status < 400) return failed(uri, "redirect (HTTP " + status + ") not followed");
        if (status != 200 || response.body() == null) return failed(uri, "HTTP status " + status);
        return new Fetched(response.body());
    }

    private static Failed failed(URI uri, String reason) {
        log.info("bimi fetch failed uri={} reason={}", uri, reason);
        return new Failed(reason);
    }

    private static boolean certificateProblem(Throwable t) {
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

    @Override
    public void close() {
        client.close();
    }
}
