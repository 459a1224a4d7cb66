package dev.sealpost.lists.post;

import dev.sealpost.core.mail.EmailAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VerpTest {
    static final EmailAddress LIST = EmailAddress.parse("dev@lists.example.com").orElseThrow();

    static EmailAddress a(String s) {
        return EmailAddress.parse(s).orElseThrow(() -> new AssertionError("bad test address " + s));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            bob@example.org                | dev-bounces+bob=example.org@lists.example.com
            Bob.Smith@Example.ORG          | dev-bounces+Bob.Smith=example.org@lists.example.com
            bob+tag@example.org            | dev-bounces+bob+tag=example.org@lists.example.com
            a=b@example.org                | dev-bounces+a=b=example.org@lists.example.com
            100%sure@example.org           | dev-bounces+100%25sure=example.org@lists.example.com
            "john smith"@example.org       | dev-bounces+john%20smith=example.org@lists.example.com
            "a..b"@example.org             | dev-bounces+a%2E%2Eb=example.org@lists.example.com
            "x@y"@example.org              | dev-bounces+x%40y=example.org@lists.example.com
            jörg@bücher.example            | dev-bounces+j%C3%B6rg=xn--bcher-kva.example@lists.example.com
            """)
    void encodesAndDecodesBack(String member, String verp) {
        EmailAddress m = a(member);
        String encoded = Verp.encode(LIST, m);
        assertThat(encoded).isEqualTo(verp);
        // the result is always a plain ASCII dot-atom address: no quoting, no SMTPUTF8
        assertThat(encoded).matches("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[a-z0-9.-]+");
        assertThat(EmailAddress.parse(encoded)).isPresent();
        assertThat(Verp.decode(LIST, encoded)).contains(m);
        assertThat(Verp.decode(LIST, "<" + encoded + ">")).contains(m);
    }

    @Test
    void prefixAndListDomainAreCaseInsensitive() {
        assertThat(Verp.decode(LIST, "DEV-Bounces+bob=example.org@LISTS.Example.COM")).contains(a("bob@example.org"));
        assertThat(Verp.decode(LIST, "dev-bounces+bob=EXAMPLE.org@lists.example.com")).contains(a("bob@example.org"));
    }

    @Test
    void notOurs() {
        assertThat(Verp.decode(LIST, "dev-bounces@lists.example.com")).isEmpty();
        assertThat(Verp.decode(LIST, "dev-bounces+bob=example.org@other.example")).isEmpty();
        assertThat(Verp.decode(LIST, "devx-bounces+bob=example.org@lists.example.com")).isEmpty();
        assertThat(Verp.decode(LIST, "dev-bounces+bob@lists.example.com")).isEmpty();
        assertThat(Verp.decode(LIST, "dev-bounces+=example.org@lists.example.com")).isEmpty();
        assertThat(Verp.decode(LIST, "dev-bounces+bob=@lists.example.com")).isEmpty();
        assertThat(Verp.decode(LIST, "dev-bounces+b%2=example.org@lists.example.com")).isEmpty();
        assertThat(Verp.decode(LIST, "dev-bounces+b%FF=example.org@lists.example.com")).isEmpty(); // not UTF-8
        assertThat(Verp.decode(LIST, "dev-bounces+bob=exa mple.org@lists.example.com")).isEmpty();
        assertThat(Verp.decode(LIST, null)).isEmpty();
    }

    @Test
    void listWithPlusInItsOwnName() {
        EmailAddress odd = a("team+x@l.example");
        String v = Verp.encode(odd, a("c+d@e.example"));
        assertThat(v).isEqualTo("team+x-bounces+c+d=e.example@l.example");
        assertThat(Verp.decode(odd, v)).contains(a("c+d@e.example"));
        assertThat(Verp.bounceAddress(odd)).isEqualTo("team+x-bounces@l.example");
    }

    @Test
    void lengthLimit() {
        assertThat(Verp.withinLocalPartLimit(Verp.encode(LIST, a("bob@example.org")))).isTrue();
        assertThat(Verp.withinLocalPartLimit(Verp.encode(LIST, a("a.very.long.member.name@a-rather-long-domain.example.org")))).isFalse();
    }
}
