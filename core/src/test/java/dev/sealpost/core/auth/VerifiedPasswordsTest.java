package dev.sealpost.core.auth;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class VerifiedPasswordsTest {
    @Test
    void rememberedOnlyForTheSamePasswordHashUserAndTime() {
        AtomicLong now = new AtomicLong(1_000);
        VerifiedPasswords v = new VerifiedPasswords(now::get);
        assertThat(v.matches("a@x.test", "hash1", "pw".toCharArray())).isFalse();
        v.remember("a@x.test", "hash1", "pw".toCharArray());
        assertThat(v.matches("a@x.test", "hash1", "pw".toCharArray())).isTrue();
        assertThat(v.matches("a@x.test", "hash1", "pW".toCharArray())).as("other password").isFalse();
        assertThat(v.matches("b@x.test", "hash1", "pw".toCharArray())).as("other user").isFalse();
        assertThat(v.matches("a@x.test", "hash2", "pw".toCharArray())).as("password changed since").isFalse();
        now.addAndGet(VerifiedPasswords.TTL_NANOS + 1);
        assertThat(v.matches("a@x.test", "hash1", "pw".toCharArray())).as("expired").isFalse();
        v.remember("a@x.test", "hash1", "pw".toCharArray());
        v.forget("a@x.test");
        assertThat(v.matches("a@x.test", "hash1", "pw".toCharArray())).isFalse();
    }

    @Test
    void boundedNumberOfEntries() {
        VerifiedPasswords v = new VerifiedPasswords();
        for (int i = 0; i <= VerifiedPasswords.MAX_ENTRIES; i++) v.remember("u" + i + "@x.test", "h", "pw".toCharArray());
        assertThat(v.matches("u0@x.test", "h", "pw".toCharArray())).as("least recently used dropped").isFalse();
        assertThat(v.matches("u" + VerifiedPasswords.MAX_ENTRIES + "@x.test", "h", "pw".toCharArray())).isTrue();
    }
}
