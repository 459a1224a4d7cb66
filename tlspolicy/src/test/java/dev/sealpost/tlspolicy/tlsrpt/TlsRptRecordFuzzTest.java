package dev.sealpost.tlspolicy.tlsrpt;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz targets for TLS-RPT parsers of untrusted input: the {@code _smtp._tls} record (never
 * throws, bounded, canonical text round-trips) and the report JSON (only
 * {@link TlsRptReportJson.InvalidReportException} escapes; a parsed report round-trips).
 * Seeds: {@code src/test/resources/dev/sealpost/tlspolicy/tlsrpt/TlsRptRecordFuzzTestInputs/}.
 */
class TlsRptRecordFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) {
        String txt = new String(data, StandardCharsets.UTF_8);
        if (!(TlsRptRecord.parse(txt) instanceof TlsRptRecord.Valid v)) return;
        TlsRptRecord r = v.record();
        check(TlsRptRecord.isTlsRptRecord(txt), "valid without v=TLSRPTv1;: %s", txt);
        check(!r.rua().isEmpty() && r.rua().size() <= TlsRptRecord.MAX_URIS, "rua count %s", r.rua().size());
        for (TlsRptRecord.ReportUri u : r.rua()) u.mailbox();
        TlsRptRecord.Parsed again = TlsRptRecord.parse(r.toText());
        check(again instanceof TlsRptRecord.Valid a && a.record().equals(r), "round trip %s -> %s", txt, again);
    }

    @FuzzTest(maxDuration = "60s")
    void report(byte[] data) {
        TlsRptReport r;
        try {
            r = TlsRptReportJson.parse(data);
        } catch (TlsRptReportJson.InvalidReportException e) {
            return;
        } catch (IOException e) {
            throw new AssertionError("unexpected " + e, e);
        }
        TlsRptReport back;
        try {
            back = TlsRptReportJson.parse(TlsRptReportJson.write(r));
        } catch (IOException e) {
            throw new AssertionError("our own output does not parse: " + e, e);
        }
        // timestamps are written to the second
        check(back.policies().equals(r.policies()) && back.reportId().equals(r.reportId()), "round trip %s -> %s", r, back);
    }

    private static void check(boolean ok, String format, Object... args) {
        if (!ok) throw new AssertionError(String.format(format, args));
    }
}
