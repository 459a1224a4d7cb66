package dev.sealpost.auth.dmarc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FromDomainTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            user@example.com                                             | example.com
            Joe Q. Public <john.q.public@Example.COM>                    | example.com
            '"Giant; \\"Big\\" Box" <sysservices@example.net>'           | example.net
            '"a@b.evil"@example.org'                                      | example.org
            '"x@evil.example" <user@good.example>'                        | good.example
            '(comment, with @evil.example) user@example.com (more)'       | example.com
            'Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>' | silly.test
            'A Group:Ed Jones <c@a.test>,joe@A.test;'                     | a.test
            'user@example.com, other@EXAMPLE.com'                         | example.com
            'Jöe <joe@bücher.example>'                                    | xn--bcher-kva.example
            '<@route.example:user@final.example>'                         | final.example
            """)
    void singleDomain(String value, String domain) {
        assertThat(FromDomain.extract(value)).isEqualTo(new FromDomain.Single(domain));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "undisclosed-recipients:;",
            "Just A Name",
            "user",
            "user@",
            "user@[192.0.2.1]",
            "a@example.com, b@example.net",
            "<a@example.com",
            "\"unterminated <a@example.com>",
            "(unterminated a@example.com",
            "x <a@example.com> <b@example.com>",
            "a@exa mple.com",
            "a@-bad-.example",
    })
    void failures(String value) {
        assertThat(FromDomain.extract(value)).as(value).isInstanceOf(FromDomain.Failure.class);
    }

    @Test
    void fieldCount() {
        assertThat(FromDomain.extract(List.of())).isInstanceOf(FromDomain.Failure.class);
        assertThat(FromDomain.extract(List.of("a@example.com", "b@example.com"))).isInstanceOf(FromDomain.Failure.class);
        assertThat(FromDomain.extract(List.of("a@example.com"))).isEqualTo(new FromDomain.Single("example.com"));
        assertThat(FromDomain.extract("(" .repeat(100) + "x" + ")".repeat(100) + "a@example.com")).isInstanceOf(FromDomain.Failure.class);
        assertThat(FromDomain.extract("a@example.com,".repeat(200))).isInstanceOf(FromDomain.Failure.class);
    }
}
