package dev.sealpost.inbound;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.smtp.proto.Reply;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.smtp.server.MailTransaction;
import dev.sealpost.smtp.server.SessionInfo;
import dev.sealpost.smtp.server.SmtpHandler;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.internal.JdbcStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acceptance through the inbound handler with a real store: small messages are one database
 * transaction, and with filing at acceptance local recipients have their copy when "250" is sent
 * (docs/adr/0004-small-messages-in-the-database.md).
 */
class LocalFilingTest {
    @TempDir
    Path dir;
    Store store;
    final AtomicInteger wakes = new AtomicInteger();

    @BeforeEach
    void open() {
        store = JdbcStore.open(new StoreConfig(dir, null, null, null, Clock.systemUTC()), pw -> PasswordHasher.hash(pw, 1000, 4096));
        var d = store.directory();
        d.addDomain("example.test");
        d.addAccount("alice@example.test", "pw".toCharArray());
        d.addAccount("bob@example.test", "pw".toCharArray());
        d.addAccount("dmarc@example.test", "pw".toCharArray());
        d.addAlias("fwd@example.test", "alice@example.test");
        d.addAlias("fwd@example.test", "carol@remote.test");
        d.addAlias("team@example.test", "alice@example.test");
        d.addAlias("team@example.test", "bob@example.test");
    }

    @AfterEach
    void close() {
        store.close();
    }

    SmtpHandler handler(InboundSettings settings) {
        return new InboundHandlerFactory(store, settings, List.of(), dir.resolve("tmp"), wakes::incrementAndGet, Clock.systemUTC())
                .open(DkimSigningPolicyTest.session(ListenerKind.MX, null));
    }

    static InboundSettings filing() {
        return InboundSettings.defaults().withLocalFiling(List.of("DMARC@example.test"));
    }

    /** MAIL, RCPT for each address, DATA; returns the queue id from the 250 reply. */
    long send(SmtpHandler h, byte[] message, String... rcpts) throws Exception {
        SessionInfo s = DkimSigningPolicyTest.session(ListenerKind.MX, null);
        MailTransaction tx = new MailTransaction(EmailAddress.parse("sender@remote.test").orElseThrow(), null, false, false, -1,
                null, null, List.of());
        h.mailFrom(s, tx);
        List<MailTransaction.Recipient> accepted = new ArrayList<>();
        for (String r : rcpts) {
            MailTransaction.Recipient rcpt = new MailTransaction.Recipient(EmailAddress.parse(r).orElseThrow(), List.of(), null);
            h.rcptTo(s, tx, rcpt);
            accepted.add(rcpt);
        }
        MailTransaction full = new MailTransaction(tx.reversePath(), null, false, false, -1, null, null, accepted);
        SmtpHandler.MessageSink sink = h.beginMessage(s, full);
        sink.stream().write(message);
        Reply reply = sink.commit(s, full);
        assertThat(reply.code()).isEqualTo(250);
        String text = String.join(" ", reply.lines());
        return Long.parseLong(text.substring(text.lastIndexOf(' ') + 1));
    }

    static byte[] message(String subject, int bodyBytes) {
        StringBuilder sb = new StringBuilder("From: Sender <sender@remote.test>\r\nSubject: " + subject + "\r\n"
                + "Message-ID: <" + subject.replace(' ', '-') + "@remote.test>\r\n\r\n");
        while (sb.length() < bodyBytes) sb.append("a line of body text, a line of body text, a line of body text.\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    Map<String, Spool.RecipientState> states(long queueId) {
        return store.spool().get(queueId).orElseThrow().recipients().stream()
                .collect(Collectors.toMap(Spool.QueuedRecipient::address, Spool.QueuedRecipient::state));
    }

    long inbox(String address) {
        long account = store.directory().account(address).orElseThrow().id();
        return store.mailboxes().messages(account, "INBOX").size();
    }

    boolean blobFileExists(long queueId) {
        String id = store.spool().get(queueId).orElseThrow().blob().id();
        return Files.exists(dir.resolve("blobs").resolve(id.substring(0, 2)).resolve(id));
    }

    @Test
    void localRecipientsHaveTheirCopyWhen250IsSent() throws Exception {
        List<Long> changed = new ArrayList<>();
        long commits = store.spool().commitCount();
        try (AutoCloseable l = store.mailboxes().onChange((account, mailbox) -> changed.add(account))) {
            long id = send(handler(filing()), message("filed", 4000),
                    "alice@example.test", "team@example.test", "fwd@example.test", "dmarc@example.test");
            assertThat(store.spool().commitCount() - commits).isEqualTo(1); // blob, queue rows, copies: one commit
            assertThat(states(id)).containsEntry("alice@example.test", Spool.RecipientState.DELIVERED)
                    .containsEntry("team@example.test", Spool.RecipientState.DELIVERED)
                    // forwards to a remote address, and a report mailbox: left for local delivery
                    .containsEntry("fwd@example.test", Spool.RecipientState.PENDING)
                    .containsEntry("dmarc@example.test", Spool.RecipientState.PENDING);
            assertThat(inbox("alice@example.test")).isEqualTo(1); // reached twice, one copy
            assertThat(inbox("bob@example.test")).isEqualTo(1);
            assertThat(inbox("dmarc@example.test")).isZero();
            long bob = store.directory().account("bob@example.test").orElseThrow().id();
            assertThat(changed).contains(bob);
            assertThat(wakes).hasValue(1); // local delivery has the rest
            assertThat(blobFileExists(id)).isFalse();
            var copy = store.mailboxes().messages(bob, "INBOX").getFirst();
            var summary = store.mailboxes().summary(copy.id()).orElseThrow();
            assertThat(summary.subject()).isEqualTo("filed");
            assertThat(summary.messageId()).isEqualTo("<filed@remote.test>");
            assertThat(summary.structure()).isNotNull();
            try (var in = store.blobs().open(copy.blobId())) {
                String stored = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(stored).startsWith("Received: ").contains("\r\nSubject: filed\r\n");
                assertThat(stored.length()).isEqualTo((int) copy.size());
            }
        }
    }

    @Test
    void allFiledMeansNothingForLocalDelivery() throws Exception {
        long id = send(handler(filing()), message("only local", 1000), "alice@example.test");
        assertThat(states(id)).containsOnly(Map.entry("alice@example.test", Spool.RecipientState.DELIVERED));
        assertThat(store.spool().pendingLocal(10)).isEmpty();
        assertThat(wakes).hasValue(0);
        // the return path for a final delivery (every recipient local)
        String blob = store.spool().get(id).orElseThrow().blob().id();
        try (var in = store.blobs().open(blob)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).startsWith("Return-Path: <sender@remote.test>\r\n");
        }
    }

    @Test
    void largeMessagesAndFilingOffGoThroughLocalDelivery() throws Exception {
        long big = send(handler(filing()), message("big", 300_000), "alice@example.test");
        assertThat(states(big)).containsOnly(Map.entry("alice@example.test", Spool.RecipientState.PENDING));
        assertThat(blobFileExists(big)).isTrue();

        long off = send(handler(InboundSettings.defaults()), message("off", 2000), "alice@example.test");
        assertThat(states(off)).containsOnly(Map.entry("alice@example.test", Spool.RecipientState.PENDING));
        assertThat(blobFileExists(off)).isFalse(); // still a database row
        assertThat(inbox("alice@example.test")).isZero();
        assertThat(wakes).hasValue(2);
    }

    @Test
    void sameMessageTwiceGivesTwoCopies() throws Exception {
        SmtpHandler h = handler(filing());
        byte[] m = message("twice", 3000);
        long a = send(h, m, "alice@example.test");
        long b = send(h, m, "alice@example.test");
        assertThat(a).isNotEqualTo(b);
        assertThat(inbox("alice@example.test")).isEqualTo(2);
    }
}
