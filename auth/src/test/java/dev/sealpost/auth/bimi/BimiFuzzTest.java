package dev.sealpost.auth.bimi;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

/**
 * Fuzz targets for the BIMI parsers of untrusted input (DNS TXT records, the BIMI-Selector
 * header, SVG Indicators, the logotype extension of mark certificates): they never throw, stay
 * within their bounds, and a valid record's canonical text parses back to the same record.
 * Seeds: {@code src/test/resources/dev/sealpost/auth/bimi/BimiFuzzTestInputs/<target>/}.
 */
class BimiFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void record(byte[] data) {
        String txt = new String(data, StandardCharsets.UTF_8);
        if (!(BimiRecord.parse(txt) instanceof BimiRecord.Valid v)) return;
        BimiRecord r = v.record();
        check(BimiRecord.isBimiRecord(txt), "valid without v=BIMI1 first: %s", txt);
        if (r.location() != null) check("https".equalsIgnoreCase(r.location().getScheme()), "l= not https: %s", r.location());
        if (r.evidence() != null) check("https".equalsIgnoreCase(r.evidence().getScheme()), "a= not https: %s", r.evidence());
        BimiRecord.Parsed again = BimiRecord.parse(r.toText());
        check(again instanceof BimiRecord.Valid a && a.record().equals(r), "round trip %s -> %s", txt, again);
    }

    @FuzzTest(maxDuration = "60s")
    void selector(byte[] data) {
        if (BimiSelector.parse(new String(data, StandardCharsets.UTF_8)) instanceof BimiSelector.Valid v) {
            check(v.selector().length() <= BimiSelector.MAX_SELECTOR_LENGTH, "selector too long");
            check(v.selector().matches("[a-z0-9.-]+"), "selector %s", v.selector());
        }
    }

    @FuzzTest(maxDuration = "60s")
    void svg(byte[] data) {
        SvgTinyPs.Result r = SvgTinyPs.check(data);
        check(r != null, "null result");
        if (r instanceof SvgTinyPs.Valid) check(data.length <= SvgTinyPs.MAX_BYTES, "valid above the size bound");
    }

    @FuzzTest(maxDuration = "60s")
    void logotype(byte[] data) {
        try {
            byte[] svg = MarkCertificate.subjectLogoSvg(data);
            check(svg.length <= SvgTinyPs.MAX_BYTES, "logotype SVG above the bound");
        } catch (Der.Malformed expected) {
            // not a logotype extension: fine
        }
    }

    private static void check(boolean ok, String format, Object... args) {
        if (!ok) throw new AssertionError(String.format(format, args));
    }
}
