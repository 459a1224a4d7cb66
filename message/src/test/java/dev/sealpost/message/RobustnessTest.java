package dev.sealpost.message;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static dev.sealpost.message.Structures.checkInvariants;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and mutated messages: the parser never throws, offsets stay within the message and
 * nested properly, and the cache format round-trips. Seeded, so a failure is reproducible.
 */
class RobustnessTest {
    private static final MessageStructure.Limits TIGHT = new MessageStructure.Limits(300, 8, 3, 12, 20);
    private static final String[] TYPES = {"text/plain", "text/html; charset=utf-8", "multipart/mixed", "multipart/alternative",
            "multipart/digest", "message/rfc822", "message/global", "application/octet-stream", "image/png; name*0*=utf-8''%C3%A9; name*1=x",
            "multipart/related", "garbage", ""};
    private static final String[] HEADERS = {"From: \"A, B\" <a@b.example>", "To: g: x@y, (c) <z@w>;, bad <<<", "Subject: =?utf-8?q?x?= y",
            "Cc: @@@,,,;;;", "Content-Disposition: attachment; filename*=''%FF", "Content-Transfer-Encoding: base64",
            "Content-Language: en (x), , fr", "X-Folded: a\r\n\tb\r\n c", " leading continuation", "no colon here", ":", "Date: x"};

    @Test
    void randomAndMutatedMessagesNeverBreakTheParser() throws IOException {
        Random rnd = new Random(20260301);
        for (int i = 0; i < 3000; i++) {
            byte[] msg = generate(rnd, 0).getBytes(StandardCharsets.UTF_8);
            if (rnd.nextBoolean()) msg = mutate(rnd, msg);
            check(msg, MessageStructure.Limits.defaults());
            check(msg, TIGHT);
        }
    }

    /** Coverage-guided (Jazzer): run {@code JAZZER_FUZZ=1 mvn test -Dtest=RobustnessTest}; otherwise runs its seeds only. */
    @FuzzTest(maxDuration = "60s")
    void fuzz(byte[] data) throws IOException {
        check(data, MessageStructure.Limits.defaults());
        check(data, TIGHT);
    }

    private static void check(byte[] msg, MessageStructure.Limits limits) throws IOException {
        MessageStructure s = MessageStructure.parse(new ByteArrayInputStream(msg), limits);
        try {
            assertThat(s.size()).isEqualTo(msg.length);
            checkInvariants(s);
            assertThat(MessageStructure.fromBytes(s.toBytes())).isEqualTo(s);
        } catch (AssertionError e) {
            throw new AssertionError("with " + limits + " on message:\n"
                    + new String(msg, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n\n") + "\n" + s, e);
        }
    }

    private static String eol(Random rnd) {
        return rnd.nextInt(10) == 0 ? "\n" : "\r\n";
    }

    private static String generate(Random rnd, int depth) {
        StringBuilder b = new StringBuilder();
        int nh = rnd.nextInt(4);
        for (int i = 0; i < nh; i++) b.append(HEADERS[rnd.nextInt(HEADERS.length)]).append(eol(rnd));
        String type = depth > 4 ? "text/plain" : TYPES[rnd.nextInt(TYPES.length)];
        String boundary = "b" + depth + (rnd.nextBoolean() ? "" : "=_" + rnd.nextInt(100));
        if (type.startsWith("multipart/")) {
            b.append("Content-Type: ").append(type).append("; boundary=\"").append(boundary).append('"').append(eol(rnd));
        } else if (!type.isEmpty()) {
            b.append("Content-Type: ").append(type).append(eol(rnd));
        }
        if (rnd.nextInt(8) != 0) b.append(eol(rnd));
        if (type.startsWith("multipart/")) {
            if (rnd.nextBoolean()) b.append("preamble").append(eol(rnd));
            int n = rnd.nextInt(4);
            for (int i = 0; i < n; i++) {
                b.append("--").append(boundary).append(rnd.nextInt(5) == 0 ? " \t" : "").append(eol(rnd));
                b.append(generate(rnd, depth + 1)).append(eol(rnd));
            }
            if (rnd.nextInt(4) != 0) b.append("--").append(boundary).append("--").append(eol(rnd));
            if (rnd.nextBoolean()) b.append("epilogue").append(eol(rnd));
        } else if (type.startsWith("message/")) {
            b.append(generate(rnd, depth + 1));
        } else {
            int lines = rnd.nextInt(4);
            for (int i = 0; i < lines; i++) b.append("line ").append(i).append(rnd.nextInt(6) == 0 ? "" : eol(rnd));
        }
        return b.toString();
    }

    private static byte[] mutate(Random rnd, byte[] msg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] m = msg.clone();
        int ops = 1 + rnd.nextInt(5);
        for (int k = 0; k < ops && m.length > 0; k++) {
            int at = rnd.nextInt(m.length);
            switch (rnd.nextInt(5)) {
                case 0 -> m[at] = (byte) rnd.nextInt(256);
                case 1 -> m = java.util.Arrays.copyOf(m, at); // truncate
                case 2 -> {
                    out.reset();
                    out.write(m, 0, at);
                    out.writeBytes("\r\n--b0\r\n--b1--\r\n\n\r\r".substring(rnd.nextInt(5)).getBytes(StandardCharsets.US_ASCII));
                    out.write(m, at, m.length - at);
                    m = out.toByteArray();
                }
                case 3 -> {
                    out.reset();
                    out.write(m, 0, at);
                    out.write(m, 0, m.length); // duplicate a prefix
                    m = out.toByteArray();
                }
                default -> m[at] = (byte) "\r\n:;\"()<>-=\t ".charAt(rnd.nextInt(13));
            }
        }
        return m;
    }
}
