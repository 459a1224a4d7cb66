package dev.sealpost.filter;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VerdictTest {
    private static Check fixed(String name, Hit... hits) {
        return new Check() {
            public String name() { return name; }
            public List<Hit> run(FilterInput input) { return List.of(hits); }
        };
    }

    private static final FilterInput INPUT = FilterInput.offline("Subject: x\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII));

    @Test
    void scoreDecidesWithoutHitActions() {
        FilterSettings s = FilterSettings.defaults();
        assertThat(new Pipeline(List.of(fixed("a", new Hit("a", 2.5, ""))), s).run(INPUT).action()).isEqualTo(Verdict.Action.INBOX);
        Verdict junk = new Pipeline(List.of(fixed("a", new Hit("a", 2.5, "")), fixed("b", new Hit("b", 3.5, "x"))), s).run(INPUT);
        assertThat(junk.action()).isEqualTo(Verdict.Action.JUNK);
        assertThat(junk.score()).isEqualTo(6.0);
        assertThat(junk.spamStatusField()).isEqualTo("X-Spam-Status: Yes, score=6.0 required=6.0 tests=a,b\r\n");
        assertThat(junk.spamFlagField()).isEqualTo("X-Spam-Flag: YES\r\n");
        Verdict reject = new Pipeline(List.of(fixed("a", new Hit("a", 20, ""))), s).run(INPUT);
        assertThat(reject.action()).isEqualTo(Verdict.Action.REJECT);
    }

    @Test
    void dangerousAttachmentQuarantinesWhateverTheScore() {
        FilterSettings s = FilterSettings.defaults();
        Verdict low = new Pipeline(List.of(fixed("d", new Hit("dangerous_attachment", 0.5, "exe"))), s).run(INPUT);
        assertThat(low.action()).isEqualTo(Verdict.Action.QUARANTINE);
        assertThat(low.isSpam()).isFalse();
        assertThat(low.spamStatusField()).startsWith("X-Spam-Status: No, score=0.5 required=6.0 tests=dangerous_attachment");
        assertThat(low.spamFlagField()).isEmpty();
        Verdict high = new Pipeline(List.of(fixed("d", new Hit("dangerous_attachment", 8, "exe")), fixed("x", new Hit("x", 30, ""))), s).run(INPUT);
        assertThat(high.action()).isEqualTo(Verdict.Action.QUARANTINE);
    }

    @Test
    void junkHitActionRaisesButNeverLowers() {
        FilterSettings s = new FilterSettings(15, 6, Map.of(), Map.of("j", Verdict.Action.JUNK));
        assertThat(new Pipeline(List.of(fixed("j", new Hit("j", 0, ""))), s).run(INPUT).action()).isEqualTo(Verdict.Action.JUNK);
        assertThat(new Pipeline(List.of(fixed("j", new Hit("j", 16, ""))), s).run(INPUT).action()).isEqualTo(Verdict.Action.REJECT);
    }

    @Test
    void weightOverridesAndFailingChecks() {
        FilterSettings s = FilterSettings.defaults().withWeights(Map.of("a", 7.25));
        Check boom = new Check() {
            public String name() { return "boom"; }
            public List<Hit> run(FilterInput input) { throw new IllegalStateException("bug"); }
        };
        Verdict v = new Pipeline(List.of(fixed("a", new Hit("a", 1, "one")), boom), s).run(INPUT);
        assertThat(v.score()).isEqualTo(7.25);
        assertThat(v.hits()).containsExactly(new Hit("a", 7.25, "one"), new Hit("check_failed", 0, "boom: IllegalStateException"));
        assertThat(v.action()).isEqualTo(Verdict.Action.JUNK);
    }

    @Test
    void noHitsAndFolding() {
        Verdict none = new Pipeline(List.of(), FilterSettings.defaults()).run(INPUT);
        assertThat(none.spamStatusField()).isEqualTo("X-Spam-Status: No, score=0.0 required=6.0 tests=none\r\n");
        List<Check> many = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) many.add(fixed("c" + i, new Hit("some_long_check_name_" + i, 1, "")));
        String f = new Pipeline(many, FilterSettings.defaults()).run(INPUT).spamStatusField();
        for (String line : f.split("\r\n")) assertThat(line.length()).isLessThanOrEqualTo(78);
        assertThat(f.replace("\r\n\t", "")).contains("tests=some_long_check_name_0,some_long_check_name_1,");
        assertThat(Verdict.number(-1.5)).isEqualTo("-1.5");
        assertThat(Verdict.number(12)).isEqualTo("12.0");
    }
}
