package dev.sealpost.core.mail;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class DomainTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            example.com            | example.com
            EXAMPLE.Com            | example.com
            example.com.           | example.com
            a-b.c-d.example        | a-b.c-d.example
            1.2.3.example          | 1.2.3.example
            bücher.example         | xn--bcher-kva.example
            BÜCHER.example         | xn--bcher-kva.example
            xn--bcher-kva.example  | xn--bcher-kva.example
            münchen.de             | xn--mnchen-3ya.de
            例え.jp                 | xn--r8jz45g.jp
            localhost              | localhost
            """)
    void toAscii(String input, String expected) {
        assertThat(Domain.toAscii(input)).contains(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", ".", "-bad-.com", "bad-.com", "-bad.com", "a..b", ".a", "a_b.com", "a b.com",
            "[127.0.0.1]", "exa/mple.com", "a@b.com"})
    void invalid(String input) {
        assertThat(Domain.toAscii(input)).isEmpty();
    }
}
