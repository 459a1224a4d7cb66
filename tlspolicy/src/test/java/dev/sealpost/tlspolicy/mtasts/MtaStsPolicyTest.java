package dev.sealpost.tlspolicy.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.tlspolicy.mtasts.MtaStsPolicy.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

class MtaStsPolicyTest {
    static MtaStsPolicy valid(String text) {
        MtaStsPolicy.Parsed p = MtaStsPolicy.parse(text);
        assertThat(p).as(text).isInstanceOf(MtaStsPolicy.Valid.class);
        return ((MtaStsPolicy.Valid) p).policy();
    }

    static String invalid(String text) {
        MtaStsPolicy.Parsed p = MtaStsPolicy.parse(text);
        assertThat(p).as(text).isInstanceOf(MtaStsPolicy.Invalid.class);
        return ((MtaStsPolicy.Invalid) p).reason();
    }

    @Test
    void rfcExampleWithCrlfAndLf() {
        // RFC 8461 §3.2 example
        String rfc = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n";
        MtaStsPolicy p = valid(rfc);
        assertThat(p.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(p.mx()).containsExactly("mail.example.com", "*.example.net", "backupmx.example.com");
        assertThat(p.maxAgeSeconds()).isEqualTo(604800);
        assertThat(valid(rfc.replace("\r\n", "\n"))).isEqualTo(p);
        assertThat(valid(rfc.replace("\r\n", "\n").strip())).isEqualTo(p); // no final terminator
        assertThat(MtaStsPolicy.parse(rfc.getBytes(StandardCharsets.UTF_8))).isEqualTo(new MtaStsPolicy.Valid(p));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "no version|mode: enforce\\nmx: a.example\\nmax_age: 1",
            "version STSv2|version: STSv2\\nmode: enforce\\nmx: a.example\\nmax_age: 1",
            "no mode|version: STSv1\\nmx: a.example\\nmax_age: 1",
            "bad mode|version: STSv1\\nmode: Enforce\\nmx: a.example\\nmax_age: 1",
            "no max_age|version: STSv1\\nmode: enforce\\nmx: a.example",
            "max_age 11 digits|version: STSv1\\nmode: enforce\\nmx: a.example\\nmax_age: 12345678901",
            "max_age negative|version: STSv1\\nmode: enforce\\nmx: a.example\\nmax_age: -1",
            "no mx in enforce|version: STSv1\\nmode: enforce\\nmax_age: 1",
            "no mx in testing|version: STSv1\\nmode: testing\\nmax_age: 1",
            "bad mx|version: STSv1\\nmode: enforce\\nmx: a..example\\nmax_age: 1",
            "partial wildcard|version: STSv1\\nmode: enforce\\nmx: mx*.example\\nmax_age: 1",
            "double wildcard|version: STSv1\\nmode: enforce\\nmx: *.*.example\\nmax_age: 1",
            "no colon|version: STSv1\\nmode enforce\\nmx: a.example\\nmax_age: 1",
            "empty value|version: STSv1\\nmode: enforce\\nmx: a.example\\nmax_age: 1\\nx:",
            "bad key|version: STSv1\\nmode: enforce\\nmx: a.example\\nmax_age: 1\\n-x: y",
            "bare CR|version: STSv1\\rmode: enforce\\nmx: a.example\\nmax_age: 1",
    })
    void invalidPolicies(String what, String text) {
        invalid(text.replace("\\n", "\n").replace("\\r", "\r"));
    }

    @Test
    void noneModeNeedsNoMxAndUnknownFieldsAreIgnored() {
        MtaStsPolicy p = valid("version: STSv1\nmode: none\nmax_age: 86400\nfuture_field: some value\n");
        assertThat(p.mode()).isEqualTo(Mode.NONE);
        assertThat(p.mx()).isEmpty();
        assertThat(p.extensions()).containsEntry("future_field", "some value");
    }

    @Test
    void leniencies() {
        // max_age above one year is capped (RFC 8461 §3.2 maximum 31557600)
        assertThat(valid("version: STSv1\nmode: testing\nmx: a.example\nmax_age: 9999999999").maxAgeSeconds()).isEqualTo(31_557_600L);
        // blank lines, trailing whitespace, case-folded and trailing-dot mx patterns
        MtaStsPolicy p = valid("version: STSv1  \n\nmode:\tenforce\nmx: MX.Example.COM.\nmax_age: 0\n\n");
        assertThat(p.mx()).containsExactly("mx.example.com");
        // first value of a repeated field counts
        assertThat(valid("version: STSv1\nmode: testing\nmode: enforce\nmx: a.example\nmax_age: 5").mode()).isEqualTo(Mode.TESTING);
        // IDN mx patterns become A-labels
        assertThat(valid("version: STSv1\nmode: testing\nmx: *.bücher.example\nmax_age: 5").mx()).containsExactly("*.xn--bcher-kva.example");
    }

    @Test
    void sizeAndEncodingLimits() {
        StringBuilder big = new StringBuilder("version: STSv1\nmode: testing\nmx: a.example\nmax_age: 5\n");
        while (big.length() <= MtaStsPolicy.MAX_BYTES) big.append("x: ").append("y".repeat(100)).append('\n');
        assertThat(MtaStsPolicy.parse(big.toString().getBytes(StandardCharsets.US_ASCII))).isInstanceOf(MtaStsPolicy.Invalid.class);
        byte[] latin1 = "version: STSv1\nmode: testing\nmx: a.example\nmax_age: 5\nx: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(MtaStsPolicy.parse(latin1)).isEqualTo(new MtaStsPolicy.Invalid("policy is not UTF-8"));
    }

    @ParameterizedTest(name = "[{index}] {0} ~ {1} = {2}")
    @CsvSource({
            // RFC 8461 §4.1
            "*.example.com, mail.example.com, true",
            "*.example.com, MAIL.Example.Com., true",
            "*.example.com, example.com, false",
            "*.example.com, a.mail.example.com, false",
            "*.example.com, mailexample.com, false",
            "*.example.com, .example.com, false",
            "mail.example.com, mail.example.com, true",
            "mail.example.com, Mail.Example.com., true",
            "mail.example.com, mail2.example.com, false",
            "mail.example.com, x.mail.example.com, false",
    })
    void mxMatching(String pattern, String host, boolean expected) {
        MtaStsPolicy p = new MtaStsPolicy(Mode.ENFORCE, List.of(pattern), 60, java.util.Map.of());
        assertThat(p.mxMatches(host)).isEqualTo(expected);
        assertThat(MtaStsResolver.mxMatches(p, host)).isEqualTo(expected);
    }

    @Test
    void toTextForHostingParsesBack() {
        MtaStsPolicy p = new MtaStsPolicy(Mode.ENFORCE, List.of("mx1.example.org", "*.mx.example.org"), 604800, java.util.Map.of());
        String text = p.toText();
        assertThat(text).isEqualTo("version: STSv1\r\nmode: enforce\r\nmx: mx1.example.org\r\nmx: *.mx.example.org\r\nmax_age: 604800\r\n");
        assertThat(valid(text)).isEqualTo(p);
        MtaStsPolicy none = new MtaStsPolicy(Mode.NONE, List.of(), 86400, java.util.Map.of());
        assertThat(valid(none.toText())).isEqualTo(none);
    }
}
