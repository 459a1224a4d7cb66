package dev.sealpost.lists.bounce;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class BounceParserTest {
    static final BounceParser PARSER = new BounceParser();

    static String report(String perRecipient, String statusEncoding) {
        String body = "Reporting-MTA: dns; mx.example.net\r\n\r\n" + perRecipient;
        if (statusEncoding.equals("base64")) body = Base64.getMimeEncoder().encodeToString(body.getBytes(StandardCharsets.US_ASCII)) + "\r\n";
        return "From: MAILER-DAEMON@example.net\r\nTo: list-bounces+bob=example.org@lists.example.com\r\n"
                + "Subject: Undelivered\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain\r\n\r\nDelivery failed for <decoy@example.org>: see below\r\n"
                + "--b1\r\nContent-Type: message/delivery-status\r\nContent-Transfer-Encoding: " + statusEncoding + "\r\n\r\n" + body
                + "--b1\r\nContent-Type: message/rfc822\r\n\r\nFrom: a@b.example\r\nTo: x@y.example\r\n\r\nhi\r\n--b1--\r\n";
    }

    @Test
    void actionFailedIsPermanentDelayedTemporaryOthersIgnored() {
        Bounce b = PARSER.parse(report("""
                Final-Recipient: rfc822; bob@example.org\r
                Action: failed\r
                Status: 5.1.1\r
                Diagnostic-Code: smtp; 550 5.1.1 no such user\r
                \r
                Final-Recipient: rfc822;<carol@example.org>\r
                Action: delayed\r
                Status: 4.4.1 (timeout)\r
                \r
                Final-Recipient: rfc822; dave@example.org\r
                Action: delivered\r
                Status: 2.0.0\r
                \r
                """, "7bit").getBytes(StandardCharsets.US_ASCII));
        assertThat(b.format()).isEqualTo(Bounce.Format.DSN);
        assertThat(b.permanent()).containsExactly("bob@example.org");
        assertThat(b.temporary()).containsExactly("carol@example.org");
        assertThat(b.recipients().getFirst().status()).isEqualTo("5.1.1");
        assertThat(b.recipients().getFirst().diagnostic()).isEqualTo("smtp; 550 5.1.1 no such user");
        assertThat(b.recipients().get(1).status()).isEqualTo("4.4.1");
    }

    @Test
    void aSuccessReportIsNoBounceAndTheTextIsNotGuessedFrom() {
        Bounce b = PARSER.parse(report("Final-Recipient: rfc822; dave@example.org\r\nAction: delivered\r\nStatus: 2.0.0\r\n\r\n", "7bit")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(b.isBounce()).isFalse();
        assertThat(b.format()).isEqualTo(Bounce.Format.NONE);
    }

    @Test
    void originalRecipientWinsAndBase64ReportsAreDecoded() {
        Bounce b = PARSER.parse(report("Original-Recipient: rfc822;list-member@example.org\r\nFinal-Recipient: rfc822; forwarded@elsewhere.example\r\n"
                + "Action: failed\r\nStatus: 5.2.2\r\n", "base64").getBytes(StandardCharsets.US_ASCII));
        assertThat(b.permanent()).containsExactly("list-member@example.org");
    }

    @Test
    void foldedFieldsAndNonRfc822TypesAndDuplicates() {
        Bounce b = PARSER.parse(report("Final-Recipient: rfc822;\r\n  bob@example.org\r\nAction: delayed\r\n\r\n"
                + "Final-Recipient: rfc822; BOB@example.org\r\nAction: failed\r\n\r\n"
                + "Final-Recipient: x400; /S=bob/C=GB/\r\nAction: failed\r\n\r\n", "7bit").getBytes(StandardCharsets.US_ASCII));
        // the same address twice: permanent wins; the x400 address is not an address we can use
        assertThat(b.recipients()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualToIgnoringCase("bob@example.org");
            assertThat(r.kind()).isEqualTo(Bounce.Kind.PERMANENT);
        });
    }

    @Test
    void limitsBoundTheWork() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 500; i++) many.append("Final-Recipient: rfc822; u").append(i).append("@example.org\r\nAction: failed\r\n\r\n");
        byte[] mail = report(many.toString(), "7bit").getBytes(StandardCharsets.US_ASCII);
        assertThat(PARSER.parse(mail).recipients()).hasSize(100);
        BounceParser tiny = new BounceParser(new BounceLimits(mail.length, 1024, 10, 5));
        Bounce b = tiny.parse(mail);
        assertThat(b.recipients()).hasSizeLessThanOrEqualTo(5).isNotEmpty();
        // the message itself cut short: what was not read is not guessed
        BounceParser shortRead = new BounceParser(new BounceLimits(200, 1024, 10, 5));
        assertThat(shortRead.parse(mail).isBounce()).isFalse();
    }

    @Test
    void plainTextFormats() {
        String qmail = "From: MAILER-DAEMON@q.example\nSubject: failure notice\n\nHi. This is the qmail-send program at q.example.\n"
                + "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
                + "This is a permanent error; I've given up. Sorry it didn't work out.\n\n<gone@q.example>:\nSorry, no mailbox here by that name.\n\n"
                + "--- Below this line is a copy of the message.\n\nReturn-Path: <list-bounces@l.example>\nTo: <other@q.example>:\n";
        Bounce b = PARSER.parse(qmail.getBytes(StandardCharsets.US_ASCII));
        assertThat(b.format()).isEqualTo(Bounce.Format.QMAIL);
        assertThat(b.permanent()).containsExactly("gone@q.example");
        String exim = "Subject: Warning: message delayed\n\nThis message was created automatically by mail delivery software.\n"
                + "A message that you sent has not yet been delivered to one or more of its recipients after 2 days.\n\n"
                + "The message has not yet been delivered to the following addresses:\n\n  <slow@e.example>\n    host e.example: connection refused\n";
        Bounce e = PARSER.parse(exim.getBytes(StandardCharsets.US_ASCII));
        assertThat(e.temporary()).containsExactly("slow@e.example");
        assertThat(PARSER.parse("Subject: hello\n\nJust a letter to friend@example.org about lunch.\n".getBytes(StandardCharsets.US_ASCII)).isBounce()).isFalse();
    }

    @Test
    void hostileTextStaysCheap() {
        // long runs of address characters, dots and at-signs: the patterns must stay linear
        String[] shapes = {"a".repeat(200_000), "a.".repeat(100_000), ("a".repeat(63) + "@").repeat(3000), ("x@" + "b.".repeat(40)).repeat(2000),
                ("<a@b.example>:\n").repeat(20_000), ("The following addresses had permanent fatal errors\n" + "  a@b.example (x)\n".repeat(5)).repeat(2000)};
        for (String shape : shapes) {
            byte[] mail = ("Subject: x\n\nThis is the Postfix program at host h\n" + shape).getBytes(StandardCharsets.US_ASCII);
            long start = System.nanoTime();
            Bounce b = PARSER.parse(mail);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms).as("parse time for a %d-octet shape", mail.length).isLessThan(3000);
            assertThat(b.recipients()).hasSizeLessThanOrEqualTo(100);
        }
    }
}
