package dev.sealpost.filter.net;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz targets for what clamd and DNS lists send back (untrusted: another process, the network):
 * the clamd reply parser and the DNS-list answer mapping never throw, keep names and reasons
 * bounded and printable, and give finite weights. Seeds: {@code src/test/resources/dev/sealpost/filter/net/NetFuzzTestInputs/}.
 */
class NetFuzzTest {
    private static final DnsxlZone PLAIN = DnsxlZone.of("bl.example", DnsxlZone.Kind.IP_BLOCK, 3);
    private static final DnsxlZone CODED = DnsxlZone.of("multi.example", DnsxlZone.Kind.DOMAIN, 2).withCodes(List.of(
            DnsxlZone.Code.exact("127.0.0.2", "sbl", 4), DnsxlZone.Code.bits(4, "phish", 7), DnsxlZone.Code.bits(8, "malware", -1e300)));

    @FuzzTest(maxDuration = "60s")
    void clamdReply(byte[] data) {
        ScanResult r = ClamdReply.parse(data, data.length);
        switch (r) {
            case ScanResult.Infected i -> text(i.signature(), ClamdReply.MAX_TEXT);
            case ScanResult.Unavailable u -> text(u.reason(), ClamdReply.MAX_TEXT + 40);
            case ScanResult.Clean c -> { }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void dnsxlAnswers(FuzzedDataProvider in) {
        int n = in.consumeInt(0, 40);
        List<byte[]> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) answers.add(in.consumeBoolean() ? in.consumeBytes(4) : in.consumeBytes(in.consumeInt(0, 20)));
        String reason = in.consumeRemainingAsString();
        for (DnsxlZone z : List.of(PLAIN, CODED)) {
            DnsxlLookup.Result r = DnsxlLookup.interpret(z, "q." + z.zone(), answers, reason);
            if (r instanceof DnsxlLookup.Listed l) {
                check(!l.answers().isEmpty() && l.answers().size() <= DnsxlLookup.MAX_ANSWERS, "answers bounded");
                check(Double.isFinite(l.weight()), "finite weight");
                check(l.meanings().size() <= z.codes().size(), "meanings from the table");
                for (String a : l.answers()) check(a.startsWith("127."), "only 127/8 counts: " + a);
                text(l.reason(), DnsxlLookup.MAX_REASON);
            }
        }
    }

    private static void text(String s, int max) {
        check(s.length() <= max, "too long: " + s.length());
        for (int i = 0; i < s.length(); i++) check(s.charAt(i) >= 0x20 && s.charAt(i) < 0x7f, "not printable");
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new AssertionError(message);
    }
}
