package dev.sealpost.auth.spf;

import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.MxRecord;
import dev.sealpost.dns.Resolver;
import dev.sealpost.dns.TlsaRecord;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential test against pyspf (Debian {@code python3-spf}, the implementation the openspf
 * suite was written with): literal records that need no DNS (ip4, ip6, all, syntax errors),
 * evaluated by pyspf's {@code query.check(spf=...)} (what {@code python3 -m spf RECORD IP SENDER
 * HELO} runs, batched in one process, with pyspf's DNS replaced by an error so that no query
 * can leave the machine) and by {@link SpfVerifier}; the results must agree. Skipped when
 * pyspf is missing, unless {@code SEALPOST_REQUIRE_INTEROP=1}.
 */
class PyspfDifferentialTest {
    static final String PYTHON = "/usr/bin/python3";

    static final List<String> RECORDS = List.of(
            "v=spf1 ip4:192.0.2.0/24 -all",
            "v=spf1 ip4:192.0.2.5 ~all",
            "v=spf1 -ip4:192.0.2.5/32 +ip4:192.0.2.0/24 ?all",
            "v=spf1 ip4:0.0.0.0/0",
            "v=spf1 ip6:2001:db8::/32 -all",
            "v=spf1 ip6:2001:db8::1 ip4:198.51.100.0/25 ~all",
            "v=spf1 ip6:::ffff:192.0.2.5 -all",
            "v=spf1 ip6:::/0 ?ip4:0.0.0.0/0",
            "v=spf1 ip6:2001:DB8:0:0:0:0:0:1/128 -all",
            "v=spf1 ip6:2001:db8::192.0.2.5/120 -all",
            "v=spf1 +ip4:192.0.2.0/25 -ip4:192.0.2.0/24",
            "v=spf1  ip4:192.0.2.5   -all  ",
            "v=spf1",
            "v=spf1 ?all",
            "V=SPF1 -ALL",
            "v=spf1 IP4:192.0.2.0/24 -All",
            "v=spf1 all -all",
            "v=spf1 x-y=z ip4:192.0.2.5 -all",
            "v=spf1 ip4:192.0.2.5/33 -all",
            "v=spf1 ip4:192.0.2.300 -all",
            "v=spf1 ip4:01.2.3.4 -all",
            "v=spf1 ip4:192.0.2.5//32",
            "v=spf1 ip4:192.0.2",
            "v=spf1 ip6:2001:db8::/129",
            "v=spf1 ip6::CAFE::BABE",
            "v=spf1 ip6:2001:db8::1//64",
            "v=spf1 -all moo",
            "v=spf1 -all:x",
            "v=spf1 all/8",
            "v=spf1 foo=%abc -all",
            "v=spf1 exp= -all",
            "v=spf1 redirect=a.example.com redirect=b.example.com",
            "v=spf1 include -all",
            "v=spf1 exists:foo.example.com/24 -all");
    static final List<String> CLIENTS = List.of("192.0.2.5", "192.0.2.200", "198.51.100.1", "2001:db8::1", "2001:db9::1", "::ffff:192.0.2.5");

    static final String DRIVER = """
            import json, sys, spf
            def no_dns(*args, **kwargs):
                raise spf.TempError('DNS is disabled in this test')
            spf.DNSLookup = no_dns
            for line in sys.stdin:
                record, ip, sender, helo = line.rstrip('\\n').split('\\t')
                q = spf.query(i=ip, s=sender, h=helo, receiver='localhost', strict=True)
                res = q.check(spf=record)[0]
                print(json.dumps({'unknown': 'permerror', 'error': 'temperror'}.get(res, res)))
            """;

    static boolean pyspfAvailable() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import spf").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void literalRecordsAgreeWithPyspf(@TempDir Path dir) throws Exception {
        Peers.require(pyspfAvailable(), "pyspf (apt-get install python3-spf)");

        List<String[]> cases = new ArrayList<>();
        StringBuilder input = new StringBuilder();
        for (String record : RECORDS) {
            for (String client : CLIENTS) {
                cases.add(new String[] {record, client});
                input.append(record).append('\t').append(client).append("\tuser@example.com\tmail.example.com\n");
            }
        }
        Path script = dir.resolve("driver.py");
        Files.writeString(script, DRIVER);
        Process p = new ProcessBuilder(PYTHON, script.toString()).redirectError(dir.resolve("stderr.txt").toFile()).start();
        p.getOutputStream().write(input.toString().getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("stderr.txt"))).isZero();
        List<String> theirs = out.lines().map(l -> l.replace("\"", "")).toList();
        assertThat(theirs).hasSize(cases.size());

        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            String record = cases.get(i)[0];
            InetAddress ip = IpAddresses.parse(cases.get(i)[1]);
            SpfVerifier v = new SpfVerifier(serving(record), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
                    SpfSettings.defaults().withMaxDuration(Duration.ofSeconds(5)));
            String ours = v.checkMailFrom(ip, "user@example.com", "mail.example.com").result().keyword();
            if (!ours.equals(theirs.get(i))) {
                disagreements.add("'" + record + "' from " + cases.get(i)[1] + ": pyspf " + theirs.get(i) + ", sealpost " + ours);
            }
        }
        assertThat(disagreements).isEmpty();
    }

    /** The record at example.com, nothing anywhere else. */
    static Resolver serving(String record) {
        return new Resolver() {
            @Override public DnsAnswer<String> txt(String name) {
                return name.equals("example.com") ? DnsAnswer.of(List.of(record), false) : DnsAnswer.nxdomain(false);
            }
            @Override public DnsAnswer<InetAddress> a(String name) { return DnsAnswer.nxdomain(false); }
            @Override public DnsAnswer<InetAddress> aaaa(String name) { return DnsAnswer.nxdomain(false); }
            @Override public DnsAnswer<MxRecord> mx(String name) { return DnsAnswer.nxdomain(false); }
            @Override public DnsAnswer<String> ptr(InetAddress ip) { return DnsAnswer.nxdomain(false); }
            @Override public DnsAnswer<TlsaRecord> tlsa(String name) { return DnsAnswer.nxdomain(false); }
        };
    }
}
