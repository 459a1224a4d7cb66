package dev.sealpost.core.auth;

import dev.sealpost.core.sasl.StoredCredentials;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTest {
    @Test
    void verifiesOnlyTheRightPassword() {
        StoredCredentials c = PasswordHasher.hash("pässword".toCharArray(), 1000, 4096);
        assertThat(c.passwordHash()).startsWith("pbkdf2-sha256$1000$");
        assertThat(PasswordHasher.verify(c.passwordHash(), "pässword".toCharArray())).isTrue();
        assertThat(PasswordHasher.verify(c.passwordHash(), "password".toCharArray())).isFalse();
        // NFKC: the compatibility form of "ﬁ" (U+FB01) is "fi"
        StoredCredentials l = PasswordHasher.hash("\uFB01sh".toCharArray(), 1000, 4096);
        assertThat(PasswordHasher.verify(l.passwordHash(), "fish".toCharArray())).isTrue();
    }

    @Test
    void damagedHashesMatchNothing() {
        assertThat(PasswordHasher.verify("pbkdf2-sha256$1000$!!$!!", "x".toCharArray())).isFalse();
        assertThat(PasswordHasher.verify("md5$x", "x".toCharArray())).isFalse();
        assertThat(PasswordHasher.verify(null, "x".toCharArray())).isFalse();
        assertThat(PasswordHasher.verify(PasswordHasher.decoyHash(), "decoy".toCharArray())).isFalse();
    }
}
