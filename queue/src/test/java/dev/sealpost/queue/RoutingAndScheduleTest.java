package dev.sealpost.queue;

import dev.sealpost.dns.ZoneResolver;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Router (RFC 5321 §5, RFC 7505), retry schedule and Return-Path stripping. */
class RoutingAndScheduleTest {
    static final QueueSettings S = QueueSettings.defaults("me.test");

    static Router router(ZoneResolver z, long seed) {
        return new Router(z, S, new Random(seed));
    }

    static List<String> hosts(Router.Route r) {
        assertThat(r).isInstanceOf(Router.Route.Hosts.class);
        return ((Router.Route.Hosts) r).targets().stream().map(t -> t.host() + "/" + t.address().getHostAddress()).toList();
    }

    @Test
    void mxPreferenceOrderWithRandomTieBreakAndBothAddressFamilies() {
        ZoneResolver z = ZoneResolver.builder()
                .mx("d.test", 20, "c.d.test").mx("d.test", 10, "a.d.test").mx("d.test", 10, "b.d.test")
                .a("a.d.test", "192.0.2.1").a("b.d.test", "192.0.2.2").aaaa("b.d.test", "2001:db8::2").a("c.d.test", "192.0.2.3").build();
        Set<String> firsts = new HashSet<>();
        for (int seed = 0; seed < 40; seed++) {
            List<String> h = hosts(router(z, seed).route("d.test"));
            assertThat(h).hasSize(4);
            assertThat(h.getLast()).isEqualTo("c.d.test/192.0.2.3");
            assertThat(h.indexOf("b.d.test/2001:db8:0:0:0:0:0:2")).isEqualTo(h.indexOf("b.d.test/192.0.2.2") - 1); // IPv6 first
            firsts.add(h.getFirst().substring(0, 1));
        }
        assertThat(firsts).containsExactlyInAnyOrder("a", "b"); // equal preferences in random order
    }

    @Test
    void implicitMxNullMxNxdomainAndDnsTrouble() {
        ZoneResolver z = ZoneResolver.builder()
                .a("implicit.test", "192.0.2.9")
                .mx("null.test", 0, ".")
                .txt("noaddr.test", "v=spf1 -all")
                .servfail("broken.test")
                .mx("mixed.test", 0, ".").mx("mixed.test", 10, "mx.mixed.test").a("mx.mixed.test", "192.0.2.7")
                .build();
        Router r = router(z, 1);
        assertThat(hosts(r.route("implicit.test"))).containsExactly("implicit.test/192.0.2.9");
        assertThat(r.route("null.test")).isInstanceOfSatisfying(Router.Route.Permanent.class, p -> {
            assertThat(p.reply().code()).isEqualTo(556);
            assertThat(p.reply().enhanced()).isEqualTo("5.1.10");
        });
        assertThat(r.route("nowhere.test")).isInstanceOfSatisfying(Router.Route.Permanent.class,
                p -> assertThat(p.reply().enhanced()).isEqualTo("5.1.2"));
        assertThat(r.route("noaddr.test")).isInstanceOfSatisfying(Router.Route.Permanent.class,
                p -> assertThat(p.reply().enhanced()).isEqualTo("5.1.2"));
        assertThat(r.route("broken.test")).isInstanceOfSatisfying(Router.Route.Temporary.class,
                p -> assertThat(p.reply().code()).isEqualTo(451));
        assertThat(hosts(r.route("mixed.test"))).containsExactly("mx.mixed.test/192.0.2.7");
        assertThat(hosts(r.route("[192.0.2.44]"))).containsExactly("[192.0.2.44]/192.0.2.44");
    }

    @Test
    void mxHostWithoutAddressIsSkippedAndLoopsToSelfAreRefused() {
        ZoneResolver z = ZoneResolver.builder()
                .mx("skip.test", 10, "gone.skip.test").mx("skip.test", 20, "ok.skip.test").a("ok.skip.test", "192.0.2.5")
                .mx("loop.test", 10, "me.test").a("me.test", "192.0.2.6")
                .mx("backup.test", 5, "primary.backup.test").mx("backup.test", 10, "me.test").a("primary.backup.test", "192.0.2.8")
                .build();
        Router r = router(z, 1);
        assertThat(hosts(r.route("skip.test"))).containsExactly("ok.skip.test/192.0.2.5");
        assertThat(r.route("loop.test")).isInstanceOfSatisfying(Router.Route.Permanent.class,
                p -> assertThat(p.reply().enhanced()).isEqualTo("5.4.6"));
        assertThat(hosts(r.route("backup.test"))).containsExactly("primary.backup.test/192.0.2.8"); // RFC 5321 §5.1
    }

    @Test
    void hostPortParsing() {
        assertThat(QueueSettings.HostPort.parse("relay.example:587", 25)).isEqualTo(new QueueSettings.HostPort("relay.example", 587));
        assertThat(QueueSettings.HostPort.parse("relay.example", 25).port()).isEqualTo(25);
        assertThat(QueueSettings.HostPort.parse("[2001:db8::1]:2525", 25)).isEqualTo(new QueueSettings.HostPort("2001:db8::1", 2525));
        assertThatThrownBy(() -> QueueSettings.HostPort.parse("2001:db8::1", 25)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueueSettings.HostPort.parse("host:0", 25)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueueSettings.HostPort.parse("", 25)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backoffDoublesFromFiveMinutesToFourHoursWithJitter() {
        RetrySchedule s = RetrySchedule.defaults();
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 20).stream().map(s::baseDelay).map(Duration::toMinutes).toList())
                .containsExactly(5L, 10L, 20L, 40L, 80L, 160L, 240L, 240L);
        Instant now = Instant.parse("2026-03-01T00:00:00Z");
        Random rnd = new Random(3);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            long ms = Duration.between(now, s.next(now, 1, rnd)).toMillis();
            assertThat(ms).isBetween(270_000L, 330_000L);
            seen.add(ms);
        }
        assertThat(seen.size()).isGreaterThan(100);
        assertThat(s.expired(now, now.plus(Duration.ofDays(5)))).isTrue();
        assertThat(s.expired(now, now.plus(Duration.ofDays(5)).minusSeconds(1))).isFalse();
    }

    @Test
    void leadingReturnPathFieldsAreStripped() throws Exception {
        assertThat(strip("Return-Path: <a@b>\r\nReturn-path:\r\n <c@d>\r\nFrom: x\r\n\r\nbody\r\n")).isEqualTo("From: x\r\n\r\nbody\r\n");
        assertThat(strip("From: x\r\nReturn-Path: <a@b>\r\n\r\nbody\r\n")).isEqualTo("From: x\r\nReturn-Path: <a@b>\r\n\r\nbody\r\n");
        assertThat(strip("Return")).isEqualTo("Return");
        String huge = "Return-Path: <" + "a".repeat(20_000) + ">\r\nFrom: x\r\n";
        assertThat(strip(huge)).isEqualTo(huge); // not a sane field: untouched
    }

    private static String strip(String s) throws Exception {
        return new String(StoredMessage.stripReturnPath(new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII))).readAllBytes(),
                StandardCharsets.US_ASCII);
    }

    @Test
    void dsnStatusComesFromTheReplyWhenItsClassFits() {
        assertThat(DsnBuilder.status(dev.sealpost.store.OutboundQueue.DsnAction.FAILED, "550 5.1.1 no")).isEqualTo("5.1.1");
        assertThat(DsnBuilder.status(dev.sealpost.store.OutboundQueue.DsnAction.FAILED, "550 4.1.1 odd")).isEqualTo("5.0.0");
        assertThat(DsnBuilder.status(dev.sealpost.store.OutboundQueue.DsnAction.FAILED, "554 no code")).isEqualTo("5.0.0");
        assertThat(DsnBuilder.status(dev.sealpost.store.OutboundQueue.DsnAction.DELAYED, null)).isEqualTo("4.0.0");
        assertThat(DsnBuilder.clean("a\r\nInjected: x")).isEqualTo("a  Injected: x");
    }
}
