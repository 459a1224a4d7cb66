package dev.sealpost.smtp.client;

import dev.sealpost.core.sasl.SaslMechanism;
import dev.sealpost.smtp.proto.Reply;
import dev.sealpost.smtp.proto.SmtpRejection;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.smtp.server.MailTransaction;
import dev.sealpost.smtp.server.SessionInfo;
import dev.sealpost.smtp.server.SmtpHandler;
import dev.sealpost.smtp.server.SmtpServer;
import dev.sealpost.smtp.server.SmtpServerConfig;

import javax.net.ssl.SSLContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Our own SMTP server on an ephemeral port with a recording handler. Recipients with local part
 * "reject" are refused with 550, "later" with 450; sender "blocked" with 550 at MAIL.
 */
final class RecordingServer implements AutoCloseable {
    record Delivered(MailTransaction tx, byte[] content, boolean tls, String user) {
        String text() { return new String(content, StandardCharsets.UTF_8); }
    }

    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Delivered> delivered = new CopyOnWriteArrayList<>();
    private final SmtpServer server;

    RecordingServer(SmtpServerConfig cfg) throws IOException {
        server = new SmtpServer(cfg, session -> new Handler());
        server.start();
    }

    static RecordingServer mx(SSLContext tls) throws IOException {
        return new RecordingServer(SmtpServerConfig.mx("mx.test", new InetSocketAddress("127.0.0.1", 0), tls));
    }

    static RecordingServer mx(SSLContext tls, SmtpServerConfig.Limits limits) throws IOException {
        return new RecordingServer(SmtpServerConfig.mx("mx.test", new InetSocketAddress("127.0.0.1", 0), tls).withLimits(limits));
    }

    static RecordingServer submission(SSLContext tls, List<SaslMechanism> mechs) throws IOException {
        return new RecordingServer(SmtpServerConfig.submission("smtp.test", ListenerKind.SUBMISSION,
                new InetSocketAddress("127.0.0.1", 0), tls, mechs));
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.port());
    }

    @Override
    public void close() {
        server.close();
    }

    private final class Handler implements SmtpHandler {
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
            switch (rcpt.address().localPart()) {
                case "reject" -> throw new SmtpRejection(550, "5.1.1", "No such user");
                case "later" -> throw new SmtpRejection(450, "4.2.1", "Mailbox busy, try later");
                default -> { }
            }
        }

        @Override
        public MessageSink beginMessage(SessionInfo s, MailTransaction tx) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            return new MessageSink() {
                @Override public OutputStream stream() { return buf; }

                @Override
                public Reply commit(SessionInfo s2, MailTransaction t) {
                    delivered.add(new Delivered(t, buf.toByteArray(), s2.tls(), s2.authenticatedUser()));
                    events.add("commit");
                    return new Reply(250, "2.0.0", "Ok: queued as " + delivered.size());
                }

                @Override public void abort() { events.add("abort"); }
            };
        }

        @Override
        public void reset() {
            events.add("reset");
        }
    }
}
