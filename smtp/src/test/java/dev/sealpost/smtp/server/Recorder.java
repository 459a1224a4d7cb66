package dev.sealpost.smtp.server;

import dev.sealpost.smtp.proto.Reply;
import dev.sealpost.smtp.proto.SmtpRejection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A recording fake of the policy side: collects events and delivered messages of all
 * sessions. Addresses with local part "reject" are refused at RCPT, "blocked" at MAIL;
 * {@link #failCommit} makes commit throw an IOException.
 */
final class Recorder implements SmtpHandlerFactory {
    /** A stored message. */
    record Delivered(MailTransaction tx, byte[] content, String user, boolean tls) {
        String text() { return new String(content, java.nio.charset.StandardCharsets.UTF_8); }
    }

    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Delivered> delivered = new CopyOnWriteArrayList<>();
    final List<MailTransaction.Recipient> recipients = new CopyOnWriteArrayList<>();
    volatile boolean failCommit;
    volatile boolean refuseConnection;
    volatile int aborted;

    @Override
    public SmtpHandler open(SessionInfo session) throws SmtpRejection {
        events.add("open " + session.kind());
        if (refuseConnection) throw new SmtpRejection(new Reply(554, "5.7.1", "No SMTP service here"), true);
        return new SmtpHandler() {
            @Override
            public void helo(SessionInfo s, String name) {
                events.add("helo " + name);
            }

            @Override
            public void authenticated(SessionInfo s, String user) throws SmtpRejection {
                if (user.startsWith("disabled")) throw new SmtpRejection(535, "5.7.8", "Account disabled");
                events.add("auth " + user);
            }

            @Override
            public void mailFrom(SessionInfo s, MailTransaction tx) throws SmtpRejection {
                events.add("mail " + SmtpHandler.text(tx.reversePath()));
                if (tx.reversePath() != null && tx.reversePath().localPart().equals("blocked")) {
                    throw new SmtpRejection(550, "5.7.1", "Sender blocked");
                }
            }

            @Override
            public void rcptTo(SessionInfo s, MailTransaction tx, MailTransaction.Recipient rcpt) throws SmtpRejection {
                events.add("rcpt " + rcpt.address());
                if (rcpt.address().localPart().equals("reject")) throw new SmtpRejection(550, "5.1.1", "No such user");
                recipients.add(rcpt);
            }

            @Override
            public MessageSink beginMessage(SessionInfo s, MailTransaction tx) {
                events.add("begin");
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                return new MessageSink() {
                    @Override public OutputStream stream() { return buf; }

                    @Override
                    public Reply commit(SessionInfo s2, MailTransaction t) throws IOException {
                        if (failCommit) throw new IOException("disk full");
                        delivered.add(new Delivered(t, buf.toByteArray(), s2.authenticatedUser(), s2.tls()));
                        events.add("commit " + buf.size());
                        return new Reply(250, "2.0.0", "Ok: queued");
                    }

                    @Override
                    public void abort() {
                        aborted++;
                        events.add("abort");
                    }
                };
            }

            @Override
            public void reset() {
                events.add("reset");
            }
        };
    }

    boolean sawMailFrom(String text) {
        return events.contains("mail " + text);
    }
}
