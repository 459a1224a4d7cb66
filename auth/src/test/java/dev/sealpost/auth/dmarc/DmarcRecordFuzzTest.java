package dev.sealpost.auth.dmarc;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzz target for the DMARC record parser (untrusted DNS TXT data): it never throws, stays within
 * its bounds, and a valid record's canonical text parses back to the same record.
 * Seeds: {@code src/test/resources/dev/sealpost/auth/dmarc/DmarcRecordFuzzTestInputs/parse/}.
 */
class DmarcRecordFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) {
        String txt = new String(data, StandardCharsets.UTF_8);
        DmarcRecord.Parsed p = DmarcRecord.parse(txt);
        if (!(p instanceof DmarcRecord.Valid v)) return;
        DmarcRecord r = v.record();
        check(DmarcRecord.isDmarcRecord(txt), "valid without v=DMARC1 first: %s", txt);
        check(r.aggregateReportUris().size() <= DmarcRecord.MAX_URIS && r.failureReportUris().size() <= DmarcRecord.MAX_URIS, "too many URIs");
        check(r.percent() >= 0 && r.percent() <= 100, "pct %s", r.percent());
        check(r.reportInterval() >= 0 && r.reportInterval() <= 0xFFFF_FFFFL, "ri %s", r.reportInterval());
        r.forPolicyDiscovery().ifPresent(d -> check(d.policy() != null, "discovery record without p"));
        String canonical = r.toText();
        DmarcRecord.Parsed again = DmarcRecord.parse(canonical);
        check(again instanceof DmarcRecord.Valid, "canonical form %s invalid: %s", canonical, again);
        DmarcRecord back = ((DmarcRecord.Valid) again).record();
        check(comparable(back).equals(comparable(r)), "round trip %s -> %s -> %s", txt, canonical, back);
        for (DmarcRecord.ReportUri u : r.aggregateReportUris()) u.mailbox();
    }

    /** The record without what the canonical form does not carry (warnings, the invalid-sp flag). */
    private static DmarcRecord comparable(DmarcRecord r) {
        return new DmarcRecord(r.policy(), r.subdomainPolicy(), r.nonExistentPolicy(), false, r.percent(), r.dkimAlignment(),
                r.spfAlignment(), r.aggregateReportUris(), r.failureReportUris(), r.failureOptions(), r.reportFormats(),
                r.reportInterval(), List.of());
    }

    private static void check(boolean ok, String format, Object... args) {
        if (!ok) throw new AssertionError(String.format(format, args));
    }
}
