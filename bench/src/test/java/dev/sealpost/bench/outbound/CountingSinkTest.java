package dev.sealpost.bench.outbound;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CountingSinkTest {
    private static final long SECOND = 1_000_000_000L;

    /** A line-at-a-time SMTP client for the tests. */
    private static final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;

        Client(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(10_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
        }

        /** Sends text as is, then reads {@code replies} replies (multi-line ones whole) and returns their last lines. */
        List<String> send(String text, int replies) throws IOException {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            List<String> got = new ArrayList<>();
            for (int i = 0; i < replies; i++) {
                String line;
                do {
                    line = in.readLine();
                    assertThat(line).as("reply line").isNotNull();
                } while (line.length() > 3 && line.charAt(3) == '-');
                got.add(line);
            }
            return got;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static String message(String id, String body) {
        return "From: <a@load.test>\r\nMessage-ID: " + id + "\r\nSubject: t\r\n\r\n" + body + ".\r\n";
    }

    @Test
    void countsConnectionsMessagesPerConnectionAndBytesWithPipelining() throws Exception {
        try (CountingSink sink = new CountingSink(0)) {
            try (Client c = new Client(sink.port())) {
                assertThat(c.send("", 1)).singleElement().asString().startsWith("220 ");
                List<String> ehlo = c.send("EHLO client.test\r\n", 1);
                assertThat(ehlo.getFirst()).isEqualTo("250 ENHANCEDSTATUSCODES");
                for (int i = 0; i < 3; i++) {
                    // RFC 2920: MAIL, RCPT and DATA in one group; three replies
                    assertThat(c.send("MAIL FROM:<a@load.test>\r\nRCPT TO:<b@sink.test>\r\nDATA\r\n", 3))
                            .extracting(s -> s.substring(0, 3)).containsExactly("250", "250", "354");
                    assertThat(c.send(message("<m" + i + "@load.test>", "line one\r\n..dot-stuffed\r\n"), 1).getFirst()).startsWith("250 ");
                    c.send("RSET\r\n", 1);
                }
                assertThat(c.send("QUIT\r\n", 1).getFirst()).startsWith("221 ");
            }
            try (Client c = new Client(sink.port())) {
                c.send("", 1);
                c.send("HELO client.test\r\n", 1);
                c.send("MAIL FROM:<a@load.test>\r\nRCPT TO:<b@sink.test>\r\nDATA\r\n", 3);
                c.send(message("<m9@load.test>", ""), 1);
                c.send("QUIT\r\n", 1);
            }
            assertThat(sink.awaitMessages(4, System.nanoTime() + 5 * SECOND)).isTrue();
            CountingSink.Snapshot s = sink.snapshot();
            assertThat(s.connections()).isEqualTo(2);
            assertThat(s.messages()).isEqualTo(4);
            assertThat(s.maxPerConnection()).isEqualTo(3);
            assertThat(s.reuse()).isEqualTo(2.0);
            assertThat(s.duplicates()).isZero();
            String header = "From: <a@load.test>\r\nMessage-ID: <m0@load.test>\r\nSubject: t\r\n\r\n";
            long first = header.length() + "line one\r\n..dot-stuffed\r\n".length();
            assertThat(s.bytes()).isEqualTo(3 * first + header.length()); // the last message has an empty body
            assertThat(s.firstMessageNanos()).isPositive().isLessThanOrEqualTo(s.lastMessageNanos());
        }
    }

    @Test
    void sameMessageIdTwiceIsADuplicateAndDoesNotCountTowardsAwait() throws Exception {
        try (CountingSink sink = new CountingSink(0); Client c = new Client(sink.port())) {
            c.send("", 1);
            c.send("EHLO client.test\r\n", 1);
            for (String id : List.of("<x@load.test>", "<x@load.test>", "<y@load.test>")) {
                c.send("MAIL FROM:<a@load.test>\r\nRCPT TO:<b@sink.test>\r\nDATA\r\n", 3);
                c.send(message(id, "body\r\n"), 1);
            }
            assertThat(sink.awaitMessages(2, System.nanoTime() + 5 * SECOND)).isTrue();
            assertThat(sink.awaitMessages(3, System.nanoTime() + SECOND / 5)).as("only two distinct messages").isFalse();
            CountingSink.Snapshot s = sink.snapshot();
            assertThat(s.messages()).isEqualTo(3);
            assertThat(s.duplicates()).isEqualTo(1);
            assertThat(s.duplicateIds()).containsExactly("<x@load.test>");
        }
    }

    @Test
    void deferModeRefusesRecipientsTemporarilyAndDataWithoutRecipient() throws Exception {
        try (CountingSink sink = new CountingSink(0); Client c = new Client(sink.port())) {
            sink.deferRecipients(true);
            c.send("", 1);
            c.send("EHLO client.test\r\n", 1);
            assertThat(c.send("MAIL FROM:<a@load.test>\r\nRCPT TO:<b@sink.test>\r\nDATA\r\n", 3))
                    .extracting(s -> s.substring(0, 3)).containsExactly("250", "451", "503"); // RFC 5321 §4.1.1.4
            assertThat(sink.awaitDeferred(1, System.nanoTime() + 5 * SECOND)).isTrue();
            sink.reset();
            sink.deferRecipients(false);
            assertThat(c.send("RSET\r\nMAIL FROM:<a@load.test>\r\nRCPT TO:<b@sink.test>\r\nDATA\r\n", 4))
                    .extracting(s -> s.substring(0, 3)).containsExactly("250", "250", "250", "354");
            c.send(message("<z@load.test>", "b\r\n"), 1);
            assertThat(sink.awaitMessages(1, System.nanoTime() + 5 * SECOND)).isTrue();
            assertThat(sink.deferred()).isZero();
            assertThat(sink.snapshot().connections()).as("counted afresh after reset").isZero();
        }
    }

    @Test
    void rejectsOverlongCommandLinesAndUnknownCommands() throws Exception {
        try (CountingSink sink = new CountingSink(0); Client c = new Client(sink.port())) {
            c.send("", 1);
            assertThat(c.send("STARTTLS\r\n", 1).getFirst()).startsWith("502 ");
            assertThat(c.send("NOOP " + "x".repeat(CountingSink.MAX_COMMAND + 10) + "\r\n", 1).getFirst()).startsWith("500 ");
            assertThat(c.in.readLine()).as("closed after the overlong line").isNull();
        }
    }

    @Test
    void injectorDeliversEveryMessageOverItsConnections() throws Exception {
        try (CountingSink sink = new CountingSink(0)) {
            Injector.Outcome o = new Injector("127.0.0.1", sink.port(), 3, 30, 1000, "a@load.test", "b@sink.test", 10_000).run();
            assertThat(o.errors()).isEmpty();
            assertThat(o.accepted()).isEqualTo(30);
            assertThat(sink.awaitMessages(30, System.nanoTime() + 5 * SECOND)).isTrue();
            CountingSink.Snapshot s = sink.snapshot();
            assertThat(s.connections()).isEqualTo(3);
            assertThat(s.duplicates()).isZero();
            assertThat(o.lastAcceptNanos()).isGreaterThan(o.firstSendNanos());
        }
    }

    @Test
    void bodyHasExactSizeAndNoLineStartingWithADot() {
        for (int size : new int[] {2, 3, 77, 78, 79, 80, 4096, 102400}) {
            byte[] b = Injector.body(size);
            assertThat(b).as("size %d", size).hasSize(size);
            String text = new String(b, StandardCharsets.US_ASCII);
            assertThat(text).endsWith("\r\n");
            assertThat(text.split("\r\n", -1)).allSatisfy(line -> assertThat(line).doesNotStartWith(".").hasSizeLessThanOrEqualTo(77));
        }
    }

    @Test
    void reportParsesResultLinesAndFlagsDuplicates() {
        String ok = "RESULT\tlive\t4096\t4\t100\t100\t100\t2.00\t50.00\t1.00\t100.00\t2\t50.00\t50\t2\t1.50\t3.00\t9.00\t1.00\t0\t200.00\t0";
        String dup = ok.replace("\t100\t100\t100\t", "\t100\t100\t102\t").replaceAll("\t0$", "\t2");
        String table = OutboundReport.table(List.of(OutboundReport.Run.parse(ok), OutboundReport.Run.parse(dup)));
        assertThat(table).contains("| live | 4 KiB | 4 | 100 | 2 | 100 | 50 (50–50) ⚠ | 1.50 | 200 | 2 | 50.0 (50) | 2 | 3.00 | 9.00 | 1.00 | 2 |");
        assertThat(table).contains("⚠ some run lost messages or delivered duplicates");
    }
}
