package dev.sealpost.auth.bimi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;

class BimiRecordTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            v=BIMI1; l=https://example.com/logo.svg                                  | https://example.com/logo.svg |
            v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem;  | https://example.com/logo.svg | https://example.com/vmc.pem
            v=BIMI1;l=https://example.com/l.svg;a=;                                  | https://example.com/l.svg    |
            v = BIMI1 ; l = https://example.com/l.svg ; x=unknown                    | https://example.com/l.svg    |
            v=BIMI1; a=https://e.example/vmc.pem; l=https://e.example/l.svg           | https://e.example/l.svg      | https://e.example/vmc.pem
            v=BIMI1; l=; a=https://e.example/vmc.pem                                  |                              | https://e.example/vmc.pem
            """)
    void valid(String txt, String location, String evidence) {
        BimiRecord.Parsed p = BimiRecord.parse(txt);
        assertThat(p).isInstanceOf(BimiRecord.Valid.class);
        BimiRecord r = ((BimiRecord.Valid) p).record();
        assertThat(r.location()).isEqualTo(location == null ? null : URI.create(location));
        assertThat(r.evidence()).isEqualTo(evidence == null ? null : URI.create(evidence));
        assertThat(r.declined()).isFalse();
        assertThat(BimiRecord.parse(r.toText())).isEqualTo(p);
    }

    @Test
    void declination() {
        // §5.2.1: "v=BIMI1; l=; a=;" is an explicit refusal
        for (String txt : new String[] {"v=BIMI1; l=; a=;", "v=BIMI1; l=", "v=BIMI1;l=;"}) {
            assertThat(BimiRecord.parse(txt)).as(txt).isInstanceOfSatisfying(BimiRecord.Valid.class, v -> assertThat(v.record().declined()).isTrue());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            l=https://example.com/l.svg; v=BIMI1                          | does not start with v=BIMI1
            v=bimi1; l=https://example.com/l.svg                          | does not start with v=BIMI1
            V=BIMI1; l=https://example.com/l.svg                          | does not start with v=BIMI1
            v=BIMI2; l=https://example.com/l.svg                          | does not start with v=BIMI1
            v=BIMI1                                                       | no l= tag
            v=BIMI1; a=https://example.com/vmc.pem                        | no l= tag
            v=BIMI1; l=http://example.com/l.svg                           | not an https URI
            v=BIMI1; l=https://example.com/l.svg; a=http://e.example/a    | not an https URI
            v=BIMI1; l=https://a.example/1.svg,https://b.example/2.svg    | more than one URI
            v=BIMI1; l=example.com/l.svg                                  | not an https URI
            v=BIMI1; l=https:///l.svg                                     | no host name
            v=BIMI1; l=https://user@example.com/l.svg                     | user information
            v=BIMI1; l=https://example.com/l.svg; l=https://x.example/y   | duplicate tag
            v=BIMI1; l=https://example.com/l svg                          | white space
            v=BIMI1; l=https://[::1]/l.svg                                | no host name
            """)
    void invalid(String txt, String reason) {
        assertThat(BimiRecord.parse(txt)).isInstanceOfSatisfying(BimiRecord.Invalid.class, i -> assertThat(i.reason()).contains(reason));
    }

    @Test
    void bounded() {
        assertThat(BimiRecord.parse("v=BIMI1; l=https://example.com/" + "a".repeat(5000))).isInstanceOf(BimiRecord.Invalid.class);
        assertThat(BimiRecord.parse("v=BIMI1; l=https://example.com/" + "a".repeat(1000))).isInstanceOfSatisfying(BimiRecord.Invalid.class,
                i -> assertThat(i.reason()).contains("longer than"));
        assertThat(BimiRecord.parse(null)).isInstanceOf(BimiRecord.Invalid.class);
    }

    @Test
    void discoveryFilter() {
        // §8.2 step 4: only records starting with the v=BIMI1 tag take part
        assertThat(BimiRecord.isBimiRecord("v=BIMI1; l=")).isTrue();
        assertThat(BimiRecord.isBimiRecord("  v = BIMI1")).isTrue();
        assertThat(BimiRecord.isBimiRecord("v=BIMI10; l=")).isFalse();
        assertThat(BimiRecord.isBimiRecord("v=spf1 -all")).isFalse();
        assertThat(BimiRecord.isBimiRecord("")).isFalse();
    }
}
