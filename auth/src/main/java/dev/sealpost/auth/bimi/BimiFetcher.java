package dev.sealpost.auth.bimi;

import java.net.URI;

/**
 * Fetches a BIMI Indicator ({@code l=}) or Evidence Document ({@code a=}) over HTTPS (BIMI draft
 * §8.5 step 1: "This MUST be a URI with a HTTPS transport"). Implementations bound the size and
 * the time, and never throw for network or server trouble: that is a {@link Failed} value.
 * {@link HttpsBimiFetcher} is the real one; tests may plant bytes.
 */
@FunctionalInterface
public interface BimiFetcher {
    /** The outcome of one fetch. */
    sealed interface Result permits Fetched, Failed {}

    /** The body, at most the asked size. */
    record Fetched(byte[] body) implements Result {
        public Fetched {
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }
    }

    /** No usable body, with the reason (certificate not valid, status, size, timeout, ...). */
    record Failed(String reason) implements Result {}

    /**
     * @param uri      an https URI (others are refused)
     * @param maxBytes the largest body accepted; a larger one is a {@link Failed}
     */
    Result fetch(URI uri, int maxBytes);
}
