package dev.sealpost.core.io;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderGuardTest {

    /** Feeds {@code text} in pieces of {@code piece} octets (the verdict must not depend on how writes are cut). */
    private static HeaderGuard.Outcome feed(String text, int maxSize, int maxFields, int piece, ByteArrayOutputStream sink) throws IOException {
        HeaderGuard g = new HeaderGuard(sink, maxSize, maxFields);
        byte[] b = text.replace("|", "\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < b.length; i += piece) g.write(b, i, Math.min(piece, b.length - i));
        return g.outcome();
    }

    @ParameterizedTest
    @CsvSource({
            // text ('|' = CRLF), max size, max fields, expected
            "'A: 1|B: 2||body|body|body|',            100, 2, WITHIN",
            "'A: 1|B: 2|C: 3||body|',                 100, 2, TOO_MANY_FIELDS",
            "'A: 1| more| more|B: 2||x: y|z: w|',     100, 2, WITHIN",          // continuations and body lines are not fields
            "'A: 12345678901234567890||body',          20, 9, TOO_LARGE",
            "'A: 1234567890123||',                     20, 9, WITHIN",          // 20 octets, the empty line included
            "'A: 1||" + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',  10, 9, WITHIN", // the body is not counted
            "'A: 1|B: 2|C: 3|D: 4|',                  1000, 3, TOO_MANY_FIELDS", // no empty line: still fields
            "'A: 1|B: 2|no colon on this line|x|y|z|', 1000, 3, WITHIN",       // the first non-field line starts the body
            "'A: 1|Subject : obsolete WSP|B: 2|C: 3|', 1000, 3, TOO_MANY_FIELDS", // RFC 5322 §4.5.3: still a field
            "'just a body line|x: 1|y: 2|z: 3|w: 4|', 1000, 3, WITHIN",        // no header at all
            "'From someone@example Mon Jan 1|A: 1|',   1000, 3, WITHIN",       // an mbox From_ line is no field
            "'A: 1|:no name|B: 2|C: 3|D: 4|',          1000, 3, WITHIN",       // an empty field name ends the header
    })
    void limits(String text, int maxSize, int maxFields, HeaderGuard.Outcome expected) throws IOException {
        for (int piece : new int[] {1, 2, 3, 7, 1000}) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            assertThat(feed(text, maxSize, maxFields, piece, sink)).as("piece %d", piece).isEqualTo(expected);
            if (expected == HeaderGuard.Outcome.WITHIN) {
                assertThat(sink.toString(StandardCharsets.US_ASCII)).isEqualTo(text.replace("|", "\r\n")); // passed on whole
            } else {
                assertThat(sink.size()).isLessThanOrEqualTo(maxSize + piece); // stops writing at the limit
            }
        }
    }
}
