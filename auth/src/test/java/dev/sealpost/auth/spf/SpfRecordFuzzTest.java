package dev.sealpost.auth.spf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.MxRecord;
import dev.sealpost.dns.Resolver;
import dev.sealpost.dns.TlsaRecord;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fuzz targets for the SPF record parser, the macro expander and check_host(): arbitrary input
 * never throws, and the limits hold. Seeds: {@code src/test/resources/dev/sealpost/auth/spf/
 * SpfRecordFuzzTestInputs/{parse,macro,evaluate}/}; each file is the text (ISO-8859-1, so every
 * byte is one character, non-ASCII included).
 */
class SpfRecordFuzzTest {
    static final InetAddress V4 = IpAddresses.parse("192.0.2.1");
    static final InetAddress V6 = IpAddresses.parse("2001:db8::1");

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        SpfRecord.Parsed p = SpfRecord.parse(text);
        check(p != null, "null parse");
        if (p instanceof SpfRecord.Valid v) {
            SpfRecord r = v.record();
            check(SpfRecord.isSpfRecord(text), "accepted a non-v=spf1 text");
            check(text.length() <= SpfRecord.MAX_LENGTH, "accepted %d characters", text.length());
            check(text.chars().allMatch(c -> c >= 0x20 && c <= 0x7e), "accepted a control or non-ASCII character");
            check(r.directives().size() + r.unknownModifiers().size() + (r.redirect() == null ? 0 : 1)
                    + (r.explanation() == null ? 0 : 1) <= SpfRecord.MAX_TERMS, "too many terms");
            for (SpfRecord.Directive d : r.directives()) {
                // each directive re-parses on its own to the same mechanism kind
                SpfRecord.Parsed again = SpfRecord.parse("v=spf1 " + d.text());
                check(again instanceof SpfRecord.Valid a && a.record().directives().size() == 1
                        && a.record().directives().getFirst().mechanism().getClass() == d.mechanism().getClass(),
                        "directive %s does not re-parse", d.text());
                switch (d.mechanism()) {
                    case SpfRecord.A a -> check(a.cidr4() <= 32 && a.cidr6() <= 128, "cidr out of range");
                    case SpfRecord.Mx m -> check(m.cidr4() <= 32 && m.cidr6() <= 128, "cidr out of range");
                    case SpfRecord.Ip4 n -> check(n.prefix() <= 32 && n.network().length == 4, "bad ip4");
                    case SpfRecord.Ip6 n -> check(n.prefix() <= 128 && n.network().length == 16, "bad ip6");
                    default -> { }
                }
            }
        } else {
            check(!((SpfRecord.Invalid) p).reason().isEmpty(), "invalid without a reason");
        }
    }

    @FuzzTest(maxDuration = "60s")
    void macro(byte[] data) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        MacroString.Values values = letter -> switch (letter) {
            case 's' -> "st.r-on+g=ba,d/x_y@email.example.com";
            case 'l' -> "st.r-on+g=ba,d/x_y";
            case 'o', 'd' -> "email.example.com";
            case 'i' -> IpAddresses.macroI(V6);
            case 'p' -> "mx.example.org";
            case 'v' -> "ip6";
            case 'h' -> "helo.example.net";
            case 'c' -> IpAddresses.readable(V6);
            case 'r' -> "unknown";
            case 't' -> "0";
            default -> throw new AssertionError("unexpected macro letter " + letter);
        };
        for (MacroString.Kind kind : MacroString.Kind.values()) {
            MacroString ms;
            try {
                ms = MacroString.parse(text, kind);
            } catch (MacroString.SyntaxException e) {
                continue;
            }
            check(ms.toString().equals(text), "source not kept");
            if (kind == MacroString.Kind.DOMAIN_SPEC) ms.hasValidDomainEnd();
            try {
                String out = ms.expand(values);
                check(out.length() <= MacroString.MAX_EXPANSION + 4096, "expansion of %d characters", out.length());
                String name = SpfVerifier.queryName(out);
                check(name == null || name.length() <= 253, "query name of %d characters", name == null ? 0 : name.length());
            } catch (MacroString.SyntaxException e) {
                check(e.getMessage().contains("too long"), "expand failed: %s", e.getMessage());
            }
        }
    }

    /**
     * check_host() where every TXT query answers the fuzzed record, every name has an address
     * and MX and PTR answers are plentiful: the result is a value, within the time budget, and
     * the number of DNS queries stays within what RFC 7208 §4.6.4 allows.
     */
    @FuzzTest(maxDuration = "60s")
    void evaluate(byte[] data) {
        String record = new String(data, StandardCharsets.ISO_8859_1);
        AtomicInteger queries = new AtomicInteger();
        Resolver everything = new Resolver() {
            @Override public DnsAnswer<String> txt(String name) { queries.incrementAndGet(); return DnsAnswer.of(List.of(record), false); }
            @Override public DnsAnswer<InetAddress> a(String name) { queries.incrementAndGet(); return DnsAnswer.of(List.of(IpAddresses.parse("198.51.100.1")), false); }
            @Override public DnsAnswer<InetAddress> aaaa(String name) { queries.incrementAndGet(); return DnsAnswer.noData(false); }
            @Override public DnsAnswer<MxRecord> mx(String name) {
                queries.incrementAndGet();
                return DnsAnswer.of(List.of(new MxRecord(1, "a." + name), new MxRecord(2, "b." + name)), false);
            }
            @Override public DnsAnswer<String> ptr(InetAddress ip) {
                queries.incrementAndGet();
                return DnsAnswer.of(List.of("p1.example.com", "p2.example.com", "p3.example.com"), false);
            }
            @Override public DnsAnswer<TlsaRecord> tlsa(String name) { return DnsAnswer.nxdomain(false); }
        };
        SpfVerifier v = new SpfVerifier(everything, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
                SpfSettings.defaults().withMaxDuration(Duration.ofSeconds(10)));
        SpfOutcome o = v.checkMailFrom(V4, "user@example.com", "helo.example.com");
        check(o != null && o.result() != null && o.explanation() != null, "no outcome");
        // the record, 10 counted terms of at most 1 + 10 queries each, then exp=: its TXT and a %{p} (PTR + 10 addresses)
        check(queries.get() <= 1 + 10 * 11 + 1 + 11, "%d DNS queries", queries.get());
        check(o.explanation().chars().noneMatch(c -> c < 0x20 || c == 0x7f), "control character in the explanation");
    }

    static void check(boolean ok, String format, Object... args) {
        if (!ok) throw new AssertionError(String.format(format, args));
    }
}
