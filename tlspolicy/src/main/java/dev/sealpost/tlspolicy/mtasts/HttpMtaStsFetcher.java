package dev.sealpost.tlspolicy.mtasts;

import dev.sealpost.tlspolicy.TrustStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sealpost.core.net.dial.Dialer;
import dev.sealpost.core.net.dial.HttpsGet;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * Fetches {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} (RFC 8461 §3.3) with
 * {@link HttpsGet} over the server's {@link Dialer}: the name {@code mta-sts.<domain>} is resolved
 * through the configured resolver, never the JVM's (ADR 0006; issue 11), HTTPS only, the
 * certificate validated against the configured trust store and for the host name
 * {@code mta-sts.<domain>}, no redirects followed, no HTTP cache, status 200 with media type
 * {@code text/plain}, the body at most {@link MtaStsPolicy#MAX_BYTES}, the whole exchange within
 * {@link Settings#totalTimeout()}.
 *
 * <p>Tests point it at a local server with {@link Settings#policyUri()}: a function from Policy
 * Domain to URL, e.g. {@code d -> URI.create("https://mta-sts." + d + ":" + port + "/.well-known/mta-sts.txt")};
 * the host name in that URL is the one resolved through the dialer and the one the server
 * certificate is checked against.
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
    private final HttpsGet client;

    /**
     * @param dialer how {@code mta-sts.<domain>} is resolved and reached: the server's one dialer,
     *               on the configured resolver
     */
    public HttpMtaStsFetcher(Dialer dialer, Settings settings) {
        this.settings = settings;
        this.client = new HttpsGet(Objects.requireNonNull(dialer, "dialer"), settings.sslContext(), "Sealpost MTA-STS");
    }

    @Override
    public FetchResult fetch(String policyDomain) {
        URI uri = settings.policyUri().apply(policyDomain);
        if (!"https".equalsIgnoreCase(uri.getScheme())) return new Failed(Kind.FETCH_ERROR, "not an https URL: " + uri);
        // RFC 8461 §3.3: HTTPS, redirects not followed, bounded in size and time (HttpsGet never follows one)
        HttpsGet.Limits limits = new HttpsGet.Limits(settings.connectTimeout(), settings.totalTimeout(), MtaStsPolicy.MAX_BYTES, 16 * 1024);
        return switch (client.get(uri, "text/plain", limits)) {
            case HttpsGet.Failure f -> switch (f.kind()) {
                // RFC 8460 §4.3.2.2 sts-webpki-invalid: the certificate is not valid for mta-sts.<domain>
                case CERTIFICATE -> failed(policyDomain, Kind.WEBPKI_INVALID, "certificate not valid: " + f.detail());
                case TOO_LARGE -> failed(policyDomain, Kind.FETCH_ERROR, "policy larger than " + MtaStsPolicy.MAX_BYTES + " bytes");
                default -> failed(policyDomain, Kind.FETCH_ERROR, f.kind() + ": " + f.detail());
            };
            case HttpsGet.Response r -> response(policyDomain, r);
        };
    }

    private FetchResult response(String policyDomain, HttpsGet.Response response) {
        int status = response.status();
        if (status >= 300 && status < 400) return failed(policyDomain, Kind.FETCH_ERROR, "redirect (HTTP " + status + ") not followed");
        if (status != 200) return failed(policyDomain, Kind.FETCH_ERROR, "HTTP status " + status);
        // RFC 8461 §3.3: the media type MUST be "text/plain"
        if (!response.mediaType().equals("text/plain")) return failed(policyDomain, Kind.FETCH_ERROR, "media type is not text/plain: "
                + response.header("content-type").orElse("(none)"));
        return switch (MtaStsPolicy.parse(response.body())) {
            case MtaStsPolicy.Valid v -> new Fetched(v.policy());
            case MtaStsPolicy.Invalid i -> failed(policyDomain, Kind.POLICY_INVALID, i.reason());
        };
    }

    private static Failed failed(String domain, Kind kind, String reason) {
        log.info("mta-sts fetch failed domain={} kind={} reason={}", domain, kind, reason);
        return new Failed(kind, reason);
    }

    @Override
    public void close() {
        // nothing held between fetches: one connection per fetch
    }
}
