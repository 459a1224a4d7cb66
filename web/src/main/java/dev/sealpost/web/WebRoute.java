package dev.sealpost.web;

import java.util.Map;
import java.util.Optional;

/**
 * Routes another feature adds to the web listeners ({@link WebServer#addRoute}) under a path
 * prefix, so that the web module need not know every feature (the evidence log's checkpoint,
 * tiles and keys are one). GET and HEAD only; the web server answers HEAD from the GET response.
 */
@FunctionalInterface
public interface WebRoute {
    /**
     * @param path   the raw request path (it starts with the route's prefix)
     * @param secure whether the request came over HTTPS
     * @return the response, or empty for 404
     */
    Optional<Reply> handle(String path, boolean secure);

    /** One response: status, content type (null without a body), body, extra headers (e.g. Cache-Control). */
    record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
        public Reply {
            body = body == null ? new byte[0] : body;
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }
    }
}
