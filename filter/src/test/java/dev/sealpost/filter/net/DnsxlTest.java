package dev.sealpost.filter.net;

import dev.sealpost.dns.PublicSuffixList;
import dev.sealpost.dns.Resolver;
import dev.sealpost.dns.ZoneResolver;
import dev.sealpost.filter.FilterInput;
import dev.sealpost.filter.FilterSettings;
import dev.sealpost.filter.Hit;
import dev.sealpost.filter.Pipeline;
import dev.sealpost.filter.Verdict;
import dev.sealpost.filter.links.Link;
import dev.sealpost.message.MessageStructure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DNSBL, DNSWL and URIBL (RFC 5782) against planted zones ({@code dnsxl.zone}) through the dns module's zone resolver. */
class DnsxlTest {
    static Resolver resolver;
    static DnsxlLookup lookup;
    static final DnsxlZone BL = DnsxlZone.of("bl.example", DnsxlZone.Kind.IP_BLOCK, 3).withCodes(List.of(
            DnsxlZone.Code.exact("127.0.0.2", "sbl", 4), DnsxlZone.Code.exact("127.0.0.4", "xbl", 6),
            DnsxlZone.Code.exact("127.0.0.10", "pbl", 1.5)));
    static final DnsxlZone WL = DnsxlZone.of("wl.example", DnsxlZone.Kind.IP_ALLOW, -3);
    static final DnsxlZone URI = DnsxlZone.of("uribl.example", DnsxlZone.Kind.DOMAIN, 4).withCodes(List.of(
            DnsxlZone.Code.bits(4, "phish", 7), DnsxlZone.Code.bits(8, "malware", 9)));

    @BeforeAll
    static void plant() throws URISyntaxException, java.io.IOException {
        resolver = ZoneResolver.fromMasterFile(Path.of(DnsxlTest.class.getResource("dnsxl.zone").toURI()));
        lookup = new DnsxlLookup(resolver);
    }

    @Test
    void queryNamesFollowRfc5782() throws Exception {
        assertThat(DnsxlLookup.ipQueryName(InetAddress.ofLiteral("192.0.2.99"), "bl.example")).isEqualTo("99.2.0.192.bl.example");
        assertThat(DnsxlLookup.ipQueryName(InetAddress.ofLiteral("2001:db8::1"), "bl.example"))
                .isEqualTo("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.example");
        assertThat(DnsxlLookup.ipQueryName(InetAddress.ofLiteral("::ffff:7f00:2"), "bl.example")).isEqualTo("2.0.0.127.bl.example");
        assertThat(DnsxlLookup.domainQueryName("Evil.Example.", "uribl.example")).contains("evil.example.uribl.example");
        assertThat(DnsxlLookup.domainQueryName("bücher.example", "uribl.example")).contains("xn--bcher-kva.example.uribl.example");
        assertThat(DnsxlLookup.domainQueryName("a..b", "uribl.example")).isEmpty();
        assertThat(DnsxlLookup.domainQueryName("x".repeat(63) + "." + "y".repeat(63) + "." + "z".repeat(63) + "." + "w".repeat(50) + ".example", "uribl.example")).isEmpty();
    }

    @Test
    void returnCodesMapToMeaningsAndWeightsWithTheTxtReason() {
        var r = (DnsxlLookup.Listed) lookup.lookupIp(BL, InetAddress.ofLiteral("192.0.2.99"));
        assertThat(r.answers()).containsExactlyInAnyOrder("127.0.0.2", "127.0.0.4");
        assertThat(r.meanings()).containsExactlyInAnyOrder("sbl", "xbl");
        assertThat(r.weight()).isEqualTo(10.0);
        assertThat(r.reason()).isEqualTo("192.0.2.99 listed, see https://bl.example/lookup?ip=192.0.2.99");

        var v6 = (DnsxlLookup.Listed) lookup.lookupIp(BL, InetAddress.ofLiteral("2001:db8::1"));
        assertThat(v6.meanings()).containsExactly("pbl");
        assertThat(v6.weight()).isEqualTo(1.5);

        assertThat(lookup.lookupIp(BL, InetAddress.ofLiteral("203.0.113.5"))).as("a code the table does not know")
                .isInstanceOf(DnsxlLookup.NotListed.class);
        assertThat(((DnsxlLookup.Listed) lookup.lookupIp(DnsxlZone.of("bl.example", DnsxlZone.Kind.IP_BLOCK, 3), InetAddress.ofLiteral("203.0.113.5"))).weight())
                .as("no code table: any 127/8 answer counts").isEqualTo(3.0);
        assertThat(lookup.lookupIp(BL, InetAddress.ofLiteral("198.51.100.7"))).as("answer outside 127/8").isInstanceOf(DnsxlLookup.NotListed.class);
        assertThat(lookup.lookupIp(BL, InetAddress.ofLiteral("192.0.2.100"))).isInstanceOf(DnsxlLookup.NotListed.class);
        assertThat(lookup.lookupIp(DnsxlZone.of("refused.example", DnsxlZone.Kind.IP_BLOCK, 3), InetAddress.ofLiteral("192.0.2.99")))
                .isInstanceOf(DnsxlLookup.Error.class);
    }

    @Test
    void dnsFailuresAreErrorsAndGiveNoHit() {
        Resolver down = ZoneResolver.builder().servfail("99.2.0.192.bl.example").timeout("99.2.0.192.wl.example").build();
        DnsxlLookup l = new DnsxlLookup(down);
        assertThat(l.lookupIp(BL, InetAddress.ofLiteral("192.0.2.99"))).isEqualTo(new DnsxlLookup.Error("99.2.0.192.bl.example", "DNS SERVFAIL"));
        assertThat(l.lookupIp(WL, InetAddress.ofLiteral("192.0.2.99"))).isEqualTo(new DnsxlLookup.Error("99.2.0.192.wl.example", "DNS TIMEOUT"));
        assertThat(new DnsblCheck(l, List.of(BL, WL)).check("192.0.2.99")).isEmpty();
    }

    @Test
    void selfTestHonoursTheTestEntries() {
        assertThat(lookup.selfTest(BL).working()).isTrue();
        assertThat(lookup.selfTest(WL).working()).isTrue();
        assertThat(lookup.selfTest(URI).working()).isTrue();
        DnsxlLookup.SelfTest wild = lookup.selfTest(DnsxlZone.of("wild.example", DnsxlZone.Kind.IP_BLOCK, 3));
        assertThat(wild.working()).isFalse();
        assertThat(wild.detail()).contains("1.0.0.127.wild.example is listed");
        assertThat(lookup.selfTest(DnsxlZone.of("nothing.example", DnsxlZone.Kind.IP_BLOCK, 3)).detail()).contains("is not listed");
    }

    @Test
    void dnsblCheckGivesOneBoundedHitPerListAndSkipsPrivateAddressesButNotTheTestAddress() {
        DnsblCheck check = new DnsblCheck(lookup, List.of(BL.withAction(Verdict.Action.REJECT), WL));
        List<Hit> hits = check.check("192.0.2.99");
        assertThat(hits).extracting(Hit::name).containsExactly("dnsbl_bl_example", "dnswl_wl_example");
        assertThat(hits.get(0).weight()).isEqualTo(10.0);
        assertThat(hits.get(0).detail()).isEqualTo("192.0.2.99 listed in bl.example (127.0.0.2,127.0.0.4: sbl,xbl): "
                + "192.0.2.99 listed, see https://bl.example/lookup?ip=192.0.2.99");
        assertThat(hits.get(1).weight()).isEqualTo(-3.0);
        assertThat(check.actions()).containsEntry("dnsbl_bl_example", Verdict.Action.REJECT);

        assertThat(check.check("127.0.0.2")).extracting(Hit::name).containsExactly("dnsbl_bl_example", "dnswl_wl_example");
        assertThat(check.check("127.0.0.1")).isEmpty();
        assertThat(check.check("10.1.2.3")).isEmpty();
        assertThat(check.check("not-an-ip.example")).isEmpty();
        assertThat(check.check("[IPv6:2001:db8::1]")).extracting(Hit::detail).containsExactly("2001:db8:0:0:0:0:0:1 listed in bl.example (127.0.0.10: pbl)");

        FilterSettings settings = FilterSettings.defaults();
        var actions = new java.util.HashMap<>(settings.actions());
        actions.putAll(check.actions());
        settings = new FilterSettings(settings.rejectScore(), settings.junkScore(), settings.weights(), actions);
        FilterInput in = new FilterInput("Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII),
                MessageStructure.parse("Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII)),
                "192.0.2.99", "mx.example", "a@example.com", List.of("b@example.org"), false, false);
        assertThat(new Pipeline(List.of(check), settings).run(in).action()).isEqualTo(Verdict.Action.REJECT);
    }

    @Test
    void hitNamesAreBoundedAndZonesValidated() {
        assertThat(DnsxlZone.of("zen.spamhaus.org", DnsxlZone.Kind.IP_BLOCK, 5).hit()).isEqualTo("dnsbl_zen_spamhaus_org");
        assertThat(DnsxlZone.of("list.dnswl.org", DnsxlZone.Kind.IP_ALLOW, -2).withName("DNSWL").hit()).isEqualTo("dnswl_dnswl");
        assertThat(DnsxlZone.of(("a".repeat(60) + ".") .repeat(3) + "example", DnsxlZone.Kind.DOMAIN, 5).hit()).hasSize(64).startsWith("uribl_");
        assertThatThrownBy(() -> DnsxlZone.of("not a zone", DnsxlZone.Kind.IP_BLOCK, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsxlZone.Code.exact("10.0.0.2", "x", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DnsblCheck(lookup, List.of(URI))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void uriblLooksUpRegistrableDomainsOfLinks() {
        UriblCheck check = new UriblCheck(lookup, List.of(URI), PublicSuffixList.bundled(), List.of("example.org"));
        List<Link> links = List.of(
                new Link("https://login.evil.example/account", "Your bank", true),
                new Link("https://www.example.org/", "us", true),
                new Link("http://192.0.2.10/x", "", false),
                new Link("https://redirect.example.net/?u=https%3A%2F%2Fcdn.malware.example%2Fa.exe", "download", true),
                new Link("https://fine.example.com/", "fine", true));
        assertThat(check.names(links)).containsExactly("evil.example", "192.0.2.10", "example.net", "malware.example", "example.com");
        List<Hit> hits = check.check(links);
        assertThat(hits).hasSize(1);
        assertThat(hits.getFirst().name()).isEqualTo("uribl_uribl_example");
        assertThat(hits.getFirst().weight()).isEqualTo(9.0);
        assertThat(hits.getFirst().detail()).isEqualTo("evil.example (phish), 192.0.2.10 (malware), malware.example (malware) "
                + "listed in uribl.example: evil.example: phishing");

        byte[] msg = ("From: a@example.com\r\nContent-Type: text/html\r\n\r\n<a href=\"https://www.evil.example/x\">https://mybank.example/</a>\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(check.run(FilterInput.offline(msg))).extracting(Hit::name, Hit::weight).containsExactly(org.assertj.core.groups.Tuple.tuple("uribl_uribl_example", 7.0));
        assertThat(check.check(List.of(new Link("https://test.uribl.example/", "", false)))).as("a link's registrable domain is asked, not the host").isEmpty();
    }
}
