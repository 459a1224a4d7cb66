package dev.sealpost.app;

import dev.sealpost.app.config.SealpostConfig;
import dev.sealpost.dns.Resolver;
import dev.sealpost.lists.service.ListService;
import dev.sealpost.store.Store;
import dev.sealpost.web.WebServer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Wires the list engine into the server: local delivery's hook and the one-click web routes (docs/lists.md). */
public final class ListsWiring {
    /** Where one-click unsubscribe URIs point: {@code /lists/unsubscribe/<list-id>/<token>}. */
    static final String PREFIX = "/lists/unsubscribe/";

    private ListsWiring() {}

    static ListService service(SealpostConfig config, Store store, Resolver resolver, Clock clock) {
        return service(config, store, resolver, clock, config.server().dataDir());
    }

    /**
     * The engine as the server runs it, over the data directory {@code dataDir} (the CLI's
     * {@code --data}): the same one-click secret, web base and DMARC resolver, so that a post the
     * CLI approves is the same as one a moderator approves by reply.
     */
    public static ListService service(SealpostConfig config, Store store, Resolver resolver, Clock clock, java.nio.file.Path dataDir) {
        // the MX's DMARC verdict is trusted only with DMARC checks on (auth.enabled)
        String authserv = config.auth().enabled() ? config.auth().authservId() : null;
        return service(config.server().hostname(), authserv, store, resolver, clock, dataDir);
    }

    /** The same without a config file (a bare data directory): {@code hostname} names the one-click host. */
    public static ListService service(String hostname, String authserv, Store store, Resolver resolver, Clock clock, java.nio.file.Path dataDir) {
        byte[] secret;
        try {
            secret = ListService.secret(dataDir.resolve("lists"));
        } catch (java.io.IOException e) {
            throw new dev.sealpost.app.config.ConfigException("key 'server.data_dir': cannot read or make lists/unsubscribe.key in " + dataDir + ": " + e.getMessage(), e);
        }
        return new ListService(store, resolver, clock, ListService.Settings.defaults(hostname), List.of(secret), authserv);
    }

    /**
     * RFC 8058 §3.2: POST {@code List-Unsubscribe=One-Click} unsubscribes; a GET only shows a page
     * with a button that POSTs (link scanners follow GETs, RFC 8058 §1). HTTPS only.
     */
    static void routes(WebServer web, ListService lists) {
        if (lists == null) return;
        web.postRoute(PREFIX, (req, type, body) -> {
            if (!req.secure()) return Optional.of(text(403, "one-click unsubscribe is served over HTTPS only\n"));
            String[] parts = req.rawPath().substring(PREFIX.length()).split("/", -1);
            if (parts.length != 2) return Optional.empty();
            ListService.WebAnswer a = lists.oneClick(parts[0], parts[1], type, body);
            return Optional.of(text(a.status(), a.text()));
        });
        web.route(PREFIX, req -> {
            String[] parts = req.rawPath().substring(PREFIX.length()).split("/", -1);
            if (parts.length != 2 || !parts[1].matches("[A-Za-z0-9._-]{1,1024}") || !parts[0].matches("[A-Za-z0-9._!#$%&'*+=?^`{|}~-]{1,255}")) {
                return Optional.empty();
            }
            String html = "<!doctype html><meta charset=utf-8><title>Unsubscribe</title>"
                    + "<form method=post><input type=hidden name=List-Unsubscribe value=One-Click>"
                    + "<p>Unsubscribe from " + parts[0] + "?</p><button type=submit>Unsubscribe</button></form>\n";
            return Optional.of(new WebServer.Reply(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8),
                    Map.of("Cache-Control", "no-store")));
        });
    }

    private static WebServer.Reply text(int status, String t) {
        return new WebServer.Reply(status, "text/plain; charset=utf-8", t.getBytes(StandardCharsets.UTF_8), Map.of("Cache-Control", "no-store"));
    }
}
