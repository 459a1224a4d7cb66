package dev.sealpost.delivery;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.store.BlobRef;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.MessageSummary;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class LocalDeliveryTest {
    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() {
        store = JdbcStore.open(new StoreConfig(dir, null, null, null, Clock.systemUTC()),
                pw -> PasswordHasher.hash(pw, 1000, 4096));
        var d = store.directory();
        d.addDomain("example.test");
        d.addAccount("alice@example.test", "pw".toCharArray());
        d.addAccount("bob@example.test", "pw".toCharArray());
        d.addAlias("team@example.test", "alice@example.test");
        d.addAlias("team@example.test", "bob@example.test");
        d.addAlias("fwd@example.test", "carol@remote.test");
        d.addAlias("fwd@example.test", "alice@example.test");
    }

    @AfterEach
    void close() {
        store.close();
    }

    private long enqueue(String... rcpts) throws Exception {
        BlobRef blob = store.blobs().put(("Subject: t " + System.nanoTime() + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
        List<Spool.Recipient> r = Arrays.stream(rcpts).map(a -> new Spool.Recipient(a, null, null)).toList();
        return store.spool().enqueue(new Spool.Envelope("sender@remote.test", r, "127.0.0.1", "client.test", null, "s1",
                false, false, "7BIT", null, null, Instant.now()), blob);
    }

    private int inbox(String address) {
        long id = store.directory().account(address).orElseThrow().id();
        return store.mailboxes().messages(id, "INBOX").size();
    }

    @Test
    void expandsAliasesPlusAddressesAndDedupesPerAccount() throws Exception {
        long id = enqueue("alice@example.test", "team@example.test", "Bob+news@example.test", "fwd@example.test",
                "someone@remote.test");
        LocalDelivery d = new LocalDelivery(store, Duration.ofSeconds(1));
        assertThat(d.runOnce()).isEqualTo(1);
        // alice is reached three ways, bob two: one copy each
        assertThat(inbox("alice@example.test")).isEqualTo(1);
        assertThat(inbox("bob@example.test")).isEqualTo(1);
        Map<String, Spool.RecipientState> states = store.spool().get(id).orElseThrow().recipients().stream()
                .collect(Collectors.toMap(Spool.QueuedRecipient::address, Spool.QueuedRecipient::state));
        assertThat(states).containsEntry("alice@example.test", Spool.RecipientState.DELIVERED)
                .containsEntry("team@example.test", Spool.RecipientState.DELIVERED)
                .containsEntry("Bob+news@example.test", Spool.RecipientState.DELIVERED)
                .containsEntry("fwd@example.test", Spool.RecipientState.REMOTE)      // local copy made, remote part waits for outbound
                .containsEntry("someone@remote.test", Spool.RecipientState.REMOTE);
        // a second round finds nothing and delivers nothing twice
        assertThat(d.runOnce()).isZero();
        assertThat(inbox("alice@example.test")).isEqualTo(1);
    }

    @Test
    void deliveredCopiesCarryTheParsedSummary() throws Exception {
        byte[] msg = ("From: =?utf-8?q?J=C3=B6rg?= <joerg@remote.test>\r\nTo: team@example.test\r\n"
                + "Subject: =?utf-8?q?R=C3=A9union?= plan\r\nMessage-ID: <plan-1@remote.test>\r\n"
                + "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\nagenda\r\n--x\r\n"
                + "Content-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\n--x--\r\n").getBytes(StandardCharsets.UTF_8);
        BlobRef blob = store.blobs().put(msg);
        store.spool().enqueue(new Spool.Envelope("joerg@remote.test", List.of(new Spool.Recipient("team@example.test", null, null)),
                "127.0.0.1", "client.test", null, "s2", false, false, "8BITMIME", null, null, Instant.now()), blob);
        new LocalDelivery(store, Duration.ofSeconds(1)).runOnce();
        for (String account : List.of("alice@example.test", "bob@example.test")) {
            long accountId = store.directory().account(account).orElseThrow().id();
            Mailboxes.MessageInfo info = store.mailboxes().messages(accountId, "INBOX").getFirst();
            MessageSummary summary = store.mailboxes().summary(info.id()).orElseThrow();
            assertThat(summary.subject()).isEqualTo("Réunion plan");
            assertThat(summary.from()).isEqualTo("Jörg <joerg@remote.test>");
            assertThat(summary.messageId()).isEqualTo("<plan-1@remote.test>");
            MessageStructure s = MessageStructure.fromBytes(summary.structure());
            assertThat(s.size()).isEqualTo(msg.length);
            assertThat(s.root().children()).extracting(p -> p.mediaType()).containsExactly("text/plain", "text/calendar");
            assertThat(s.envelope().subject()).isEqualTo("=?utf-8?q?R=C3=A9union?= plan");
            assertThat(s).isEqualTo(MessageStructure.parse(msg));
        }
    }

    @Test
    void unreadableBlobIsDeliveredWithoutSummary() throws Exception {
        long id = enqueue("alice@example.test");
        String blobId = store.spool().get(id).orElseThrow().blob().id();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(blobId)).toList()) Files.delete(p);
        }
        // a small message is a row of the blobs table, not a file (docs/adr/0004-small-messages-in-the-database.md)
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sealpost.db"));
             var ps = c.prepareStatement("DELETE FROM blobs WHERE id = ?")) {
            ps.setString(1, blobId);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        new LocalDelivery(store, Duration.ofSeconds(1)).runOnce();
        assertThat(inbox("alice@example.test")).isEqualTo(1);
        long accountId = store.directory().account("alice@example.test").orElseThrow().id();
        long messageId = store.mailboxes().messages(accountId, "INBOX").getFirst().id();
        assertThat(store.mailboxes().summary(messageId)).hasValueSatisfying(s -> {
            assertThat(s.structure()).isNull();
            assertThat(s.subject()).isNull();
        });
        assertThat(store.spool().get(id).orElseThrow().recipients().getFirst().state()).isEqualTo(Spool.RecipientState.DELIVERED);
    }

    @Test
    void smallAndLargeMessagesAreReadWhereverTheyAreStored() throws Exception {
        long limit = store.blobs().inlineLimit();
        assertThat(limit).isPositive();
        for (int size : new int[] {(int) limit, (int) limit + 1}) {
            String head = "Subject: size " + size + "\r\nMessage-ID: <s" + size + "@remote.test>\r\n\r\n";
            byte[] msg = new byte[size];
            Arrays.fill(msg, (byte) 'x');
            for (int i = 78; i < size - 2; i += 80) { msg[i] = '\r'; msg[i + 1] = '\n'; }
            System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, msg, 0, head.length());
            var w = store.blobs().newWriter();
            w.write(msg);
            Spool.Enqueued q = store.spool().enqueue(new Spool.Envelope("sender@remote.test",
                    List.of(new Spool.Recipient("alice@example.test", null, null)), "127.0.0.1", "client.test", null, "s1",
                    false, false, "7BIT", null, null, Instant.now()), w, null);
            Path file = dir.resolve("blobs").resolve(q.blob().id().substring(0, 2)).resolve(q.blob().id());
            assertThat(Files.exists(file)).isEqualTo(size > limit);
            new LocalDelivery(store, Duration.ofSeconds(1)).runOnce();
            assertThat(store.spool().get(q.queueId()).orElseThrow().recipients().getFirst().state())
                    .isEqualTo(Spool.RecipientState.DELIVERED);
        }
        long accountId = store.directory().account("alice@example.test").orElseThrow().id();
        List<Mailboxes.MessageInfo> inbox = store.mailboxes().messages(accountId, "INBOX");
        assertThat(inbox).hasSize(2);
        for (Mailboxes.MessageInfo m : inbox) {
            // the summary was parsed from the blob at delivery, so the blob was read back in both cases
            assertThat(store.mailboxes().summary(m.id()).orElseThrow().subject()).isEqualTo("size " + m.size());
            try (var in = store.blobs().open(m.blobId())) {
                assertThat(in.readAllBytes()).hasSize((int) m.size());
            }
        }
    }

    @Test
    void accountRemovedAfterAcceptanceFailsThatRecipientOnly() throws Exception {
        long id = enqueue("alice@example.test", "bob@example.test");
        store.directory().removeAccount("bob@example.test");
        new LocalDelivery(store, Duration.ofSeconds(1)).runOnce();
        Map<String, Spool.QueuedRecipient> r = store.spool().get(id).orElseThrow().recipients().stream()
                .collect(Collectors.toMap(Spool.QueuedRecipient::address, Function.identity()));
        assertThat(r.get("alice@example.test").state()).isEqualTo(Spool.RecipientState.DELIVERED);
        assertThat(r.get("bob@example.test").state()).isEqualTo(Spool.RecipientState.FAILED);
        assertThat(inbox("alice@example.test")).isEqualTo(1);
    }

    @Test
    void backgroundLoopDeliversWhenWoken() throws Exception {
        try (LocalDelivery d = new LocalDelivery(store, Duration.ofSeconds(30))) {
            d.start();
            enqueue("alice@example.test");
            d.wake();
            Instant end = Instant.now().plusSeconds(10);
            while (inbox("alice@example.test") == 0 && Instant.now().isBefore(end)) Thread.sleep(10);
            assertThat(inbox("alice@example.test")).isEqualTo(1);
        }
    }
}
