package dev.sealpost.app.evidence;

import dev.sealpost.evidence.record.EvidenceRecord;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * The submission receipt as a message for the sender's {@code Receipts} mailbox: RFC 6522
 * {@code multipart/report} style, a human-readable part first and the machine-readable receipt
 * JSON (record, signature, time-stamp token, checkpoint, inclusion proof) second, as an
 * attachment that {@code bin/sealpost evidence verify} accepts as it is.
 */
final class ReceiptMessage {
    /** RFC 6522 §3: the report-type names the second part; ours is not registered, hence the prefix-free private name. */
    static final String REPORT_TYPE = "sealpost-evidence-receipt";

    private ReceiptMessage() {}

    static byte[] build(String hostname, String account, EvidenceRecord record, String receiptJson, Clock clock) {
        String boundary = "=_receipt_" + record.id();
        String mid = record.messageId() == null ? "(none)" : record.messageId();
        StringBuilder m = new StringBuilder();
        // RFC 5322 §3.6: Date and From are required; Message-ID recommended
        m.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(clock))).append("\r\n");
        m.append("From: Sealpost evidence <postmaster@").append(hostname).append(">\r\n");
        m.append("To: <").append(account).append(">\r\n");
        m.append("Subject: Submission receipt ").append(record.id()).append("\r\n");
        m.append("Message-ID: <receipt.").append(record.id()).append("@").append(hostname).append(">\r\n");
        m.append("Auto-Submitted: auto-generated\r\n");   // RFC 3834 §5
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: multipart/report; report-type=").append(REPORT_TYPE).append(";\r\n\tboundary=\"").append(boundary).append("\"\r\n");
        m.append("\r\n");
        m.append("--").append(boundary).append("\r\n");
        m.append("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        m.append("Your message was accepted for delivery and recorded in the evidence log of ").append(hostname).append(".\r\n\r\n");
        m.append("Record:      ").append(record.id()).append(" (").append(record.event().wire()).append(")\r\n");
        m.append("Time:        ").append(record.toJson().get("time")).append("\r\n");
        m.append("Message-ID:  ").append(oneLine(mid)).append("\r\n");
        m.append("SHA-256:     ").append(record.sha256()).append(" (of the message as stored)\r\n");
        m.append("From:        <").append(oneLine(record.mailFrom() == null ? "" : record.mailFrom())).append(">\r\n");
        for (String r : record.rcpt()) m.append("To:          <").append(oneLine(r)).append(">\r\n");
        m.append("\r\nThe attached JSON holds the signed record, its RFC 3161 time stamp, a signed checkpoint of\r\n");
        m.append("the log and the inclusion proof. Check it offline with the log's key (https://").append(hostname)
                .append("/evidence/keys):\r\n\r\n");
        m.append("  sealpost evidence verify receipt-").append(record.id()).append(".json --log-key log.pub --message message.eml\r\n\r\n");
        m.append("--").append(boundary).append("\r\n");
        m.append("Content-Type: application/json; name=\"receipt-").append(record.id()).append(".json\"\r\n");
        m.append("Content-Disposition: attachment; filename=\"receipt-").append(record.id()).append(".json\"\r\n");
        m.append("Content-Transfer-Encoding: base64\r\n\r\n");   // RFC 2045 §6.8: one JSON line can exceed 998 octets
        String b64 = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(receiptJson.getBytes(StandardCharsets.UTF_8));
        m.append(b64).append("\r\n");
        m.append("--").append(boundary).append("--\r\n");
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]", "");
    }

    /** The receipt JSON of a receipt message (the base64 attachment), or null if there is none. */
    static String receiptJson(byte[] message) {
        String text = new String(message, StandardCharsets.UTF_8);
        int at = text.indexOf("Content-Type: application/json");
        if (at < 0) return null;
        int body = text.indexOf("\r\n\r\n", at);
        int end = text.indexOf("\r\n--", body);
        if (body < 0 || end < 0) return null;
        return new String(Base64.getMimeDecoder().decode(text.substring(body + 4, end)), StandardCharsets.UTF_8);
    }

    /** Parsed facts for the IMAP cache; a parser failure only loses the cache. */
    static dev.sealpost.store.MessageSummary summary(byte[] message) {
        try {
            dev.sealpost.message.MessageStructure s = dev.sealpost.message.MessageStructure.parse(
                    new ByteArrayInputStream(message), dev.sealpost.message.MessageStructure.Limits.defaults());
            dev.sealpost.message.Envelope env = s.envelope();
            return new dev.sealpost.store.MessageSummary(s.toBytes(), env.decodedSubject(), env.displayFrom(), env.messageId(), env.inReplyTo());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
