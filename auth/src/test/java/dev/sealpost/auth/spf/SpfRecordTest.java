package dev.sealpost.auth.spf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7208 §4.5, §4.6, §5, §6, §12: record selection and strict parsing. */
class SpfRecordTest {
    static SpfRecord valid(String text) {
        SpfRecord.Parsed p = SpfRecord.parse(text);
        assertThat(p).as(text).isInstanceOf(SpfRecord.Valid.class);
        return ((SpfRecord.Valid) p).record();
    }

    @Test
    void selection() {
        assertThat(SpfRecord.isSpfRecord("v=spf1")).isTrue();
        assertThat(SpfRecord.isSpfRecord("v=spf1 -all")).isTrue();
        assertThat(SpfRecord.isSpfRecord("V=sPf1 ~all")).isTrue();
        assertThat(SpfRecord.isSpfRecord("v=spf10")).isFalse();
        assertThat(SpfRecord.isSpfRecord("v=spf1mx")).isFalse();
        assertThat(SpfRecord.isSpfRecord(" v=spf1")).isFalse();
        assertThat(SpfRecord.isSpfRecord("spf2.0/pra")).isFalse();
    }

    @Test
    void parsesEveryMechanismAndModifier() {
        SpfRecord r = valid("v=spf1  +all -include:_spf.example.com ~a ?a:%{d}/24//64 mx mx:mx.example.com//48 ptr ptr:example.org"
                + " ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{ir}.list.example.net redirect=_spf.%{d2} exp=why.%{d} foo.bar-baz_1=%{l} ");
        assertThat(r.directives()).hasSize(11);
        assertThat(r.directives().get(0).qualifier()).isEqualTo(SpfRecord.Qualifier.PASS);
        assertThat(r.directives().get(1).mechanism()).isInstanceOf(SpfRecord.Include.class);
        assertThat(r.directives().get(1).qualifier()).isEqualTo(SpfRecord.Qualifier.FAIL);
        assertThat(r.directives().get(2).mechanism()).isEqualTo(new SpfRecord.A(null, 32, 128));
        assertThat(r.directives().get(2).qualifier()).isEqualTo(SpfRecord.Qualifier.SOFTFAIL);
        SpfRecord.A a = (SpfRecord.A) r.directives().get(3).mechanism();
        assertThat(a.domain().toString()).isEqualTo("%{d}");
        assertThat(a.cidr4()).isEqualTo(24);
        assertThat(a.cidr6()).isEqualTo(64);
        assertThat(r.directives().get(3).qualifier()).isEqualTo(SpfRecord.Qualifier.NEUTRAL);
        SpfRecord.Mx mx = (SpfRecord.Mx) r.directives().get(5).mechanism();
        assertThat(mx.domain().toString()).isEqualTo("mx.example.com");
        assertThat(mx.cidr4()).isEqualTo(32);
        assertThat(mx.cidr6()).isEqualTo(48);
        assertThat(r.directives().get(6).mechanism()).isEqualTo(new SpfRecord.Ptr(null));
        SpfRecord.Ip4 ip4 = (SpfRecord.Ip4) r.directives().get(8).mechanism();
        assertThat(ip4.prefix()).isEqualTo(24);
        assertThat(ip4.network()).containsExactly(192, 0, 2, 0);
        assertThat(((SpfRecord.Ip6) r.directives().get(9).mechanism()).prefix()).isEqualTo(32);
        assertThat(r.directives().get(10).text()).isEqualTo("exists:%{ir}.list.example.net");
        assertThat(r.redirect().toString()).isEqualTo("_spf.%{d2}");
        assertThat(r.explanation().toString()).isEqualTo("why.%{d}");
        assertThat(r.unknownModifiers()).containsExactly("foo.bar-baz_1");
        assertThat(r.directives().stream().filter(d -> d.mechanism().causesLookup()).count()).isEqualTo(8);
    }

    @Test
    void emptyRecordAndCaseInsensitiveNames() {
        assertThat(valid("v=spf1").directives()).isEmpty();
        SpfRecord r = valid("V=SPF1 -ALL Redirect=example.com IP4:192.0.2.1");
        assertThat(r.directives()).hasSize(2);
        assertThat(r.redirect()).isNotNull();
        assertThat(valid("v=spf1 ip6:::1.1.1.1/0 ip6:CAFE:BABE::/33 ip6:::ffff:192.0.2.1").directives()).hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "v=spf1 ip4:1.2.3.4 -all moo",          // unknown mechanism anywhere (§4.6)
            "v=spf1 -all.", "v=spf1 -all:foobar", "v=spf1 -all/8", // all takes nothing (§5.1)
            "v=spf1 include", "v=spf1 include:", "v=spf1 include:ip5.example.com/24", // §5.2
            "v=spf1 a/33", "v=spf1 a//129", "v=spf1 a/24/64", "v=spf1 a:", "v=spf1 a:museum", "v=spf1 a:abc.123",
            "v=spf1 a:example.com:8080", "v=spf1 a:example.-com", "v=spf1 a/032", "v=spf1 mx//33x", // §5.3 / §5.4 / §7.1
            "v=spf1 ptr/0", "v=spf1 ptr:",                                 // §5.5
            "v=spf1 ip4", "v=spf1 ip4:1.2.3", "v=spf1 ip4:1.2.3.4/33", "v=spf1 ip4:1.2.3.4/032", "v=spf1 ip4:1.2.3.4//32",
            "v=spf1 ip4:1.2.3.4:8080", "v=spf1 ip4:01.2.3.4", "v=spf1 ip4:256.1.1.1",  // §5.6
            "v=spf1 ip6", "v=spf1 ip6::CAFE::BABE", "v=spf1 ip6:::1.1.1.1/129", "v=spf1 ip6:::1.1.1.1//33", "v=spf1 ip6:1:2:3:4:5:6:7:8:9",
            "v=spf1 exists", "v=spf1 exists:", "v=spf1 exists:mail.example.com/24", // §5.7
            "v=spf1 redirect=a.example.com redirect=b.example.com", "v=spf1 exp=a.example.com exp=b.example.com", // §6
            "v=spf1 redirect=", "v=spf1 exp=", "v=spf1 exp=-all", "v=spf1 redirect=-all", "v=spf1 redirect:example.com",
            "v=spf1 1up=foo", "v=spf1 =all", "v=spf1 foo=%abc", "v=spf1 moo.cow/far_out=man:dog/cat",
            "v=spf1 exists:%(ir).sbl.example.com", "v=spf1 a:%{a}.example.com", "v=spf1 exp=%{r}.example.com",
            "v=spf1 a:ctrl.example.com\rptr -all", "v=spf1 ip4:192.0.2.5\n include:x.example.com", "v=spf1 a:foo.example.com\0",
            "v=spf1 a:\u00ef\u00bb\u00bfgarbage.example.net -all", "v=spf1 \u0080a:example.net", "v=spf1 a\tmx",
            "v=spf1 +-all", "v=spf1 -redirect=example.com",
    })
    void syntaxErrorsAreInvalid(String text) {
        assertThat(SpfRecord.parse(text)).as(text).isInstanceOf(SpfRecord.Invalid.class);
    }

    @Test
    void bounded() {
        assertThat(SpfRecord.parse("v=spf1 " + "x".repeat(SpfRecord.MAX_LENGTH))).isInstanceOf(SpfRecord.Invalid.class);
        assertThat(SpfRecord.parse("v=spf1" + " ip4:192.0.2.1".repeat(SpfRecord.MAX_TERMS + 1))).isInstanceOf(SpfRecord.Invalid.class);
        assertThat(SpfRecord.parse("v=spf1" + " ip4:192.0.2.1".repeat(SpfRecord.MAX_TERMS))).isInstanceOf(SpfRecord.Valid.class);
    }

    @Test
    void invalidReasonNamesTheTerm() {
        SpfRecord.Parsed p = SpfRecord.parse("v=spf1 ip4:1.2.3.4/33 -all");
        assertThat(((SpfRecord.Invalid) p).reason()).contains("ip4:1.2.3.4/33");
    }
}
