package dev.sealpost.lists.post;

import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnsubscribeTokenTest {
    static final byte[] OLD = "old-secret-old-secret-old-secret-0".getBytes(StandardCharsets.US_ASCII);
    static final byte[] NEW = "new-secret-new-secret-new-secret-1".getBytes(StandardCharsets.US_ASCII);
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));

    @Test
    void validUntilExpiryThenExpired() {
        UnsubscribeToken t = new UnsubscribeToken(List.of(NEW), clock, Duration.ofDays(120));
        String token = t.issue("dev.lists.example.com", "Bob@Example.org");
        assertThat(token).matches("v1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(t.verify("dev.lists.example.com", token)).isEqualTo(new UnsubscribeToken.Check.Valid("dev.lists.example.com",
                "bob@example.org", Instant.parse("2027-04-06T12:00:00Z")));
        clock.advance(Duration.ofDays(120).minusSeconds(1));
        assertThat(t.verify("dev.lists.example.com", token)).isInstanceOf(UnsubscribeToken.Check.Valid.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(t.verify("dev.lists.example.com", token)).isInstanceOf(UnsubscribeToken.Check.Expired.class);
    }

    @Test
    void rotationKeepsOldTokensWorkingUntilTheOldSecretIsDropped() {
        String oldToken = new UnsubscribeToken(List.of(OLD), clock, Duration.ofDays(30)).issue("l.example", "a@b.example");
        UnsubscribeToken rotated = new UnsubscribeToken(List.of(NEW, OLD), clock, Duration.ofDays(30));
        assertThat(rotated.verify("l.example", oldToken)).isInstanceOf(UnsubscribeToken.Check.Valid.class);
        String newToken = rotated.issue("l.example", "a@b.example");
        assertThat(newToken).isNotEqualTo(oldToken);
        UnsubscribeToken retired = new UnsubscribeToken(List.of(NEW), clock, Duration.ofDays(30));
        assertThat(retired.verify("l.example", newToken)).isInstanceOf(UnsubscribeToken.Check.Valid.class);
        assertThat(retired.verify("l.example", oldToken)).isInstanceOf(UnsubscribeToken.Check.Invalid.class);
    }

    @Test
    void forgeriesAndOtherListsAreRefused() {
        UnsubscribeToken t = new UnsubscribeToken(List.of(NEW), clock, Duration.ofDays(30));
        String token = t.issue("l.example", "a@b.example");
        String[] p = token.split("\\.");
        // another member's payload under this MAC
        String other = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(("l.example\0c@b.example\0" + Long.MAX_VALUE / 2).getBytes());
        assertThat(t.verify("l.example", p[0] + "." + p[1] + "." + other + "." + p[3])).isEqualTo(new UnsubscribeToken.Check.Invalid("bad MAC"));
        char last = p[3].charAt(5);
        String flipped = p[3].substring(0, 5) + (last == 'A' ? 'B' : 'A') + p[3].substring(6);
        assertThat(t.verify("l.example", p[0] + "." + p[1] + "." + p[2] + "." + flipped)).isInstanceOf(UnsubscribeToken.Check.Invalid.class);
        assertThat(t.verify("other.example", token)).isEqualTo(new UnsubscribeToken.Check.WrongList("l.example"));
        assertThat(t.verify("l.example", "v1.x.y")).isInstanceOf(UnsubscribeToken.Check.Invalid.class);
        assertThat(t.verify("l.example", "v1.%%.y.z")).isInstanceOf(UnsubscribeToken.Check.Invalid.class);
        assertThat(t.verify("l.example", "x".repeat(2000))).isInstanceOf(UnsubscribeToken.Check.Invalid.class);
        assertThat(t.verify("l.example", null)).isInstanceOf(UnsubscribeToken.Check.Invalid.class);
        // a token made with another secret of the same length is not ours
        String foreign = new UnsubscribeToken(List.of(OLD), clock, Duration.ofDays(30)).issue("l.example", "a@b.example");
        assertThat(t.verify("l.example", foreign)).isInstanceOf(UnsubscribeToken.Check.Invalid.class);
    }

    @Test
    void configurationFaults() {
        assertThatThrownBy(() -> new UnsubscribeToken(List.of(), clock, Duration.ofDays(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UnsubscribeToken(List.of(new byte[8]), clock, Duration.ofDays(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UnsubscribeToken(List.of(NEW), clock, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
