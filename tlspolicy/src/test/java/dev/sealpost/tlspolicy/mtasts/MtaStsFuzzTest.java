package dev.sealpost.tlspolicy.mtasts;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

/**
 * Fuzz targets for the MTA-STS parsers (untrusted HTTPS bodies and DNS TXT data): they never
 * throw, stay within their bounds, and a valid result's canonical text parses back to the same
 * value. Seeds: {@code src/test/resources/dev/sealpost/tlspolicy/mtasts/MtaStsFuzzTestInputs/}.
 */
class MtaStsFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void policy(byte[] data) {
        if (!(MtaStsPolicy.parse(data) instanceof MtaStsPolicy.Valid v)) return;
        MtaStsPolicy p = v.policy();
        check(p.maxAgeSeconds() >= 0 && p.maxAgeSeconds() <= MtaStsPolicy.MAX_MAX_AGE, "max_age %s", p.maxAgeSeconds());
        check(p.mx().size() <= MtaStsPolicy.MAX_MX, "mx count");
        check(p.mode() == MtaStsPolicy.Mode.NONE || !p.mx().isEmpty(), "enforce/testing without mx");
        for (String mx : p.mx()) {
            // a pattern matches the name it describes (with "x" for a wildcard label)
            String host = mx.startsWith("*.") ? "x" + mx.substring(1) : mx;
            check(p.mxMatches(host), "%s does not match %s", mx, host);
        }
        MtaStsPolicy.Parsed again = MtaStsPolicy.parse(p.toText().getBytes(StandardCharsets.UTF_8));
        check(again instanceof MtaStsPolicy.Valid a && a.policy().equals(p), "round trip %s -> %s", p, again);
    }

    @FuzzTest(maxDuration = "60s")
    void record(byte[] data) {
        String txt = new String(data, StandardCharsets.UTF_8);
        if (!(MtaStsRecord.parse(txt) instanceof MtaStsRecord.Valid v)) return;
        MtaStsRecord r = v.record();
        check(MtaStsRecord.isStsRecord(txt), "valid without v=STSv1: %s", txt);
        check(r.id().length() >= 1 && r.id().length() <= 32, "id length");
        MtaStsRecord.Parsed again = MtaStsRecord.parse(r.toText());
        check(again instanceof MtaStsRecord.Valid a && a.record().equals(r), "round trip %s -> %s", txt, again);
    }

    private static void check(boolean ok, String format, Object... args) {
        if (!ok) throw new AssertionError(String.format(format, args));
    }
}
