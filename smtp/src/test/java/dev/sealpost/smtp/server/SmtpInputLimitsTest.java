package dev.sealpost.smtp.server;

import dev.sealpost.core.io.CommandDeadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Header section limits (DATA and BDAT) and the per-command deadline, as dialogues (reliability findings 4 and 5). */
class SmtpInputLimitsTest extends ServerTestBase {

    private Dialog mxEhlo(SmtpServerConfig cfg) throws Exception {
        Dialog d = Dialog.connect(start(cfg));
        d.run("S: 220 mx.test ESMTP Sealpost", "C: EHLO client.test");
        d.readReply();
        return d;
    }

    private static SmtpServerConfig headerLimits(int size, int fields) {
        return mxConfig().withLimits(SmtpServerConfig.Limits.defaults().withHeaderLimits(size, fields));
    }

    /** A field folded over many 77-octet lines (what the reliability battery sends, scaled down). */
    private static String bigField(int octets) {
        StringBuilder sb = new StringBuilder("X-Big: start\r\n");
        while (sb.length() < octets) sb.append(' ').append("a".repeat(74)).append("\r\n");
        return sb.toString();
    }

    @Test
    void foldedHugeHeaderFieldIsRefusedAtEndOfDataAndTheSessionGoesOn() throws Exception {
        try (Dialog d = mxEhlo(headerLimits(4096, 1000))) {
            d.run("C: MAIL FROM:<a@example.org>", "S: 250 *", "C: RCPT TO:<b@example.net>", "S: 250 *", "C: DATA", "S: 354 *");
            d.send("Subject: big\r\n" + bigField(100_000) + "\r\nbody\r\n.\r\n");
            d.run("S: 552 5.3.4 Message header size exceeds fixed maximum", "C: NOOP", "S: 250 2.0.0 Ok");
            // the next message, within the limits, goes through
            d.run("C: MAIL FROM:<a@example.org>", "S: 250 *", "C: RCPT TO:<b@example.net>", "S: 250 *", "C: DATA", "S: 354 *");
            d.send("Subject: small\r\n" + bigField(3000) + "\r\n" + "body line\r\n".repeat(1000) + ".\r\n");
            d.run("S: 250 2.0.0 Ok: queued*");
        }
        assertThat(rec.delivered).hasSize(1);
        assertThat(rec.aborted).isEqualTo(1);
    }

    @Test
    void tooManyHeaderFieldsIsRefused() throws Exception {
        try (Dialog d = mxEhlo(headerLimits(1 << 20, 5))) {
            d.run("C: MAIL FROM:<a@example.org>", "S: 250 *", "C: RCPT TO:<b@example.net>", "S: 250 *", "C: DATA", "S: 354 *");
            // five fields, one with a continuation line, then a body of many lines: accepted
            d.send("A: 1\r\nB: 2\r\n  folded\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n" + "F: body, not a field\r\n".repeat(50) + ".\r\n");
            d.run("S: 250 2.0.0 Ok: queued*");
            d.run("C: MAIL FROM:<a@example.org>", "S: 250 *", "C: RCPT TO:<b@example.net>", "S: 250 *", "C: DATA", "S: 354 *");
            d.send("A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\n\r\nbody\r\n.\r\n");
            d.run("S: 552 5.3.4 Too many header fields", "C: NOOP", "S: 250 2.0.0 Ok");
        }
        assertThat(rec.delivered).hasSize(1);
    }

    @Test
    void bdatHeaderLimitEndsTheTransaction() throws Exception {
        try (Dialog d = mxEhlo(headerLimits(1000, 1000))) {
            d.run("C: MAIL FROM:<a@example.org>", "S: 250 *", "C: RCPT TO:<b@example.net>", "S: 250 *");
            String chunk = bigField(1500);
            d.send("BDAT " + chunk.length() + "\r\n" + chunk);
            d.run("S: 552 5.3.4 Message header size exceeds fixed maximum");
            d.send("BDAT 6 LAST\r\n\r\nbody");
            d.run("S: 503 5.5.1 Need MAIL command", "C: NOOP", "S: 250 2.0.0 Ok");
            // within the limit, split over chunks
            String head = bigField(900);
            d.run("C: MAIL FROM:<a@example.org>", "S: 250 *", "C: RCPT TO:<b@example.net>", "S: 250 *");
            d.send("BDAT 100\r\n" + head.substring(0, 100));
            d.run("S: 250 2.0.0 100 octets received");
            String rest = head.substring(100) + "\r\n" + "x".repeat(5000) + "\r\n";
            d.send("BDAT " + rest.length() + " LAST\r\n" + rest);
            d.run("S: 250 2.0.0 Ok: queued*");
        }
        assertThat(rec.delivered).hasSize(1);
    }

    private static SmtpServerConfig deadline(Duration perCommand) {
        return mxConfig().withLimits(SmtpServerConfig.Limits.defaults().withIdleTimeout(Duration.ofSeconds(30))
                .withDeadline(new CommandDeadline.Settings(perCommand, 1024)));
    }

    @Test
    void aDripFedCommandLineIsCutAtItsDeadline() throws Exception {
        try (Dialog d = mxEhlo(deadline(Duration.ofMillis(1500)))) {
            long t0 = System.nanoTime();
            // never idle for the 30 s idle timeout, but the line never ends
            for (char c : "NOOP NOOP NOOP NOOP".toCharArray()) {
                try {
                    d.send(String.valueOf(c));
                } catch (java.io.IOException e) {
                    break; // closed by the server
                }
                Thread.sleep(250);
                // drip for 1.2 s only, then wait without a line end: no more octets cross the server's close
                if (System.nanoTime() - t0 > 1_200_000_000L) break;
            }
            d.run("S: 421 4.4.2 mx.test Timeout, closing connection", "S: <closed>");
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(1000L, 8000L);
        }
    }

    @Test
    void aDripFedMessageIsCutAtItsDeadlineButASteadyOneIsNot() throws Exception {
        try (Dialog d = mxEhlo(deadline(Duration.ofMillis(1500)))) {
            // a normal command well within its deadline, after a wait longer than the deadline
            Thread.sleep(1700);
            d.run("C: NOOP", "S: 250 2.0.0 Ok");
            d.run("C: MAIL FROM:<a@example.org>", "S: 250 *", "C: RCPT TO:<b@example.net>", "S: 250 *", "C: DATA", "S: 354 *");
            for (int i = 0; i < 4; i++) { // 1.2 s of dripping, then nothing: the deadline (1.5 s) cuts, not the 30 s idle timeout
                try {
                    d.send("line " + i + "\r\n");
                } catch (java.io.IOException e) {
                    break;
                }
                Thread.sleep(300);
            }
            d.run("S: 421 4.4.2 mx.test Timeout, closing connection", "S: <closed>");
        }
        assertThat(rec.delivered).isEmpty();
    }
}
