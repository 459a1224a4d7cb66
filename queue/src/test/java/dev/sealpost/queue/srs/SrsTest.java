package dev.sealpost.queue.srs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class SrsTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final Srs srs = new Srs(SrsSecrets.of("first-secret-0123456789"), 21, CLOCK);

    private static String local(String address) {
        return address.substring(0, address.lastIndexOf('@'));
    }

    @Test
    void srs0RoundTrip() {
        String a = srs.forward("alice=x@origin.test", "fwd.test");
        assertThat(a).matches("SRS0=[A-Za-z0-9+/]{4}=[A-Z2-7]{2}=origin\\.test=alice=x@fwd\\.test");
        // the time stamp is the day number mod 1024 in base32
        long day = NOW.getEpochSecond() / 86400;
        assertThat(a.split("=")[2]).isEqualTo(Srs.timestamp(day));
        assertThat(srs.reverse(local(a))).isEqualTo(new Srs.Original("alice=x@origin.test"));
    }

    @Test
    void hashCheckIgnoresCase() {
        String a = local(srs.forward("Bob@Origin.Test", "fwd.test"));
        assertThat(srs.reverse(a.toLowerCase())).isEqualTo(new Srs.Original("bob@origin.test"));
        assertThat(srs.reverse(a.toUpperCase())).isEqualTo(new Srs.Original("BOB@ORIGIN.TEST"));
    }

    @Test
    void tamperedPartsAreRefused() {
        String a = local(srs.forward("alice@origin.test", "fwd.test"));
        assertThat(srs.reverse(a.replace("origin.test", "victim.test"))).isInstanceOf(Srs.Refused.class);
        assertThat(srs.reverse(a.replace("=alice", "=mallory"))).isInstanceOf(Srs.Refused.class);
        String[] p = a.split("=");
        String otherHash = "SRS0=" + (p[1].equals("AAAA") ? "BBBB" : "AAAA") + "=" + p[2] + "=" + p[3] + "=" + p[4];
        assertThat(srs.reverse(otherHash)).isInstanceOf(Srs.Refused.class);
        assertThat(srs.reverse("SRS0=abcd")).isInstanceOf(Srs.Refused.class);
        assertThat(srs.reverse("SRS1=zzzz=host==x")).isInstanceOf(Srs.Refused.class);
        // another server's secret signs nothing we accept
        Srs other = new Srs(SrsSecrets.of("another-secret-0123456789"), 21, CLOCK);
        assertThat(srs.reverse(local(other.forward("alice@origin.test", "fwd.test")))).isInstanceOf(Srs.Refused.class);
        assertThat(srs.reverse("alice")).isInstanceOf(Srs.NotSrs.class);
        assertThat(srs.reverse("srs2=x")).isInstanceOf(Srs.NotSrs.class);
    }

    @Test
    void expiresAfterMaxAge() {
        String a = local(srs.forward("alice@origin.test", "fwd.test"));
        Srs day21 = new Srs(SrsSecrets.of("first-secret-0123456789"), 21, Clock.offset(CLOCK, Duration.ofDays(21)));
        Srs day22 = new Srs(SrsSecrets.of("first-secret-0123456789"), 21, Clock.offset(CLOCK, Duration.ofDays(22)));
        assertThat(day21.reverse(a)).isInstanceOf(Srs.Original.class);
        assertThat(day22.reverse(a)).isInstanceOfSatisfying(Srs.Refused.class, r -> assertThat(r.reason()).contains("expired"));
        // a time stamp from the future (wrapped) is refused too
        Srs yesterday = new Srs(SrsSecrets.of("first-secret-0123456789"), 21, Clock.offset(CLOCK, Duration.ofDays(-1)));
        assertThat(yesterday.reverse(a)).isInstanceOf(Srs.Refused.class);
    }

    @Test
    void rotationNewestSignsAllVerify() {
        String old = local(srs.forward("alice@origin.test", "fwd.test"));
        Srs rotated = new Srs(SrsSecrets.of("second-secret-0123456789", "first-secret-0123456789"), 21, CLOCK);
        String fresh = local(rotated.forward("alice@origin.test", "fwd.test"));
        assertThat(fresh).isNotEqualTo(old);
        assertThat(rotated.reverse(old)).isEqualTo(new Srs.Original("alice@origin.test"));
        assertThat(rotated.reverse(fresh)).isEqualTo(new Srs.Original("alice@origin.test"));
        // the old key alone does not know the new one
        assertThat(srs.reverse(fresh)).isInstanceOf(Srs.Refused.class);
    }

    @Test
    void srs1ChainKeepsFirstForwarder() {
        Srs first = new Srs(SrsSecrets.of("first-forwarder-secret-1"), 21, CLOCK);
        Srs second = new Srs(SrsSecrets.of("second-forwarder-secret-2"), 21, CLOCK);
        Srs third = new Srs(SrsSecrets.of("third-forwarder-secret-33"), 21, CLOCK);
        String s0 = first.forward("alice@origin.test", "one.test");
        String s1 = second.forward(s0, "two.test");
        String srs0Part = local(s0).substring(4);
        assertThat(s1).startsWith("SRS1=").endsWith("=one.test=" + srs0Part + "@two.test");
        // forwarded once more: still one.test, a new hash of the third forwarder
        String s1b = third.forward(s1, "three.test");
        assertThat(s1b).startsWith("SRS1=").endsWith("=one.test=" + srs0Part + "@three.test");
        // bounces walk back: three -> one (SRS0) -> origin
        assertThat(third.reverse(local(s1b))).isEqualTo(new Srs.Original(s0));
        assertThat(second.reverse(local(s1))).isEqualTo(new Srs.Original(s0));
        assertThat(first.reverse(local(s0))).isEqualTo(new Srs.Original("alice@origin.test"));
        assertThat(first.reverse(local(s1))).isInstanceOf(Srs.Refused.class);
    }

    @Test
    void nullSenderIsNotRewritten() {
        assertThat(srs.forward("", "fwd.test")).isEmpty();
    }

    @Test
    void secretFileIsCreatedOwnerOnlyAndReused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("srs-secrets");
        SrsSecrets s1 = SrsSecrets.load(f);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        String a = local(new Srs(s1, 21, CLOCK).forward("alice@origin.test", "fwd.test"));
        assertThat(new Srs(SrsSecrets.load(f), 21, CLOCK).reverse(a)).isEqualTo(new Srs.Original("alice@origin.test"));
        Files.writeString(f, "short\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SrsSecrets.load(f)).isInstanceOf(java.io.IOException.class);
    }
}
