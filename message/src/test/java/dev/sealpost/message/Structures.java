package dev.sealpost.message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Test helpers: slicing by a part's ranges and the structural invariants every parse must keep. */
final class Structures {
    private Structures() {}

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String slice(byte[] msg, long off, long len) {
        return new String(Arrays.copyOfRange(msg, (int) off, (int) (off + len)), StandardCharsets.UTF_8);
    }

    static String header(byte[] msg, Part p) {
        return slice(msg, p.headerStart(), p.headerLength());
    }

    static String body(byte[] msg, Part p) {
        return slice(msg, p.bodyStart(), p.bodyLength());
    }

    /** Offsets within bounds and nested properly; composite parts consistent. */
    static void checkInvariants(MessageStructure s) {
        assertThat(s.root().headerStart()).isZero();
        assertThat(s.root().end()).isEqualTo(s.size());
        check(s.root(), 0, s.size(), 0);
    }

    private static void check(Part p, long from, long to, int depth) {
        assertThat(depth).isLessThan(200);
        assertThat(p.headerStart()).isBetween(from, to);
        assertThat(p.headerLength()).isNotNegative();
        assertThat(p.bodyStart()).isEqualTo(p.headerStart() + p.headerLength());
        assertThat(p.bodyLength()).isNotNegative();
        assertThat(p.end()).isBetween(p.bodyStart(), to);
        assertThat(p.bodyLines()).isNotNegative().isLessThanOrEqualTo(p.bodyLength());
        assertThat(p.type()).isNotBlank();
        assertThat(p.subtype()).isNotBlank();
        assertThat(p.encoding()).isNotBlank();
        if (p.type().equals("multipart")) assertThat(p.children()).isNotEmpty();
        if (!p.children().isEmpty()) {
            assertThat(p.type()).isEqualTo("multipart");
            long prev = p.bodyStart();
            for (Part c : p.children()) {
                assertThat(c.headerStart()).isGreaterThanOrEqualTo(prev);
                check(c, p.bodyStart(), p.end(), depth + 1);
                prev = c.end();
            }
        }
        if (p.message() != null) {
            assertThat(p.mediaType()).isIn("message/rfc822", "message/global");
            assertThat(p.message().headerStart()).isEqualTo(p.bodyStart());
            assertThat(p.message().end()).isEqualTo(p.end());
            assertThat(p.message().envelope()).isNotNull();
            check(p.message(), p.bodyStart(), p.end(), depth + 1);
        }
    }
}
