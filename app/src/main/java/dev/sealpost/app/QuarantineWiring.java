package dev.sealpost.app;

import dev.sealpost.app.config.ConfigException;
import dev.sealpost.app.config.SealpostConfig;
import dev.sealpost.filter.quarantine.QuarantineDigest;
import dev.sealpost.filter.quarantine.QuarantineLinks;
import dev.sealpost.filter.quarantine.QuarantineTokens;
import dev.sealpost.store.Store;
import dev.sealpost.web.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Wires the quarantine digest into the server (docs/filter.md "Quarantine digest"): the link
 * routes on the HTTPS listener and the task that sends the digests that are due.
 */
public final class QuarantineWiring implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QuarantineWiring.class);
    /** How often the task looks for digests that are due. */
    static final Duration CHECK_EVERY = Duration.ofMinutes(5);

    private final SealpostConfig config;
    private final Store store;
    private final Clock clock;
    private final QuarantineTokens tokens;
    private volatile Thread task;

    private QuarantineWiring(SealpostConfig config, Store store, Clock clock, QuarantineTokens tokens) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.tokens = tokens;
    }

    /** Reads (or makes) the link key {@code <data_dir>/quarantine/digest.key}. */
    public static QuarantineWiring of(SealpostConfig config, Store store, Clock clock) {
        try {
            return new QuarantineWiring(config, store, clock,
                    new QuarantineTokens(QuarantineTokens.key(config.server().dataDir().resolve("quarantine"))));
        } catch (IOException e) {
            throw new ConfigException("key 'server.data_dir': cannot read or make quarantine/digest.key: " + e.getMessage(), e);
        }
    }

    /** The digest sender, its links pointing at {@code webBase}. */
    public QuarantineDigest digest(String webBase, Runnable onEnqueued) {
        Duration interval = config.filter().quarantineDigest();
        return new QuarantineDigest(store, tokens, new QuarantineDigest.Settings(interval == null ? Duration.ofDays(1) : interval,
                Duration.ofDays(config.filter().quarantineLinkDays()), webBase), clock, onEnqueued);
    }

    /** {@code https://<server.hostname>[:port]} for an HTTPS listener on {@code port} (443 or 0: none shown). */
    public static String webBase(SealpostConfig config, int port) {
        return "https://" + config.server().hostname() + (port == 443 || port <= 0 ? "" : ":" + port);
    }

    /** The configured HTTPS listener's port, or 0. */
    public static int configuredHttpsPort(SealpostConfig config) {
        return config.listeners().https().map(InetSocketAddress::getPort).orElse(0);
    }

    /** GET {@code /quarantine/<token>} shows a confirmation page; POST acts. HTTPS only. */
    void routes(WebServer web) {
        QuarantineLinks links = new QuarantineLinks(store, tokens, clock);
        web.postRoute(QuarantineDigest.PATH, (req, type, body) -> {
            Optional<String> token = token(req.rawPath());
            if (token.isEmpty()) return Optional.empty();
            if (!req.secure()) return Optional.of(html(403, "<!doctype html><p>Quarantine links are served over HTTPS only.</p>\n"));
            QuarantineLinks.Page p = links.act(token.get());
            return Optional.of(html(p.status(), p.html()));
        });
        web.route(QuarantineDigest.PATH, req -> {
            Optional<String> token = token(req.rawPath());
            if (token.isEmpty()) return Optional.empty();
            if (!req.secure()) return Optional.of(html(403, "<!doctype html><p>Quarantine links are served over HTTPS only.</p>\n"));
            QuarantineLinks.Page p = links.confirm(token.get()); // never acts: link scanners follow GETs
            return Optional.of(html(p.status(), p.html()));
        });
    }

    private static Optional<String> token(String rawPath) {
        String t = rawPath.substring(QuarantineDigest.PATH.length());
        return t.matches("[A-Za-z0-9_-]{1,200}") ? Optional.of(t) : Optional.empty();
    }

    private static WebServer.Reply html(int status, String html) {
        return new WebServer.Reply(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8),
                Map.of("Cache-Control", "no-store", "Referrer-Policy", "no-referrer", "X-Robots-Tag", "noindex"));
    }

    /** Starts the digest task (unless {@code filter.quarantine_digest = "off"}). */
    void start(String webBase, Runnable onEnqueued) {
        if (config.filter().quarantineDigest() == null) return;
        QuarantineDigest digest = digest(webBase, onEnqueued);
        task = Thread.ofVirtual().name("quarantine-digest").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(CHECK_EVERY);
                    digest.sendDue(false);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.error("quarantine digest run failed", e);
                }
            }
        });
    }

    @Override
    public void close() {
        Thread t = task;
        if (t != null) t.interrupt();
    }
}
