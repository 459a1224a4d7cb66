package dev.sealpost.auth.bimi;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sealpost.core.net.dial.Dialer;
import dev.sealpost.core.net.dial.HttpsGet;

import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * {@link BimiFetcher} on {@link HttpsGet} over the server's {@link Dialer}: the host name of the
 * Indicator or Evidence Document URL is resolved through the configured resolver, never the
 * JVM's (ADR 0006; issue 11); HTTPS only, the server certificate validated by the given
 * {@link SSLContext} (the JDK's CAs by default) and checked against the host name (BIMI draft
 * §8.5 step 2: "If the TLS server identity certificate ... does not chain-up to a root
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
    private final HttpsGet client;

    /** @param dialer how hosts are resolved and reached: the server's one dialer, on the configured resolver */
    public HttpsBimiFetcher(Dialer dialer, Settings settings) {
        this.settings = settings;
        this.client = new HttpsGet(Objects.requireNonNull(dialer, "dialer"), settings.sslContext(), "Sealpost BIMI");
    }

    @Override
    public Result fetch(URI uri, int maxBytes) {
        // BIMI draft §5.2, §8.5 step 1: HTTPS is the only transport
        if (uri == null || !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            return new Failed("not an https URL: " + uri);
        }
        HttpsGet.Limits limits = new HttpsGet.Limits(settings.connectTimeout(), settings.totalTimeout(), maxBytes, 16 * 1024);
        return switch (client.get(uri, null, limits)) {
            case HttpsGet.Failure f -> switch (f.kind()) {
                case CERTIFICATE -> failed(uri, "server certificate not valid: " + f.detail());
                case TOO_LARGE -> failed(uri, "larger than " + maxBytes + " bytes");
                case TIMEOUT -> failed(uri, "timed out after " + settings.totalTimeout());
                default -> failed(uri, f.kind() + ": " + f.detail());
            };
            case HttpsGet.Response r when r.status() >= 300 && r.status() < 400 -> failed(uri, "redirect (HTTP " + r.status() + ") not followed");
            case HttpsGet.Response r when r.status() != 200 -> failed(uri, "HTTP status " + r.status());
            case HttpsGet.Response r -> new Fetched(r.body());
        };
    }

    private static Failed failed(URI uri, String reason) {
        log.info("bimi fetch failed uri={} reason={}", uri, reason);
        return new Failed(reason);
    }

    @Override
    public void close() {
        // nothing held between fetches: one connection per fetch
    }
}
