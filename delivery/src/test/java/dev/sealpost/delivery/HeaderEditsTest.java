package dev.sealpost.delivery;

import dev.sealpost.sieve.run.Action;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link HeaderEdits}: RFC 5293 edits on the octets, folded and encoded fields, protected fields, body untouched. */
class HeaderEditsTest {
    static final String MSG = "Received: from a by b; Mon, 7 Dec 2026 10:00:00 +0000\r\n"
            + "X-Tag: first\r\n part\r\n"
            + "Subject: =?utf-8?B?R3LDvMOfZQ==?=\r\n"
            + "X-Tag: second\r\n"
            + "\r\n"
            + "X-Tag: in the body\r\n";

    static String apply(Action... edits) {
        return new String(HeaderEdits.apply(MSG.getBytes(StandardCharsets.UTF_8), List.of(edits)), StandardCharsets.UTF_8);
    }

    @Test
    void deletesTheOccurrencesByTheirValuesAsTheScriptSawThem() {
        // values unfolded (RFC 5322 §2.2.3) and decoded (RFC 2047), as the interpreter resolved them
        String out = apply(new Action.DeleteHeader("x-tag", List.of("first part")), new Action.DeleteHeader("Subject", List.of("Grüße")));
        assertThat(out).doesNotContain("first").doesNotContain("Subject").contains("X-Tag: second\r\n\r\nX-Tag: in the body\r\n");
        assertThat(apply(new Action.DeleteHeader("X-Tag", List.of("second")))).contains("X-Tag: first\r\n part\r\n").doesNotContain("second");
    }

    @Test
    void addsOnTopOrLastFoldedAndEncoded() {
        String longValue = "word ".repeat(30).strip();
        String out = apply(new Action.AddHeader("X-Top", "ünïcode", false), new Action.AddHeader("X-Last", longValue, true));
        assertThat(out).startsWith("X-Top: =?utf-8?B?");
        int last = out.indexOf("X-Last: ");
        assertThat(last).isLessThan(out.indexOf("\r\n\r\n"));
        for (String line : out.substring(last, out.indexOf("\r\n\r\n")).split("\r\n")) assertThat(line.length()).isLessThanOrEqualTo(78);
        assertThat(out).endsWith("\r\n\r\nX-Tag: in the body\r\n");
    }

    @Test
    void protectedFieldsAreNeverTouched() {
        String out = apply(new Action.DeleteHeader("Received", List.of("from a by b; Mon, 7 Dec 2026 10:00:00 +0000")),
                new Action.AddHeader("Auto-Submitted", "no", false), new Action.AddHeader("X-Sealpost-Filter", "inbox; score=0", false),
                new Action.AddHeader("x-sealpost-redirected", "x@example.test", true));
        assertThat(out).isEqualTo(MSG);
    }
}
