package dev.sealpost.evidence.tsa;

import dev.sealpost.evidence.record.EvidenceEvent;
import dev.sealpost.evidence.record.EvidenceRecord;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 3161 tokens over evidence records: checked by our verifier and by {@code openssl ts -verify}. */
class TimeStampTest {
    static final Instant NOW = Instant.parse("2026-12-07T21:00:00Z");

    static EvidenceRecord record() {
        return new EvidenceRecord("ts-1", EvidenceEvent.CONTENT_CONSIGNMENT, NOW, "<x@example.test>",
                EvidenceRecord.sha256Hex(new byte[] {1, 2, 3}), "a@example.test", List.of("b@example.test"), null, null, null);
    }

    @Test
    void opensslAcceptsOurTokens(@TempDir Path dir) throws Exception {
        Peers.require("openssl");
        InternalCa ca = InternalCa.loadOrCreate(dir.resolve("tsa"), "mail.example.test", Instant.now());
        TimeStampAuthority tsa = new TimeStampAuthority(ca, Clock.systemUTC());
        EvidenceRecord r = record();
        TimeStampAuthority.Stamp s = tsa.stamp(r.hash());
        Files.write(dir.resolve("record.json"), r.canonicalBytes());
        Files.write(dir.resolve("resp.tsr"), s.response());
        Files.write(dir.resolve("token.tst"), s.token());
        String caFile = dir.resolve("tsa/ca.pem").toString();

        Peers.Result resp = Peers.run(List.of("openssl", "ts", "-verify", "-data", "record.json", "-in", "resp.tsr", "-CAfile", caFile), dir, 60);
        assertThat(resp.output()).contains("Verification: OK");
        assertThat(resp.exit()).isZero();
        Peers.Result tok = Peers.run(List.of("openssl", "ts", "-verify", "-data", "record.json", "-in", "token.tst", "-token_in", "-CAfile", caFile), dir, 60);
        assertThat(tok.output()).contains("Verification: OK");
        Peers.Result text = Peers.run(List.of("openssl", "ts", "-reply", "-in", "resp.tsr", "-text"), dir, 60);
        assertThat(text.output()).contains("Policy OID: 2.999.3161.1").contains("Hash Algorithm: sha256");

        // One bit of the record changed: openssl refuses.
        byte[] changed = r.canonicalBytes();
        changed[changed.length - 5] ^= 1;
        Files.write(dir.resolve("record.json"), changed);
        Peers.Result bad = Peers.run(List.of("openssl", "ts", "-verify", "-data", "record.json", "-in", "resp.tsr", "-CAfile", caFile), dir, 60);
        assertThat(bad.output()).doesNotContain("Verification: OK");
        assertThat(bad.exit()).isNotZero();

        // Another CA is not trusted.
        Path other = dir.resolve("other");
        InternalCa.loadOrCreate(other, "elsewhere.test", Instant.now());
        Files.write(dir.resolve("record.json"), r.canonicalBytes());
        Peers.Result wrongCa = Peers.run(List.of("openssl", "ts", "-verify", "-data", "record.json", "-in", "resp.tsr", "-CAfile",
                other.resolve("ca.pem").toString()), dir, 60);
        assertThat(wrongCa.exit()).isNotZero();
    }

    @Test
    void ourVerifierChecksImprintSignatureAndChain(@TempDir Path dir) throws Exception {
        InternalCa ca = InternalCa.loadOrCreate(dir, "mail.example.test", NOW);
        assertThat(ca.tsaCert().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.8");
        assertThat(ca.tsaCert().getCriticalExtensionOIDs()).contains("2.5.29.37");
        TimeStampAuthority tsa = new TimeStampAuthority(ca, Clock.fixed(NOW, ZoneOffset.UTC));
        EvidenceRecord r = record();
        TimeStampAuthority.Stamp s = tsa.stamp(r.hash());
        assertThat(TimeStampVerifier.verify(s.token(), r.hash(), ca.caCert())).isEqualTo(new TimeStampVerifier.Valid(NOW,
                ca.tsaCert().getSubjectX500Principal().getName()));
        byte[] other = r.hash();
        other[0] ^= 1;
        assertThat(TimeStampVerifier.verify(s.token(), other, ca.caCert())).isInstanceOf(TimeStampVerifier.Invalid.class);
        InternalCa stranger = InternalCa.create("x.test", NOW, Duration.ofDays(1)).ca();
        assertThat(TimeStampVerifier.verify(s.token(), r.hash(), stranger.caCert())).isInstanceOf(TimeStampVerifier.Invalid.class);
        byte[] broken = s.token().clone();
        broken[broken.length - 10] ^= 1;
        assertThat(TimeStampVerifier.verify(broken, r.hash(), ca.caCert())).isInstanceOf(TimeStampVerifier.Invalid.class);
        assertThat(TimeStampVerifier.verify(new byte[] {1, 2}, r.hash(), ca.caCert())).isInstanceOf(TimeStampVerifier.Invalid.class);
        // Reloaded from its files, the CA is the same.
        InternalCa again = InternalCa.loadOrCreate(dir, "mail.example.test", NOW);
        assertThat(again.caCert()).isEqualTo(ca.caCert());
        assertThat(TimeStampVerifier.verify(new TimeStampAuthority(again, Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC)).stamp(r.hash()).token(), r.hash(), ca.caCert()))
                .isInstanceOf(TimeStampVerifier.Valid.class);
    }
}
