package dev.sealpost.queue;

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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A remote MX for tests: our own SMTP server on 127.0.0.1:0 with a recording handler.
 * Recipients with local part "reject" get 550 5.1.1, "later" 450 4.2.1; everything else is taken.
 */
final class FakeMx implements AutoCloseable {
    record Received(MailTransaction tx, byte[] content, boolean tls, String user) {
        String text() { return new String(content, StandardCharsets.UTF_8); }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    volatile boolean tempFailAll;
    private final SmtpServer server;

    private FakeMx(SmtpServerConfig cfg) throws IOException {
        server = new SmtpServer(cfg, session -> {
            connections.incrementAndGet();
            return new Handler();
        });
        server.start();
    }

    static FakeMx mx(SSLContext tls) throws IOException {
        return new FakeMx(SmtpServerConfig.mx("mx.test", new InetSocketAddress("127.0.0.1", 0), tls));
    }

    static FakeMx submission(SSLContext tls, List<SaslMechanism> mechs) throws IOException {
        return new FakeMx(SmtpServerConfig.submission("relay.test", ListenerKind.SUBMISSION, new InetSocketAddress("127.0.0.1", 0), tls, mechs));
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }

    private final class Handler implements SmtpHandler {
        @Override
        public void mailFrom(SessionInfo s, MailTransaction tx) throws SmtpRejection {
            if (tempFailAll) throw new SmtpRejection(451, "4.3.2", "System not accepting messages right now");
        }

        @Override
        public void rcptTo(SessionInfo s, MailTransaction tx, MailTransaction.Recipient rcpt) throws SmtpRejection {
            switch (rcpt.address().localPart()) {
                case "reject" -> throw new SmtpRejection(550, "5.1.1", "No such user here");
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
                    received.add(new Received(t, buf.toByteArray(), s2.tls(), s2.authenticatedUser()));
                    return new Reply(250, "2.0.0", "Ok: queued as " + received.size());
                }

                @Override public void abort() { }
            };
        }
    }
}
