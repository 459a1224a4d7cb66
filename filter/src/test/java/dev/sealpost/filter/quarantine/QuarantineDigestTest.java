package dev.sealpost.filter.quarantine;

import dev.sealpost.store.Quarantine;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** When digests go out (only with something new, at most once per interval) and what they hold. */
class QuarantineDigestTest {
    static final Instant T0 = Instant.parse("2026-12-08T00:00:00Z");

    static void hold(Store s, long queueId, String subject, Instant at) {
        assertThat(s.quarantine().hold(new Quarantine.NewEntry(queueId, 5, "alice@example.test", "bad@far.test", "Bad <bad@far.test>",
                subject, "quarantine", "14.0", "dangerous_attachment 8.0 x.zip/x.exe\ndouble_extension 6.0 x.pdf.exe\n", "s1",
                ("Subject: " + subject + "\r\n\r\nSECRET BODY TEXT\r\n").getBytes(StandardCharsets.UTF_8), at, at.plus(Duration.ofDays(30))))).isTrue();
    }

    static List<String> digests(Store s) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        for (Spool.QueuedMessage m : s.spool().list(100)) {
            if (!"quarantine-digest".equals(m.envelope().sessionId())) continue;
            assertThat(m.envelope().mailFrom()).isEmpty();
            assertThat(m.recipients()).extracting(Spool.QueuedRecipient::address).containsExactly("alice@example.test");
            try (InputStream in = s.blobs().open(m.blob().id())) {
                out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Test
    void aDigestOnlyWithSomethingNewAndAtMostOncePerInterval(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock(T0);
        try (Store s = Store.open(StoreConfig.sqlite(dir))) {
            QuarantineTokens tokens = new QuarantineTokens(QuarantineTokens.key(dir.resolve("quarantine")));
            QuarantineDigest d = new QuarantineDigest(s, tokens, new QuarantineDigest.Settings(Duration.ofDays(1), Duration.ofDays(7),
                    "https://mx.example.test"), clock, null);
            assertThat(d.sendDue(false)).isZero(); // nothing held
            hold(s, 1, "First held", T0);
            assertThat(d.sendDue(false)).isEqualTo(1);
            assertThat(d.sendDue(false)).isZero(); // nothing new
            clock.advance(Duration.ofHours(2));
            hold(s, 2, "Second held", clock.instant());
            assertThat(d.sendDue(false)).isZero(); // new, but the last digest is 2 hours old
            clock.advance(Duration.ofDays(1));
            assertThat(d.sendDue(false)).isEqualTo(1);
            assertThat(d.sendDue(true)).isZero(); // forced, but nothing new

            List<String> all = digests(s);
            assertThat(all).hasSize(2);
            String second = all.get(1);
            assertThat(second).contains("From: Mail filter <postmaster@example.test>\r\n").contains("Auto-Submitted: auto-generated\r\n")
                    .contains("Subject: Quarantine digest: 1 new, 2 held\r\n").contains("* NEW  2026-12-08 02:00 UTC\r\n")
                    .contains("  Subject: First held\r\n").contains("  Subject: Second held\r\n")
                    .contains("  Reason:  quarantine, score 14.0 (dangerous_attachment, double_extension)\r\n")
                    .doesNotContain("SECRET BODY TEXT").doesNotContain("x.zip/x.exe");
            // each link's token is valid for its entry and action, until 7 days from now
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Release: https://mx\\.example\\.test/quarantine/([A-Za-z0-9_-]+)").matcher(second);
            assertThat(m.find()).isTrue();
            QuarantineTokens.Check c = tokens.check(m.group(1), clock.instant());
            assertThat(c).isInstanceOf(QuarantineTokens.Check.Valid.class);
            QuarantineTokens.Check.Valid v = (QuarantineTokens.Check.Valid) c;
            assertThat(v.action()).isEqualTo(QuarantineTokens.Action.RELEASE);
            assertThat(v.expires()).isEqualTo(clock.instant().plus(Duration.ofDays(7)));
            assertThat(s.quarantine().get(v.entryId()).orElseThrow().subject()).isEqualTo("Second held");
        }
    }
}
