package dev.sealpost.tlspolicy.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

class MtaStsRecordTest {
    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            // RFC 8461 §3.1 example
            "v=STSv1; id=20160831085700Z;|20160831085700Z",
            "v=STSv1; id=20160831085700Z|20160831085700Z",
            "v=STSv1;id=abc|abc",
            "'v=STSv1 ; id=abc ;'|abc",
            "'v=STSv1;\tid=abc;\text=value'|abc",
            "v=STSv1; foo=bar; id=Z9|Z9",
            "v=STSv1; id=12345678901234567890123456789012|12345678901234567890123456789012",
            // invalid
            "v=STSv1|",
            "v=STSv1;|",
            "v=STSv1; id=|",
            "v=STSv1; id=abc-def|",
            "v=STSv1; id=123456789012345678901234567890123|",
            "v=STSv2; id=abc|",
            "V=STSv1; id=abc|",
            "v=STSv1; ID=abc|",
            "v=STSv1; id=a; id=b|",
            "v=STSv1; id=abc;; x=y|",
            "v=STSv1; id=abc; =x|",
            "v=STSv1; id=abc; x=|",
            "v=STSv1; id=abc; x=a b|",
            "v=STSv1; id=abc; x=a=b|",
            "' v=STSv1; id=abc'|",
            "v=STSv1x; id=abc|",
            "v=STSv1 x; id=abc|",
    })
    void parse(String txt, String id) {
        MtaStsRecord.Parsed p = MtaStsRecord.parse(txt);
        if (id == null) {
            assertThat(p).isInstanceOf(MtaStsRecord.Invalid.class);
        } else {
            assertThat(p).isInstanceOf(MtaStsRecord.Valid.class);
            assertThat(((MtaStsRecord.Valid) p).record().id()).isEqualTo(id);
        }
    }

    @Test
    void extensionsKeptAndCanonicalTextParsesBack() {
        MtaStsRecord r = ((MtaStsRecord.Valid) MtaStsRecord.parse("v=STSv1; ext=1; id=abc; other=x")).record();
        assertThat(r.extensions()).containsEntry("ext", "1").containsEntry("other", "x");
        assertThat(r.toText()).isEqualTo("v=STSv1; id=abc; ext=1; other=x;");
        assertThat(MtaStsRecord.parse(r.toText())).isEqualTo(new MtaStsRecord.Valid(r));
    }

    @Test
    void selectIgnoresOtherTxtAndRefusesSeveralRecords() {
        assertThat(MtaStsRecord.select(List.of("v=spf1 -all", "v=STSv1; id=one"))).map(MtaStsRecord::id).contains("one");
        // RFC 8461 §3.1: multiple records -> no policy
        assertThat(MtaStsRecord.select(List.of("v=STSv1; id=one", "v=STSv1; id=two"))).isEmpty();
        assertThat(MtaStsRecord.select(List.of("v=STSv1; id=one", "v=STSv1; bad"))).isEmpty();
        assertThat(MtaStsRecord.select(List.of("v=STSv1; id=bad!"))).isEmpty();
        assertThat(MtaStsRecord.select(List.of())).isEmpty();
        assertThat(MtaStsRecord.lookupName("example.com")).isEqualTo("_mta-sts.example.com");
    }
}
