package dev.sealpost.web.api;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzz targets for what the admin API parses itself (the JDK server parses the request line and
 * headers; Jackson the JSON): the path segments and query string (percent-decoding, strict
 * UTF-8) and presented bearer tokens. A bad input may only end in the API's own 400
 * ({@link AdminApi.ApiError}), never another exception. Seeds:
 * {@code src/test/resources/dev/sealpost/web/api/ApiFuzzTestInputs/}.
 */
class ApiFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void pathAndQuery(byte[] data) {
        String s = new String(data, StandardCharsets.UTF_8);
        int q = s.indexOf('?');
        String path = q < 0 ? s : s.substring(0, q);
        String query = q < 0 ? null : s.substring(q + 1);
        try {
            List<String> segments = AdminApi.segments(path);
            check(!segments.isEmpty(), "no segment for %s", path);
            Map<String, String> params = AdminApi.query(query);
            check(query != null || params.isEmpty(), "parameters without a query");
        } catch (AdminApi.ApiError e) {
            check(e.status == 400, "status %s for %s", e.status, s);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void bearerToken(byte[] data) {
        String s = new String(data, StandardCharsets.ISO_8859_1);
        Optional<byte[]> h = ApiToken.parse(s);
        if (h.isEmpty()) return;
        check(s.length() == ApiToken.LENGTH && s.startsWith(ApiToken.PREFIX), "accepted a malformed token: %s", s);
        check(Arrays.equals(h.get(), ApiToken.hash(s)), "hash differs for %s", s);
    }

    private static void check(boolean ok, String format, Object... args) {
        if (!ok) throw new AssertionError(String.format(format, args));
    }
}
