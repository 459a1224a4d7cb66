package dev.sealpost.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6376 §3.4: the §3.4.5 example and edge cases. */
class CanonicalizationTest {
    static String body(Canonicalization c, String body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
        long len = c.body(b, 0, b.length, out::write);
        assertThat(len).isEqualTo(out.size());
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void rfc6376Section345Example() {
        assertThat(Canonicalization.RELAXED.header("A: X\r\n")).isEqualTo("a:X\r\n");
        assertThat(Canonicalization.RELAXED.header("B : Y\t\r\n\tZ  \r\n")).isEqualTo("b:Y Z\r\n");
        assertThat(body(Canonicalization.RELAXED, " C \r\nD \t E\r\n\r\n\r\n")).isEqualTo(" C\r\nD E\r\n");
        assertThat(Canonicalization.SIMPLE.header("B : Y\t\r\n\tZ  \r\n")).isEqualTo("B : Y\t\r\n\tZ  \r\n");
        assertThat(body(Canonicalization.SIMPLE, " C \r\nD \t E\r\n\r\n\r\n")).isEqualTo(" C \r\nD \t E\r\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            SIMPLE  | ''                 | '\r\n'
            RELAXED | ''                 | ''
            SIMPLE  | 'abc'              | 'abc\r\n'
            RELAXED | 'abc'              | 'abc\r\n'
            SIMPLE  | '\r\n\r\n'         | '\r\n'
            RELAXED | ' \r\n\t\r\n'      | ''
            RELAXED | 'a\r\n\r\nb \r\n\r\n' | 'a\r\n\r\nb\r\n'
            RELAXED | 'a\rb  c'          | 'a\rb c\r\n'
            """)
    void bodies(Canonicalization c, String in, String out) {
        assertThat(body(c, unescape(in))).isEqualTo(unescape(out));
    }

    static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
    }

    @Test
    void emptyBodyHashes() {
        // the well-known values for an empty body (RFC 6376 §3.4.3, §3.4.4)
        assertThat(Base64.getEncoder().encodeToString(Canonicalization.SIMPLE.bodyHash(new byte[0], 0, 0, -1, "sha256").hash()))
                .isEqualTo("frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=");
        assertThat(Base64.getEncoder().encodeToString(Canonicalization.RELAXED.bodyHash(new byte[0], 0, 0, -1, "sha256").hash()))
                .isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    }

    @Test
    void bodyLengthLimitCutsTheHash() {
        byte[] b = "hello world\r\n".getBytes(StandardCharsets.US_ASCII);
        Canonicalization.BodyHash h = Canonicalization.SIMPLE.bodyHash(b, 0, b.length, 5, "sha256");
        assertThat(h.canonicalLength()).isEqualTo(13);
        assertThat(h.hashedLength()).isEqualTo(5);
        assertThat(h.hash()).isEqualTo(Canonicalization.SIMPLE.bodyHash("hello".getBytes(StandardCharsets.US_ASCII), 0, 5, 5, "sha256").hash());
    }

    @Test
    void relaxedHeaderKeepsNonAsciiBytesAndLowersAsciiOnly() {
        String raw = "SUBJECT:\t  Caf\u00e9 \u00c9t\u00e9  \r\n";
        assertThat(Canonicalization.RELAXED.header(raw)).isEqualTo("subject:Caf\u00e9 \u00c9t\u00e9\r\n");
        assertThat(Canonicalization.SIMPLE.header("X: y")).isEqualTo("X: y\r\n");
    }

    /** The plain line-by-line algorithm of RFC 6376 §3.4.4, as a reference for the fast path. */
    private static byte[] relaxedReference(byte[] b) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int pendingEmpty = 0, i = 0, end = b.length;
        while (i < end) {
            int eol = i;
            while (eol < end && !(b[eol] == '\r' && eol + 1 < end && b[eol + 1] == '\n')) eol++;
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            boolean space = false;
            for (int k = i; k < eol; k++) {
                byte c = b[k];
                if (c == ' ' || c == '\t') {
                    space = true;
                } else {
                    if (space) line.write(' ');
                    space = false;
                    line.write(c);
                }
            }
            if (line.size() == 0) {
                pendingEmpty++;
            } else {
                for (; pendingEmpty > 0; pendingEmpty--) out.writeBytes(new byte[] {'\r', '\n'});
                out.writeBytes(line.toByteArray());
                out.writeBytes(new byte[] {'\r', '\n'});
            }
            i = eol < end ? eol + 2 : end;
        }
        return out.toByteArray();
    }

    @org.junit.jupiter.api.RepeatedTest(1)
    void relaxedBodyFastPathEqualsTheLineByLineDefinition() {
        java.util.Random r = new java.util.Random(6376);
        byte[] alphabet = {'a', 'b', ' ', ' ', '\t', '\r', '\n', '\r', '\n', (byte) 0xe9};
        for (int n = 0; n < 20_000; n++) {
            byte[] in = new byte[r.nextInt(60)];
            for (int k = 0; k < in.length; k++) in[k] = alphabet[r.nextInt(alphabet.length)];
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            long len = Canonicalization.RELAXED.body(in, 0, in.length, got::write);
            byte[] want = relaxedReference(in);
            assertThat(got.toByteArray()).as("input %s", java.util.Arrays.toString(in)).isEqualTo(want);
            assertThat(len).isEqualTo(want.length);
        }
    }
}
