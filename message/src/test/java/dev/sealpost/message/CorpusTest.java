package dev.sealpost.message;

import dev.sealpost.testkit.SharedSuite;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static dev.sealpost.message.Structures.checkInvariants;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke test over the shared imaptest corpus ({@code ../shared/conformance/imaptest/tests/*.mbox},
 * see its SOURCE.md): every message parses, with sane offsets, and a few structures are checked
 * against the answers the imaptest scripts expect from Dovecot.
 */
class CorpusTest {
    static final Path CORPUS = SharedSuite.path("imaptest/tests");
    /** Messages in the corpus as copied (40 mbox files, tests/broken included); a drop means a file went missing. */
    static final int EXPECTED_MESSAGES = 191;

    /** Splits an mbox (mboxo/mboxrd: a line starting with "From " begins a message) into messages. */
    static List<byte[]> split(byte[] mbox) {
        List<byte[]> out = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i < mbox.length) {
            int eol = i;
            while (eol < mbox.length && mbox[eol] != '\n') eol++;
            int next = Math.min(eol + 1, mbox.length);
            boolean from = eol - i >= 5 && new String(mbox, i, 5, StandardCharsets.US_ASCII).equals("From ");
            if (from) {
                if (start >= 0) out.add(trimSeparator(Arrays.copyOfRange(mbox, start, i)));
                start = next;
            }
            i = next;
        }
        if (start >= 0) out.add(trimSeparator(Arrays.copyOfRange(mbox, start, mbox.length)));
        return out;
    }

    /** The empty line before the next "From " line belongs to the mbox, not to the message. */
    private static byte[] trimSeparator(byte[] m) {
        if (m.length >= 1 && m[m.length - 1] == '\n') {
            int n = m.length - 1;
            if (n >= 1 && m[n - 1] == '\n') return Arrays.copyOf(m, n);
        }
        return m;
    }

    @Test
    void everyCorpusMessageParses() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(CORPUS)) {
            files = s.filter(p -> p.toString().endsWith(".mbox")).sorted().toList();
        }
        int count = 0;
        int multipart = 0;
        for (Path f : files) {
            for (byte[] msg : split(Files.readAllBytes(f))) {
                MessageStructure s = MessageStructure.parse(new ByteArrayInputStream(msg), MessageStructure.Limits.defaults());
                assertThat(s.size()).as(f.toString()).isEqualTo(msg.length);
                checkInvariants(s);
                assertThat(MessageStructure.fromBytes(s.toBytes())).isEqualTo(s);
                assertThat(s.limitHit()).as(f + " hit a limit").isFalse();
                if (s.root().isMultipart()) multipart++;
                count++;
            }
        }
        System.out.printf("corpus: %d files, %d messages, %d multipart%n", files.size(), count, multipart);
        assertThat(files).hasSize(40);
        assertThat(count).isEqualTo(EXPECTED_MESSAGES);
        assertThat(multipart).isPositive();
    }

    @Test
    void fetchBodyMessageRfc822() throws IOException {
        Path f = CORPUS.resolve("fetch-body-message-rfc822.mbox");
        byte[] msg = split(Files.readAllBytes(f)).getFirst();
        MessageStructure s = MessageStructure.parse(msg);
        assertThat(s.root().mediaType()).isEqualTo("message/rfc822");
        Envelope inner = s.root().message().envelope();
        assertThat(inner.subject()).isEqualTo("submsg");
        assertThat(inner.from()).containsExactly(new Address(null, null, "sub", "domain.org"));
        assertThat(new String(msg, (int) s.root().message().bodyStart(), (int) s.root().message().bodyLength(),
                StandardCharsets.US_ASCII)).isEqualTo("Hello world\n");
    }
}
