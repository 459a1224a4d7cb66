package dev.sealpost.store;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class FilterMarkTest {
    private static Object read(String msg) throws Exception {
        return FilterMark.read(new ByteArrayInputStream(msg.getBytes(StandardCharsets.UTF_8))).orElse(null);
    }

    @Test
    void roundTripsThroughAFoldedField() throws Exception {
        String hits = "dangerous_attachment 8.0 exe: факту\u202Era.zip/x.exe\nlookalike_domain 6.0 paypa1.com ~ paypal.com\n".repeat(5);
        FilterMark m = new FilterMark("quarantine", 14.0, 6.0, true, hits);
        String field = m.toField();
        assertThat(field.split("\r\n")).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(78));
        assertThat(field.chars().allMatch(ch -> ch < 128)).isTrue();
        assertThat(read("Return-Path: <a@b>\r\n" + field + "Received: from x\r\nSubject: s\r\n\r\nbody")).isEqualTo(m);
    }

    @Test
    void onlyAboveOurReceivedField() throws Exception {
        String field = new FilterMark("junk", 7.5, 6.0, false, "bayes_spam 5.0 x").toField();
        assertThat(read("Received: from x\r\n" + field + "\r\nbody")).isNull();
        assertThat(read("Subject: s\r\n\r\n" + field)).isNull();
        assertThat(read("X-Sealpost-Filter: deliver; score=1\r\nReceived: x\r\n\r\n")).as("unknown action").isNull();
        assertThat(((FilterMark) read(field + "Received: x\r\n\r\n")).junk()).isTrue();
    }

    @Test
    void stripRemovesOurFoldedFieldAboveReceivedOnly() throws Exception {
        String field = new FilterMark("quarantine", 9.5, 6, false, "outbound_hold 0 held\n").toField();
        String below = "Received: from a by b; Mon, 1 Dec 2026 10:00:00 +0000\r\n" + field + "Subject: s\r\n\r\nbody " + field;
        byte[] stripped = FilterMark.strip(("DKIM-Signature: v=1;\r\n\tb=abc\r\n" + field + below).getBytes(StandardCharsets.UTF_8));
        String out = new String(stripped, StandardCharsets.UTF_8);
        assertThat(out).isEqualTo("DKIM-Signature: v=1;\r\n\tb=abc\r\n" + below);
        assertThat(FilterMark.read(new ByteArrayInputStream(stripped))).isEmpty();
        byte[] none = "Subject: x\r\n\r\nX-Sealpost-Filter: not a field\r\n".getBytes(StandardCharsets.UTF_8);
        assertThat(FilterMark.strip(none)).isEqualTo(none);
    }
}
