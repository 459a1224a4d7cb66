package dev.sealpost.store;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.store.internal.JdbcStore;
import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The greylisting table's behaviour on every backend (subclasses give a fresh database per test). */
abstract class GreylistContract {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path dataDir;
    Store store;

    protected abstract StoreConfig freshConfig(Path dataDir, MutableClock clock) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = JdbcStore.open(freshConfig(dataDir, new MutableClock(T0)), pw -> PasswordHasher.hash(pw, 1000, 4096));
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    Greylist g() {
        return store.greylist();
    }

    @Test
    void firstAttemptCreatesAPendingRowAndRetriesCount() {
        Greylist.Entry e = g().seen("192.0.2.0/24", "Bob@Example.COM", "alice@example.org", T0, T0.plus(Duration.ofDays(1)));
        assertThat(e.firstSeen()).isEqualTo(T0);
        assertThat(e.passed()).isFalse();
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(e.sender()).isEqualTo("bob@example.com");
        assertThat(e.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(1)));

        Greylist.Entry again = g().seen("192.0.2.0/24", "bob@example.com", "ALICE@example.org", T0.plusSeconds(400), T0.plus(Duration.ofDays(2)));
        assertThat(again.firstSeen()).isEqualTo(T0);
        assertThat(again.attempts()).isEqualTo(2);
        assertThat(again.expiresAt()).as("a pending row keeps its expiry").isEqualTo(T0.plus(Duration.ofDays(1)));

        assertThat(g().find("192.0.2.0/24", "bob@example.com", "other@example.org")).isEmpty();
        assertThat(g().seen("192.0.2.0/24", "", "alice@example.org", T0, T0.plusSeconds(60)).attempts()).isEqualTo(1);
    }

    @Test
    void passKeepsTheFirstPassTimeAndExtendsExpiry() {
        g().seen("2001:db8:1:2::/64", "a@x.example", "b@y.example", T0, T0.plus(Duration.ofDays(1)));
        g().passed("2001:db8:1:2::/64", "a@x.example", "b@y.example", T0.plusSeconds(600), T0.plus(Duration.ofDays(36)));
        g().passed("2001:db8:1:2::/64", "a@x.example", "b@y.example", T0.plusSeconds(900), T0.plus(Duration.ofDays(37)));
        Greylist.Entry e = g().find("2001:db8:1:2::/64", "a@x.example", "b@y.example").orElseThrow();
        assertThat(e.passedAt()).isEqualTo(T0.plusSeconds(600));
        assertThat(e.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(37)));
        assertThat(e.attempts()).isEqualTo(1);
    }

    @Test
    void anExpiredRowStartsAfreshAndPurgeDeletesExpiredRows() {
        g().seen("198.51.100.0/24", "a@x.example", "b@y.example", T0, T0.plusSeconds(3600));
        g().passed("198.51.100.0/24", "a@x.example", "b@y.example", T0.plusSeconds(600), T0.plusSeconds(3600));
        g().seen("198.51.100.0/24", "c@x.example", "b@y.example", T0, T0.plus(Duration.ofDays(2)));

        Instant later = T0.plusSeconds(7200);
        Greylist.Entry fresh = g().seen("198.51.100.0/24", "a@x.example", "b@y.example", later, later.plusSeconds(3600));
        assertThat(fresh.firstSeen()).isEqualTo(later);
        assertThat(fresh.passed()).isFalse();
        assertThat(fresh.attempts()).isEqualTo(1);

        assertThat(g().purge(T0.plus(Duration.ofDays(1)))).isEqualTo(1);
        assertThat(g().find("198.51.100.0/24", "a@x.example", "b@y.example")).isEmpty();
        assertThat(g().find("198.51.100.0/24", "c@x.example", "b@y.example")).isPresent();
        assertThat(g().purge(T0.plus(Duration.ofDays(3)))).isEqualTo(1);
    }

    @Test
    void longValuesAreCut() {
        String longSender = "x".repeat(1000) + "@example.com";
        Greylist.Entry e = g().seen("192.0.2.0/24", longSender, "b@y.example", T0, T0.plusSeconds(60));
        assertThat(e.sender()).hasSize(Greylist.MAX_FIELD);
        assertThat(g().find("192.0.2.0/24", longSender, "b@y.example")).isPresent();
    }
}
