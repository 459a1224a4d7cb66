package dev.sealpost.filter.quarantine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class QuarantineTokensTest {
    static final Instant NOW = Instant.parse("2026-12-08T00:00:00Z");

    @Test
    void aTokenNamesItsEntryActionAndExpiry(@TempDir Path dir) throws Exception {
        byte[] key = QuarantineTokens.key(dir);
        assertThat(key).hasSize(32);
        assertThat(QuarantineTokens.key(dir)).isEqualTo(key); // kept
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("digest.key")))).isEqualTo("rw-------");
        QuarantineTokens t = new QuarantineTokens(key);
        String tok = t.issue(42, 7, 3, QuarantineTokens.Action.RELEASE, NOW.plusSeconds(3600));
        assertThat(tok).matches("[A-Za-z0-9_-]+");
        assertThat(t.check(tok, NOW)).isEqualTo(new QuarantineTokens.Check.Valid(42, 7, 3, QuarantineTokens.Action.RELEASE, NOW.plusSeconds(3600)));
        assertThat(t.check(tok, NOW.plusSeconds(3600))).isInstanceOf(QuarantineTokens.Check.Expired.class);
        assertThat(t.check(t.issue(42, 7, 3, QuarantineTokens.Action.DELETE, NOW.plusSeconds(60)), NOW))
                .extracting(c -> ((QuarantineTokens.Check.Valid) c).action()).isEqualTo(QuarantineTokens.Action.DELETE);
    }

    @Test
    void forgedTokensAreRefused() {
        byte[] key = new byte[32];
        QuarantineTokens t = new QuarantineTokens(key);
        String tok = t.issue(42, 7, 3, QuarantineTokens.Action.RELEASE, NOW.plusSeconds(3600));
        // every single changed character is caught by the signature
        for (int i = 0; i < tok.length(); i++) {
            char c = tok.charAt(i) == 'A' ? 'B' : 'A';
            String bad = tok.substring(0, i) + c + tok.substring(i + 1);
            assertThat(t.check(bad, NOW)).as("position " + i).isInstanceOf(QuarantineTokens.Check.Forged.class);
        }
        byte[] other = new byte[32];
        other[0] = 1;
        assertThat(new QuarantineTokens(other).check(tok, NOW)).isInstanceOf(QuarantineTokens.Check.Forged.class);
        assertThat(t.check("", NOW)).isInstanceOf(QuarantineTokens.Check.Forged.class);
        assertThat(t.check("abc", NOW)).isInstanceOf(QuarantineTokens.Check.Forged.class);
        assertThat(t.check("a/b", NOW)).isInstanceOf(QuarantineTokens.Check.Forged.class);
        assertThat(t.check(tok + "AAAA", NOW)).isInstanceOf(QuarantineTokens.Check.Forged.class);
        assertThat(t.check(null, NOW)).isInstanceOf(QuarantineTokens.Check.Forged.class);
    }
}
