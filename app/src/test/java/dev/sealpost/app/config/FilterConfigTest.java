package dev.sealpost.app.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code [filter]}: defaults, overrides, weight table, and bad values naming their key. */
class FilterConfigTest {
    private static final Path BASE = Path.of("/srv/sealpost");
    private static final String MIN = "[server]\ndata_dir = \"data\"\n[listeners]\nsubmission = \"\"\nsubmissions = \"\"\nimap = \"\"\nimaps = \"\"\npop3 = \"\"\npop3s = \"\"\n";

    @Test
    void defaults() {
        SealpostConfig.Filter f = SealpostConfig.parse(MIN, BASE).filter();
        assertThat(f).isEqualTo(new SealpostConfig.Filter(true, 15, 6, 30, List.of(), List.of(), Map.of()));
    }

    @Test
    void overridesAndWeights() {
        SealpostConfig.Filter f = SealpostConfig.parse(MIN + """
                [filter]
                enabled = false
                reject_score = 20.5
                junk_score = 5
                quarantine_days = 7
                protect = ["PayPal.com"]
                vips = ["Ana Kartapuce <ana@example.com>"]
                [filter.weights]
                phishing_link = 6.5
                bayes_spam = 8
                """, BASE).filter();
        assertThat(f.enabled()).isFalse();
        assertThat(f.rejectScore()).isEqualTo(20.5);
        assertThat(f.junkScore()).isEqualTo(5.0);
        assertThat(f.quarantineDays()).isEqualTo(7);
        assertThat(f.protect()).containsExactly("paypal.com");
        assertThat(f.vips()).containsExactly("Ana Kartapuce <ana@example.com>");
        assertThat(f.weights()).containsEntry("phishing_link", 6.5).containsEntry("bayes_spam", 8.0);
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> SealpostConfig.parse(MIN + "[filter]\njunk_score = 20\n", BASE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'filter.junk_score'");
        assertThatThrownBy(() -> SealpostConfig.parse(MIN + "[filter]\nvips = [\"ana@example.com\"]\n", BASE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'filter.vips'");
        assertThatThrownBy(() -> SealpostConfig.parse(MIN + "[filter.weights]\nbayes_spam = \"high\"\n", BASE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'filter.weights.bayes_spam'");
        assertThatThrownBy(() -> SealpostConfig.parse(MIN + "[filter]\nquarantine_days = 0\n", BASE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'filter.quarantine_days'");
    }
}
