package dev.sealpost.tlspolicy.mtasts;

import dev.sealpost.tlspolicy.TrustStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

/**
 * Fetches {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} with {@link HttpClient}
 * (RFC 8461 §3.3): HTTPS only, the certificate validated against the configured trust store and
 * for the host name {@code mta-sts.<domain>} (the JDK client checks the name), no redirects
 * followed, no HTTP cache, status 200 with media type {@code text/plain}, the body at most
 * {@link MtaStsPolicy#MAX_BYTES}, the whole exchange within {@link Settings#totalTimeout()}.
 *
 * <p>Tests point it at a local server with {@link Settings#policyUri()}: a function from Policy
 * Domain to URL, e.g. {@code d -> URI.create("https://localhost:" + port + "/.well-known/mta-sts.txt")};
 * the host name in that URL is the one the server certificate is checked against.
 */
public final class HttpMtaStsFetcher implements MtaStsFetcher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpMtaStsFetcher.class);

    /**
     * @param sslContext     trust for the policy host (build with {@link TrustStores})
     * @param connectTimeout TCP + TLS connect bound
     * @param totalTimeout   bound on the whole fetch (RFC 8461 §3.3 does not fix one; one minute is generous)
     * @param policyUri      Policy Domain → policy URL; production uses {@link MtaStsFetcher#policyUrl}
     */
    public record Settings(SSLContext sslContext, Duration connectTimeout, Duration totalTimeout, Function<String, URI> policyUri) {
        public Settings {
            Objects.requireNonNull(sslContext, "sslContext");
            Objects.requireNonNull(policyUri, "policyUri");
            if (connectTimeout.isNegative() || connectTimeout.isZero()) throw new IllegalArgumentException("connectTimeout");
            if (totalTimeout.isNegative() || totalTimeout.isZero()) throw new IllegalArgumentException("totalTimeout");
        }

        /** JDK default CAs, 10 s connect, 30 s total, the RFC's URL. */
        public static Settings defaults() {
            return new Settings(TrustStores.clientContext(TrustStores.defaultTrustManager()), Duration.ofSeconds(10),
                    Duration.ofSeconds(30), d -> URI.create(MtaStsFetcher.policyUrl(d)));
        }

        public Settings withSslContext(SSLContext ctx) {
            return new Settings(ctx, connectTimeout, totalTimeout, policyUri);
        }

        public Settings withPolicyUri(Function<String, URI> f) {
            return new Settings(sslContext, connectTimeout, totalTimeout, f);
        }

        public Settings withTimeouts(Duration connect, Duration total) {
            return new Settings(sslContext, connect, total, policyUri);
        }
    }

    private final Settings settings;
    private final HttpClient client;

    public HttpMtaStsFetcher(Settings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .sslContext(settings.sslContext())
                .followRedirects(HttpClient.Redirect.NEVER) // RFC 8461 §3.3: redirects MUST NOT be followed
                .connectTimeout(settings.connectTimeout())
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
    }

    @Override
    public FetchResult fetch(String policyDomain) {
        URI uri = settings.policyUri().apply(policyDomain);
        if (!"https".equalsIgnoreCase(uri.getScheme())) return new Failed(Kind.FETCH_ERROR, "not an https URL: " + uri);
        HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(settings.totalTimeout())
                .header("Accept", "text/plain").build();
        BodyHandler<byte[]> handler = info -> {
            // only a 200 text/plain body is read at all
            if (info.statusCode() != 200 || !textPlain(info.headers())) return BodySubscribers.replacing(null);
            return BodySubscribers.ofByteArray();
        };
        CompletableFuture<HttpResponse<byte[]>> future =
                client.sendAsync(request, BodyHandlers.limiting(handler, MtaStsPolicy.MAX_BYTES));
        HttpResponse<byte[]> response;
        try {
            response = future.get(settings.totalTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return failed(policyDomain, Kind.FETCH_ERROR, "timed out after " + settings.totalTimeout());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return failed(policyDomain, Kind.FETCH_ERROR, "interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (certificateProblem(cause)) return failed(policyDomain, Kind.WEBPKI_INVALID, "certificate not valid: " + cause.getMessage());
            if (cause instanceof IOException && String.valueOf(cause.getMessage()).contains("exceeds")) {
                return failed(policyDomain, Kind.FETCH_ERROR, "policy larger than " + MtaStsPolicy.MAX_BYTES + " bytes");
            }
            return failed(policyDomain, Kind.FETCH_ERROR, cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
        int status = response.statusCode();
        if (status >= 300 && status < 400) return failed(policyDomain, Kind.FETCH_ERROR, "redirect (HTTP " + status + ") not followed");
        if (status != 200) return failed(policyDomain, Kind.FETCH_ERROR, "HTTP status " + status);
        // RFC 8461 §3.3: the media type MUST be "text/plain"
        if (response.body() == null) return failed(policyDomain, Kind.FETCH_ERROR, "media type is not text/plain: "
                + response.headers().firstValue("content-type").orElse("(none)"));
        return switch (MtaStsPolicy.parse(response.body())) {
            case MtaStsPolicy.Valid v -> new Fetched(v.policy());
            case MtaStsPolicy.Invalid i -> failed(policyDomain, Kind.POLICY_INVALID, i.reason());
        };
    }

    private static Failed failed(String domain, Kind kind, String reason) {
        log.info("mta-sts fetch failed domain={} kind={} reason={}", domain, kind, reason);
        return new Failed(kind, reason);
    }

    static boolean textPlain(HttpHeaders headers) {
        String ct = headers.firstValue("content-type").orElse("");
        String type = ct.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.equals("text/plain");
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
