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
        assertThat(f).isEqualTo(new SealpostConfig.Filter(true, 15, 6, 30, List.of(), List.of(), Map.of(),
                new SealpostConfig.FilterNet("", false, 30, 25 * 1024 * 1024, List.of(), true, 5, List.of(), -5, List.of(), 5,
                        false, 300, 36, List.of(), 0, 0, 6, 50), Map.of(), java.time.Duration.ofDays(1), 7));
    }

    @Test
    void networkAndOutboundKeys() {
        SealpostConfig.FilterNet n = SealpostConfig.parse(MIN + """
                [filter]
                clamd = "127.0.0.1:3310"
                clamd_unavailable = "accept"
                clamd_timeout_seconds = 10
                dnsbl = ["ZEN.spamhaus.org"]
                dnsbl_policy = "score"
                dnsbl_weight = 7.5
                dnswl = ["list.dnswl.org"]
                uribl = ["multi.surbl.org"]
                greylist = true
                greylist_delay_seconds = 60
                greylist_remember_days = 10
                greylist_allow = ["192.0.2.0/24", "@partner.example", "ceo@example.org", "bank.example"]
                submission_messages_per_hour = 100
                submission_recipients_per_hour = 500
                outbound_spam_score = 5
                outbound_hold_recipients = 20
                """, BASE).filter().net();
        assertThat(n.clamd()).isEqualTo("127.0.0.1:3310");
        assertThat(n.clamdAccept()).isTrue();
        assertThat(n.clamdTimeoutSeconds()).isEqualTo(10);
        assertThat(n.dnsbl()).containsExactly("zen.spamhaus.org");
        assertThat(n.dnsblReject()).isFalse();
        assertThat(n.dnsblWeight()).isEqualTo(7.5);
        assertThat(n.dnswl()).containsExactly("list.dnswl.org");
        assertThat(n.uribl()).containsExactly("multi.surbl.org");
        assertThat(n.greylist()).isTrue();
        assertThat(n.greylistDelaySeconds()).isEqualTo(60);
        assertThat(n.greylistRememberDays()).isEqualTo(10);
        assertThat(n.greylistAllow()).hasSize(4);
        assertThat(n.messagesPerHour()).isEqualTo(100);
        assertThat(n.recipientsPerHour()).isEqualTo(500);
        assertThat(n.outboundSpamScore()).isEqualTo(5.0);
        assertThat(n.outboundHoldRecipients()).isEqualTo(20);
    }

    @Test
    void badNetworkValuesNameTheKey() {
        for (String[] c : new String[][] {
                {"clamd = \"clamd.example:3310\"", "filter.clamd"},
                {"clamd = \"nope\"", "filter.clamd"},
                {"clamd_unavailable = \"ignore\"", "filter.clamd_unavailable"},
                {"dnsbl_policy = \"drop\"", "filter.dnsbl_policy"},
                {"dnsbl = [\"not a zone\"]", "filter.dnsbl"},
                {"uribl = [\"localhost\"]", "filter.uribl"},
                {"greylist_allow = [\"not valid!\"]", "filter.greylist_allow"},
                {"submission_messages_per_hour = -1", "filter.submission_messages_per_hour"}}) {
            assertThatThrownBy(() -> SealpostConfig.parse(MIN + "[filter]\n" + c[0] + "\n", BASE)).as(c[0])
                    .isInstanceOf(ConfigException.class).hasMessageContaining("key '" + c[1] + "'");
        }
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

    @Test
    void perDomainAndPerAddressOverrides() {
        SealpostConfig.Filter f = SealpostConfig.parse(MIN + """
                [filter]
                reject_score = 15
                junk_score = 6
                [filter.overrides]
                "Example.COM" = { reject_score = 25, junk_score = 9 }
                "ceo@example.com" = { junk_score = 3 }
                """, BASE).filter();
        assertThat(f.overrides()).containsEntry("example.com", new SealpostConfig.Thresholds(25, 9))
                .containsEntry("ceo@example.com", new SealpostConfig.Thresholds(15, 3));
        assertThatThrownBy(() -> SealpostConfig.parse(MIN + "[filter.overrides]\n\"example.com\" = { spam = 3 }\n", BASE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("filter.overrides.\"example.com\".spam");
        assertThatThrownBy(() -> SealpostConfig.parse(MIN + "[filter.overrides]\n\"example.com\" = { junk_score = 30 }\n", BASE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("filter.overrides.\"example.com\".junk_score");
        assertThatThrownBy(() -> SealpostConfig.parse(MIN + "[filter.overrides]\n\"not a domain\" = { junk_score = 3 }\n", BASE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("filter.overrides.\"not a domain\"");
    }
}
