package dev.sealpost.evidence.record;

import dev.sealpost.evidence.sign.Ed25519Key;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvidenceRecordTest {
    static final byte[] MESSAGE = "Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);

    static EvidenceRecord sample() {
        return new EvidenceRecord("rec-1", EvidenceEvent.SUBMISSION_ACCEPTANCE, Instant.parse("2026-12-07T20:39:27.123456Z"),
                "<a@example.test>", EvidenceRecord.sha256Hex(MESSAGE), "alice@example.test",
                List.of("bob@example.org", "carol@example.net"), "alice@example.test", "192.0.2.7",
                Map.of("port", 587L, "tls", "TLSv1.3"));
    }

    @Test
    void canonicalBytesAreTheGoldenText() {
        String want = "{\"account\":\"alice@example.test\",\"client_ip\":\"192.0.2.7\",\"event\":\"SubmissionAcceptance\","
                + "\"id\":\"rec-1\",\"mail_from\":\"alice@example.test\",\"message_id\":\"<a@example.test>\",\"port\":587,"
                + "\"rcpt\":[\"bob@example.org\",\"carol@example.net\"],\"sha256\":\"" + EvidenceRecord.sha256Hex(MESSAGE) + "\","
                + "\"time\":\"2026-12-07T20:39:27.123Z\",\"tls\":\"TLSv1.3\",\"v\":1}";
        assertThat(new String(sample().canonicalBytes(), StandardCharsets.UTF_8)).isEqualTo(want);
    }

    @Test
    void readsBackItsOwnBytes() {
        EvidenceRecord r = sample();
        EvidenceRecord.Read read = EvidenceRecord.parse(r.canonicalBytes());
        assertThat(read).isEqualTo(new EvidenceRecord.Parsed(r));
        EvidenceRecord minimal = new EvidenceRecord(EvidenceRecord.newId(), EvidenceEvent.RECEIVED_FROM_NON_REM, Instant.EPOCH,
                null, EvidenceRecord.sha256Hex(new byte[0]), "", List.of(), null, null, null);
        assertThat(EvidenceRecord.parse(minimal.canonicalBytes())).isEqualTo(new EvidenceRecord.Parsed(minimal));
        assertThat(minimal.id()).hasSize(26);
    }

    @Test
    void refusesNonCanonicalOrInvalidBytes() {
        String c = new String(sample().canonicalBytes(), StandardCharsets.UTF_8);
        for (String bad : List.of(c.replace(",\"v\":1}", ", \"v\":1}"), c.replace("\"v\":1", "\"v\":2"),
                c.replace("SubmissionAcceptance", "Nope"), c.replace(".123Z", "Z"), c.replace("\"port\":587", "\"port\":587.5"),
                c.substring(0, c.length() - 1), "[]",
                c.replace("\"id\":\"rec-1\"", "\"id\":\"rec 1\""), c.replace("\"rcpt\":[", "\"rcpt\":[1,"))) {
            EvidenceRecord.Read r = EvidenceRecord.parse(bad.getBytes(StandardCharsets.UTF_8));
            assertThat(r).as(bad).isInstanceOf(EvidenceRecord.Invalid.class);
        }
        // account is optional: without it the record is still valid.
        assertThat(EvidenceRecord.parse(c.replace("\"account\":\"alice@example.test\",", "").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EvidenceRecord.Parsed.class);
        assertThat(EvidenceRecord.parse(new byte[] {(byte) 0xff})).isInstanceOf(EvidenceRecord.Invalid.class);
    }

    @Test
    void refusesBadFieldsAtConstruction() {
        assertThatThrownBy(() -> new EvidenceRecord("a", EvidenceEvent.RELAY_FAILURE, Instant.EPOCH, null, "00", null, List.of(), null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EvidenceRecord("a", EvidenceEvent.RELAY_FAILURE, Instant.EPOCH, null, EvidenceRecord.sha256Hex(MESSAGE),
                null, List.of(), null, null, Map.of("rcpt", "x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EvidenceRecord("a", EvidenceEvent.RELAY_FAILURE, Instant.EPOCH, null, EvidenceRecord.sha256Hex(MESSAGE),
                null, List.of(), null, null, Map.of("x", Map.of()))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signatureCoversTheCanonicalBytes() {
        Ed25519Key key = Ed25519Key.generate("example.test/evidence-2026");
        EvidenceRecord r = sample();
        RecordSignature s = RecordSignature.sign(key, r);
        assertThat(s.verify(key.publicKey(), r.canonicalBytes())).isTrue();
        byte[] changed = r.canonicalBytes();
        changed[changed.length - 3] ^= 1;
        assertThat(s.verify(key.publicKey(), changed)).isFalse();
        assertThat(s.verify(Ed25519Key.generate("example.test/evidence-2026").publicKey(), r.canonicalBytes())).isFalse();
        assertThat(new RecordSignature(s.keyName(), s.keyHash(), "!!").verify(key.publicKey(), r.canonicalBytes())).isFalse();
    }
}
