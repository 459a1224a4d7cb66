package dev.sealpost.auth.spf;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.MxRecord;
import dev.sealpost.dns.Resolver;
import dev.sealpost.dns.TlsaRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 7208 §7 macro syntax and expansion; the §7.4 examples verbatim. */
class MacroExpansionTest {
    static final InetAddress V4 = IpAddresses.parse("192.0.2.3");
    static final InetAddress V6 = IpAddresses.parse("2001:db8::cb01");

    /** The §7.4 context: sender strong-bad@email.example.com, PTR name mx.example.org. */
    static MacroString.Values rfc74(InetAddress ip) {
        return letter -> switch (letter) {
            case 's' -> "strong-bad@email.example.com";
            case 'l' -> "strong-bad";
            case 'o', 'd' -> "email.example.com";
            case 'i' -> IpAddresses.macroI(ip);
            case 'p' -> "mx.example.org";
            case 'v' -> ip.getAddress().length == 4 ? "in-addr" : "ip6";
            case 'h' -> "mx.example.org";
            case 'c' -> IpAddresses.readable(ip);
            case 'r' -> "example.net";
            case 't' -> "1714564800";
            default -> throw new AssertionError(letter);
        };
    }

    static String expand(String macroString, MacroString.Kind kind, InetAddress ip) throws MacroString.SyntaxException {
        return MacroString.parse(macroString, kind).expand(rfc74(ip));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            %{s}     | strong-bad@email.example.com
            %{o}     | email.example.com
            %{d}     | email.example.com
            %{d4}    | email.example.com
            %{d3}    | email.example.com
            %{d2}    | example.com
            %{d1}    | com
            %{dr}    | com.example.email
            %{d2r}   | example.email
            %{l}     | strong-bad
            %{l-}    | strong.bad
            %{lr}    | strong-bad
            %{lr-}   | bad.strong
            %{l1r-}  | strong
            %{ir}.%{v}._spf.%{d2}             | 3.2.0.192.in-addr._spf.example.com
            %{lr-}.lp._spf.%{d2}              | bad.strong.lp._spf.example.com
            %{lr-}.lp.%{ir}.%{v}._spf.%{d2}   | bad.strong.lp.3.2.0.192.in-addr._spf.example.com
            %{ir}.%{v}.%{l1r-}.lp._spf.%{d2}  | 3.2.0.192.in-addr.strong.lp._spf.example.com
            %{d2}.trusted-domains.example.net | example.com.trusted-domains.example.net
            """)
    void rfc7208Section74Examples(String macro, String expansion) throws Exception {
        assertThat(expand(macro, MacroString.Kind.DOMAIN_SPEC, V4)).isEqualTo(expansion);
    }

    @Test
    void rfc7208Section74Ipv6Example() throws Exception {
        String got = expand("%{ir}.%{v}._spf.%{d2}", MacroString.Kind.DOMAIN_SPEC, V6);
        // RFC 7208 §7.4 writes the nibbles in lower case; we write them in upper case as pyspf does
        // and the openspf suite's v-macro-ip6 explanation expects. DNS names compare case-insensitively.
        assertThat(got).isEqualToIgnoringCase("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com");
        assertThat(got).startsWith("1.0.B.C.0.0.0.0.");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            %%                | %
            %_                | " "
            %-                | %20
            a%%b%_c%-d        | "a%b c%20d"
            %{L}              | strong-bad
            %{S}              | strong-bad%40email.example.com
            %{DR}             | com.example.email
            %{d2r}            | example.email
            %{d255}           | email.example.com
            %{d9999}          | email.example.com
            %{l+-}            | strong.bad
            %{c}              | 192.0.2.3
            %{r}              | example.net
            %{t}              | 1714564800
            """)
    void escapesTransformersAndExplanationLetters(String macro, String expansion) throws Exception {
        assertThat(expand(macro, MacroString.Kind.EXPLANATION, V4)).isEqualTo(expansion);
    }

    @Test
    void upperCaseLettersUrlEscapeEverythingOutsideUnreserved() {
        // RFC 7208 §7.3; the openspf upper-macro case
        assertThat(MacroString.urlEscape("~jack&jill=up-a_b3.c")).isEqualTo("~jack%26jill%3Dup-a_b3.c");
        assertThat(MacroString.urlEscape("a b/é")).isEqualTo("a%20b%2F%C3%A9");
    }

    @Test
    void cMacroWritesIpv6PerRfc5952() throws Exception {
        assertThat(expand("%{c}", MacroString.Kind.EXPLANATION, V6)).isEqualTo("2001:db8::cb01");
        assertThat(IpAddresses.readable(IpAddresses.parse("2001:db8:0:1:0:0:0:1"))).isEqualTo("2001:db8:0:1::1");
        assertThat(IpAddresses.readable(IpAddresses.parse("2001:0:0:1:0:0:0:1"))).isEqualTo("2001:0:0:1::1");
        assertThat(IpAddresses.readable(IpAddresses.parse("2001:db8:1:1:1:1:0:1"))).isEqualTo("2001:db8:1:1:1:1:0:1");
        assertThat(IpAddresses.readable(IpAddresses.parse("::"))).isEqualTo("::");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "abc%", "%(ir)", "%{", "%{d", "%{}", "%{x}", "%{d0}", "%{d00}", "%{dz}", "%{d1r.x}",
            "%{c}", "%{r}", "%{t}", "a b", "é", "\u0000"})
    void invalidInDomainSpec(String s) {
        assertThatThrownBy(() -> MacroString.parse(s, MacroString.Kind.DOMAIN_SPEC)).isInstanceOf(MacroString.SyntaxException.class);
    }

    @Test
    void explanationAllowsSpacesAndCrtButNotControlsOrNonAscii() throws Exception {
        assertThat(expand("Not %{c} at %{t} via %{r}", MacroString.Kind.EXPLANATION, V4))
                .isEqualTo("Not 192.0.2.3 at 1714564800 via example.net");
        assertThatThrownBy(() -> MacroString.parse("tab\there", MacroString.Kind.EXPLANATION)).isInstanceOf(MacroString.SyntaxException.class);
        assertThatThrownBy(() -> MacroString.parse("\u00efExplanation", MacroString.Kind.EXPLANATION)).isInstanceOf(MacroString.SyntaxException.class);
        assertThatThrownBy(() -> MacroString.parse("The %{x}-files.", MacroString.Kind.EXPLANATION)).isInstanceOf(MacroString.SyntaxException.class);
    }

    @Test
    void expansionIsBounded() throws Exception {
        MacroString many = MacroString.parse("%{s}".repeat(400), MacroString.Kind.DOMAIN_SPEC);
        assertThatThrownBy(() -> many.expand(rfc74(V4))).isInstanceOf(MacroString.SyntaxException.class);
    }

    @Test
    void domainEndMustBeMacroOrTopLabel() throws Exception {
        for (String ok : List.of("example.com", "example.com.", "%{d}", "foo.%{d2}", "a.xn--zckzah", "%{d}.abc-1", "x%%", "foo:bar/baz.example.com")) {
            assertThat(MacroString.parse(ok, MacroString.Kind.DOMAIN_SPEC).hasValidDomainEnd()).as(ok).isTrue();
        }
        for (String bad : List.of("museum", "museum.", "abc.123", "example.-com", "example.com:8080", "%{d}.", "example.com..", "foo.com/24")) {
            assertThat(MacroString.parse(bad, MacroString.Kind.DOMAIN_SPEC).hasValidDomainEnd()).as(bad).isFalse();
        }
    }

    /** End to end: the verifier's own macro values, seen in the names it queries (RFC 7208 §7.4 context). */
    @Test
    void verifierQueriesTheExpandedNames() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        SuiteResolver zone = SuiteResolver.fromYaml(new YAMLMapper().readTree("""
                email.example.com:
                  - TXT: "v=spf1 exists:%{ir}.%{v}._spf.%{d2} exists:%{lr-}.lp._spf.%{d2} exists:%{p}.x.example.net -all"
                3.2.0.192.in-addr.arpa:
                  - PTR: mx.example.org
                mx.example.org:
                  - A: 192.0.2.3
                  - AAAA: 2001:db8::cb01
                """));
        Resolver recording = new Resolver() {
            @Override public DnsAnswer<String> txt(String name) { asked.add("TXT " + name); return zone.txt(name); }
            @Override public DnsAnswer<InetAddress> a(String name) { asked.add("A " + name); return zone.a(name); }
            @Override public DnsAnswer<InetAddress> aaaa(String name) { asked.add("AAAA " + name); return zone.aaaa(name); }
            @Override public DnsAnswer<MxRecord> mx(String name) { asked.add("MX " + name); return zone.mx(name); }
            @Override public DnsAnswer<String> ptr(InetAddress ip) { asked.add("PTR " + ip.getHostAddress()); return zone.ptr(ip); }
            @Override public DnsAnswer<TlsaRecord> tlsa(String name) { return zone.tlsa(name); }
        };
        // three void lookups: allow them, to see every query
        SpfVerifier v = new SpfVerifier(recording, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
                new SpfSettings(java.time.Duration.ofSeconds(5), 10, 5, SpfSettings.DEFAULT_EXPLANATION, "unknown"));
        SpfOutcome o = v.checkMailFrom(V4, "strong-bad@email.example.com", "mx.example.org");
        assertThat(o.result()).isEqualTo(SpfResult.FAIL);
        assertThat(asked).contains("A 3.2.0.192.in-addr._spf.example.com", "A bad.strong.lp._spf.example.com", "A mx.example.org.x.example.net");
        asked.clear();
        v.checkMailFrom(V6, "strong-bad@email.example.com", "mx.example.org");
        assertThat(asked).contains("A 1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com");
    }
}
