package dev.sealpost.filter.net;

import dev.sealpost.core.net.Cidr;
import dev.sealpost.store.Greylist;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Greylisting over the store's greylist table (SQLite in a temp directory) with a settable clock. */
class GreylisterTest {
    @TempDir
    Path dir;
    Store store;
    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    Greylister g;

    @BeforeEach
    void open() {
        store = Store.open(StoreConfig.sqlite(dir));
        g = new Greylister(store.greylist(), clock, Greylister.Settings.defaults(),
                Greylister.AllowList.networks(List.of(Cidr.parse("198.51.100.0/24").orElseThrow())),
                domain -> domain.equals("trusted.example"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    static Greylister.Request req(String ip, String from, String rcpt) {
        return new Greylister.Request(ip, from, rcpt, false, null);
    }

    @Test
    void firstAttemptIsTempfailedAndARetryAfterTheDelayPassesAndIsRemembered() {
        Greylister.Decision first = g.check(req("192.0.2.7", "bob@sender.example", "alice@example.org"));
        assertThat(first).isInstanceOf(Greylister.Decision.Defer.class);
        Greylister.Decision.Defer d = (Greylister.Decision.Defer) first;
        assertThat(d.reply()).isEqualTo(new TempFailure(451, "4.7.1", "Greylisted, please try again in 300 seconds"));
        assertThat(d.retryAfter()).isEqualTo(Duration.ofMinutes(5));

        clock.advance(Duration.ofMinutes(2));
        Greylister.Decision early = g.check(req("192.0.2.7", "bob@sender.example", "alice@example.org"));
        assertThat(((Greylister.Decision.Defer) early).retryAfter()).isEqualTo(Duration.ofMinutes(3));

        clock.advance(Duration.ofMinutes(3));
        // a retry from another address of the same /24 counts: big senders retry from a pool
        assertThat(g.check(req("192.0.2.200", "Bob@Sender.Example", "alice@example.org")))
                .isEqualTo(new Greylister.Decision.Pass("retried after 300 s"));
        Greylist.Entry e = store.greylist().find("192.0.2.0/24", "bob@sender.example", "alice@example.org").orElseThrow();
        assertThat(e.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(36)));

        clock.advance(Duration.ofDays(35));
        assertThat(g.check(req("192.0.2.7", "bob@sender.example", "alice@example.org"))).isInstanceOf(Greylister.Decision.Pass.class);
        clock.advance(Duration.ofDays(35)); // renewed by the last message: still known
        assertThat(g.check(req("192.0.2.7", "bob@sender.example", "alice@example.org"))).isInstanceOf(Greylister.Decision.Pass.class);
        clock.advance(Duration.ofDays(37)); // forgotten
        assertThat(g.purge()).isEqualTo(1);
        assertThat(g.check(req("192.0.2.7", "bob@sender.example", "alice@example.org"))).isInstanceOf(Greylister.Decision.Defer.class);
    }

    @Test
    void eachElementOfTheTripletCounts() {
        assertThat(g.check(req("192.0.2.7", "bob@sender.example", "alice@example.org"))).isInstanceOf(Greylister.Decision.Defer.class);
        clock.advance(Duration.ofMinutes(6));
        assertThat(g.check(req("192.0.3.7", "bob@sender.example", "alice@example.org"))).as("another /24").isInstanceOf(Greylister.Decision.Defer.class);
        assertThat(g.check(req("192.0.2.7", "eve@sender.example", "alice@example.org"))).as("another sender").isInstanceOf(Greylister.Decision.Defer.class);
        assertThat(g.check(req("192.0.2.7", "bob@sender.example", "carol@example.org"))).as("another recipient").isInstanceOf(Greylister.Decision.Defer.class);
        assertThat(g.check(req("192.0.2.7", "", "alice@example.org"))).as("null sender").isInstanceOf(Greylister.Decision.Defer.class);
        assertThat(g.check(req("192.0.2.7", "bob@sender.example", "alice@example.org"))).isInstanceOf(Greylister.Decision.Pass.class);
    }

    @Test
    void ipv6ClientsAreGroupedByTheir64() {
        assertThat(g.network(InetAddress.ofLiteral("2001:db8:1:2:aaaa::1"))).isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(g.network(InetAddress.ofLiteral("192.0.2.77"))).isEqualTo("192.0.2.0/24");
        assertThat(g.check(req("2001:db8:1:2::1", "a@x.example", "b@example.org"))).isInstanceOf(Greylister.Decision.Defer.class);
        clock.advance(Duration.ofMinutes(5));
        assertThat(g.check(req("[IPv6:2001:db8:1:2:ffff::9]", "a@x.example", "b@example.org"))).isInstanceOf(Greylister.Decision.Pass.class);
        assertThat(g.check(req("2001:db8:1:3::1", "a@x.example", "b@example.org"))).isInstanceOf(Greylister.Decision.Defer.class);
    }

    @Test
    void authenticatedAllowListedAndTrustedSendersSkipAndLeaveNoState() {
        assertThat(g.check(new Greylister.Request("192.0.2.7", "u@example.org", "x@far.example", true, null)))
                .isEqualTo(new Greylister.Decision.Skip("authenticated"));
        assertThat(g.check(req("198.51.100.9", "a@x.example", "b@example.org"))).isEqualTo(new Greylister.Decision.Skip("allow-listed"));
        assertThat(g.check(new Greylister.Request("192.0.2.7", "news@trusted.example", "b@example.org", false, "Trusted.Example")))
                .isEqualTo(new Greylister.Decision.Skip("DKIM-aligned trusted.example has a good history"));
        assertThat(g.check(new Greylister.Request("192.0.2.7", "news@other.example", "b@example.org", false, "other.example")))
                .as("aligned but no good history").isInstanceOf(Greylister.Decision.Defer.class);
        assertThat(g.check(req(null, "a@x.example", "b@example.org"))).isEqualTo(new Greylister.Decision.Skip("no client address"));
        assertThat(g.check(req("mx.example", "a@x.example", "b@example.org"))).isEqualTo(new Greylister.Decision.Skip("no client address"));
        assertThat(store.greylist().purge(clock.instant().plus(Duration.ofDays(400))))
                .as("only the one greylisted triplet was stored").isEqualTo(1);
    }

    @Test
    void aFailingStoreFailsOpen() {
        Greylist broken = new Greylist() {
            public Entry seen(String n, String s, String r, Instant now, Instant exp) {
                throw new IllegalStateException("database is down");
            }

            public void passed(String n, String s, String r, Instant now, Instant exp) {}

            public Optional<Entry> find(String n, String s, String r) {
                return Optional.empty();
            }

            public int purge(Instant now) {
                return 0;
            }
        };
        Greylister gl = new Greylister(broken, clock, Greylister.Settings.defaults(), Greylister.AllowList.NONE, Greylister.SenderHistory.NONE);
        assertThat(gl.check(req("192.0.2.7", "a@x.example", "b@example.org")))
                .isEqualTo(new Greylister.Decision.Skip("greylist store unavailable: IllegalStateException"));
    }
}
