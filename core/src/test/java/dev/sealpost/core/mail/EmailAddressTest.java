package dev.sealpost.core.mail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmailAddressTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # input                          | local part     | domain                   | toString
            alice@example.com                | alice          | example.com              | alice@example.com
            Alice.Smith@Example.COM          | Alice.Smith    | example.com              | Alice.Smith@example.com
            first.last+tag@sub.example.org   | first.last+tag | sub.example.org          | first.last+tag@sub.example.org
            `"john doe"@example.com`         | john doe       | example.com              | `"john doe"@example.com`
            `"a\\"b"@example.com`            | a"b            | example.com              | `"a\\"b"@example.com`
            `"a@b"@example.com`              | a@b            | example.com              | `"a@b"@example.com`
            `"a..b"@example.com`             | a..b           | example.com              | `"a..b"@example.com`
            `"plain"@example.com`            | plain          | example.com              | plain@example.com
            user@bücher.example              | user           | xn--bcher-kva.example    | user@xn--bcher-kva.example
            user@XN--BCHER-KVA.example       | user           | xn--bcher-kva.example    | user@xn--bcher-kva.example
            δοκιμή@παράδειγμα.δοκιμή         | δοκιμή         | xn--hxajbheg2az3al.xn--jxalpdlp | δοκιμή@xn--hxajbheg2az3al.xn--jxalpdlp
            x@example.com.                   | x              | example.com              | x@example.com
            """)
    void valid(String input, String local, String domain, String text) {
        EmailAddress a = EmailAddress.parse(input).orElseThrow(() -> new AssertionError("rejected: " + input));
        assertThat(a.localPart()).isEqualTo(local);
        assertThat(a.domain()).isEqualTo(domain);
        assertThat(a.toString()).isEqualTo(text);
        assertThat(EmailAddress.parse(a.toString())).contains(a); // round trip
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "",
            "plain",
            "a..b@x.com",
            ".a@x.com",
            "a.@x.com",
            "@x.com",
            "x@",
            "@",
            "x@-bad-.com",
            "x@bad-.com",
            "x@-bad.com",
            "x@exa_mple.com",
            "x@exa mple.com",
            "x@a..com",
            "x@.com",
            "x@[192.0.2.1]",
            "a b@x.com",
            "a\"b@x.com",
            "a@b@x.com",
            "\"unterminated@x.com",
            "\"\"@x.com",
            "\"a\\\"@x.com",
            "\"tab\there\"@x.com",
            "a(comment)@x.com",
            "a\u0000b@x.com",
    })
    void invalid(String input) {
        assertThat(EmailAddress.parse(input)).isEmpty();
    }

    @Test
    void everyAtextCharacterIsAllowedUnquoted() {
        String atext = "!#$%&'*+-/=?^_`{|}~";
        EmailAddress a = EmailAddress.parse(atext + "@example.com").orElseThrow();
        assertThat(a.localPart()).isEqualTo(atext);
        assertThat(a.toString()).isEqualTo(atext + "@example.com");
    }

    @Test
    void nullIsInvalid() {
        assertThat(EmailAddress.parse(null)).isEmpty();
    }

    @Test
    void localPartLimitIs64Octets() {
        assertThat(EmailAddress.parse("a".repeat(64) + "@x.com")).isPresent();
        assertThat(EmailAddress.parse("a".repeat(65) + "@x.com")).isEmpty();
        // octets, not characters: 32 two-octet characters fit, 33 do not
        assertThat(EmailAddress.parse("é".repeat(32) + "@x.com")).isPresent();
        assertThat(EmailAddress.parse("é".repeat(33) + "@x.com")).isEmpty();
    }

    @Test
    void labelAndDomainLimits() {
        assertThat(EmailAddress.parse("x@" + "a".repeat(63) + ".com")).isPresent();
        assertThat(EmailAddress.parse("x@" + "a".repeat(64) + ".com")).isEmpty();
        String longDomain = ("a".repeat(60) + ".").repeat(5) + "com"; // 308 octets
        assertThat(EmailAddress.parse("x@" + longDomain)).isEmpty();
    }

    @Test
    void canonicalLowerCasesTheLocalPart() {
        assertThat(EmailAddress.parse("Alice@Example.COM").orElseThrow().canonical()).isEqualTo("alice@example.com");
    }

    @Test
    void constructorRejectsEmptyParts() {
        assertThatThrownBy(() -> new EmailAddress("", "x.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EmailAddress("a", "")).isInstanceOf(IllegalArgumentException.class);
    }
}
