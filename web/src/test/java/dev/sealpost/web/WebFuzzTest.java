package dev.sealpost.web;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sealpost.core.mail.Domain;
import dev.sealpost.tlspolicy.mtasts.MtaStsPolicy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Fuzz targets for the untrusted input the web listener reads itself (the JDK server parses the
 * request line and headers): the Host value and the query string; and a check that any policy we
 * can be configured to serve is one our own MTA-STS parser accepts with the same values.
 * Seeds: {@code src/test/resources/dev/sealpost/web/WebFuzzTestInputs/}.
 */
class WebFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void hostHeader(byte[] data) {
        String v = new String(data, StandardCharsets.UTF_8);
        Optional<String> h = WebServer.hostName(v);
        if (h.isEmpty()) return;
        check(Domain.toAscii(h.get()).equals(h), "not a canonical host name: %s", h.get());
        check(!h.get().contains(":") && !h.get().contains("/"), "port or path left in %s", h.get());
    }

    @FuzzTest(maxDuration = "30s")
    void query(byte[] data) {
        String q = new String(data, StandardCharsets.UTF_8);
        try {
            WebServer.queryParameter(q, "emailaddress");
        } catch (IllegalArgumentException expected) {
            // an undecodable %-escape: answered with 400
        }
    }

    @FuzzTest(maxDuration = "30s")
    void policy(byte[] data) {
        String s = new String(data, StandardCharsets.UTF_8);
        List<String> mx = List.of(s.split("\n", 20));
        WebServerConfig c;
        try {
            c = WebServerConfig.defaults("mx.example.test").withMtaSts(WebServerConfig.MtaStsMode.ENFORCE, mx, s.length());
        } catch (IllegalArgumentException refused) {
            return;
        }
        String text = WebServer.policyText(c);
        check(MtaStsPolicy.parse(text) instanceof MtaStsPolicy.Valid v && v.policy().mx().equals(c.mtaStsMx())
                && v.policy().maxAgeSeconds() == c.mtaStsMaxAge(), "our policy does not parse back: %s", text);
        check(WebServer.policyId(text).matches("[a-z0-9]{1,32}"), "bad id");
    }

    /** WKD paths and Hosts (draft-koch-openpgp-webkey-service §3.1): a key only for a well-formed hash of a local domain. */
    @FuzzTest(maxDuration = "30s")
    void wkdPath(byte[] data) {
        String s = new String(data, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        String host = nl < 0 ? "example.test" : s.substring(0, nl);
        String path = WkdHosting.PREFIX + (nl < 0 ? s : s.substring(nl + 1));
        Optional<String> h = WebServer.hostName(host);
        WkdHosting wkd = new WkdHosting(d -> d.equals("example.test"), (domain, hash) -> {
            check(domain.equals("example.test") && WkdHosting.isHash(hash), "asked for %s %s", domain, hash);
            return Optional.of(new byte[] {(byte) 0x99});
        });
        WebServer.Reply r = wkd.answer(new WebServer.Request("GET", true, h, path, null)).orElseThrow();
        check(r.status() == 200 || r.status() == 404, "status %d", r.status());
        if (r.status() == 200 && r.body().length > 0) check(path.contains("/hu/"), "a key for %s", path);
    }

    private static void check(boolean ok, String format, Object... args) {
        if (!ok) throw new AssertionError(String.format(format, args));
    }
}
