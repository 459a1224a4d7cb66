package dev.sealpost.inbound;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.queue.srs.Srs;
import dev.sealpost.queue.srs.SrsSecrets;
import dev.sealpost.smtp.proto.Reply;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.smtp.server.MailTransaction;
import dev.sealpost.smtp.server.SessionInfo;
import dev.sealpost.smtp.server.SmtpHandler;
import dev.sealpost.smtp.proto.SmtpRejection;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.internal.JdbcStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bounces to SRS addresses at the MX: a valid one is accepted for the original sender, a forged or expired one refused at RCPT. */
class SrsRecipientTest {
    @TempDir
    Path dir;
    Store store;
    final Srs srs = new Srs(SrsSecrets.of("inbound-test-secret-1234"), 21, Clock.systemUTC());

    @BeforeEach
    void open() {
        store = JdbcStore.open(new StoreConfig(dir, null, null, null, Clock.systemUTC()), pw -> PasswordHasher.hash(pw, 1000, 4096));
        store.directory().addDomain("example.test");
        store.directory().addAccount("alice@example.test", "pw".toCharArray());
    }

    @AfterEach
    void close() {
        store.close();
    }

    SmtpHandler handler() {
        return new InboundHandlerFactory(store, InboundSettings.defaults(), List.of(), dir.resolve("tmp"), () -> { }, Clock.systemUTC(), srs)
                .open(DkimSigningPolicyTest.session(ListenerKind.MX, null));
    }

    SessionInfo session() {
        return DkimSigningPolicyTest.session(ListenerKind.MX, null);
    }

    MailTransaction bounce() {
        return new MailTransaction(null, null, false, false, -1, null, null, List.of()); // MAIL FROM:<>
    }

    void rcpt(SmtpHandler h, MailTransaction tx, String address) throws SmtpRejection {
        h.rcptTo(session(), tx, new MailTransaction.Recipient(EmailAddress.parse(address).orElseThrow(), List.of(), null));
    }

    @Test
    void validSrsBounceGoesToTheOriginalSenderWithTheNullSender() throws Exception {
        String srsAddress = srs.forward("sender@origin.test", "example.test");
        SmtpHandler h = handler();
        MailTransaction tx = bounce();
        h.mailFrom(session(), tx);
        rcpt(h, tx, srsAddress);
        MailTransaction.Recipient r = new MailTransaction.Recipient(EmailAddress.parse(srsAddress).orElseThrow(), List.of(), null);
        MailTransaction full = new MailTransaction(null, null, false, false, -1, null, null, List.of(r));
        SmtpHandler.MessageSink sink = h.beginMessage(session(), full);
        sink.stream().write("From: MAILER-DAEMON@far.test\r\nSubject: Undelivered\r\n\r\nbounce\r\n".getBytes(StandardCharsets.US_ASCII));
        Reply reply = sink.commit(session(), full);
        assertThat(reply.code()).isEqualTo(250);
        Spool.QueuedMessage m = store.spool().list(10).getFirst();
        assertThat(m.envelope().mailFrom()).isEmpty();
        assertThat(m.recipients()).singleElement().satisfies(q -> {
            assertThat(q.address()).isEqualTo("sender@origin.test");
            assertThat(q.orcpt()).isEqualTo("rfc822;" + srsAddress);
        });
    }

    @Test
    void forgedOrExpiredSrsIsRefusedAtRcpt() throws Exception {
        SmtpHandler h = handler();
        MailTransaction tx = bounce();
        h.mailFrom(session(), tx);
        String good = srs.forward("sender@origin.test", "example.test");
        String forged = good.replace("=origin.test=", "=victim.test=");
        assertThatThrownBy(() -> rcpt(h, tx, forged)).isInstanceOfSatisfying(SmtpRejection.class,
                e -> assertThat(e.getMessage()).contains("invalid SRS address"));
        Srs old = new Srs(SrsSecrets.of("inbound-test-secret-1234"), 21, Clock.offset(Clock.systemUTC(), Duration.ofDays(-30)));
        String expired = old.forward("sender@origin.test", "example.test");
        assertThatThrownBy(() -> rcpt(h, tx, expired)).isInstanceOf(SmtpRejection.class);
        Srs stranger = new Srs(SrsSecrets.of("somebody-elses-secret-99"), 21, Clock.systemUTC());
        assertThatThrownBy(() -> rcpt(h, tx, stranger.forward("sender@origin.test", "example.test"))).isInstanceOf(SmtpRejection.class);
        rcpt(h, tx, good); // the valid one still passes in the same transaction
    }

    @Test
    void withoutSrsAnSrsLookingAddressIsJustUnknown() throws Exception {
        SmtpHandler h = new InboundHandlerFactory(store, InboundSettings.defaults(), List.of(), dir.resolve("tmp"), () -> { }, Clock.systemUTC())
                .open(session());
        MailTransaction tx = bounce();
        h.mailFrom(session(), tx);
        String good = srs.forward("sender@origin.test", "example.test");
        assertThatThrownBy(() -> rcpt(h, tx, good)).isInstanceOfSatisfying(SmtpRejection.class,
                e -> assertThat(e.getMessage()).contains("User unknown"));
    }
}
