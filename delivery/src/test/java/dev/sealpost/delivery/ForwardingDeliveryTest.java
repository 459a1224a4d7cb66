package dev.sealpost.delivery;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.queue.srs.Srs;
import dev.sealpost.queue.srs.SrsSecrets;
import dev.sealpost.store.BlobRef;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.SieveScripts;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.internal.JdbcStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forwarding through the real path (spool, {@link LocalDelivery}, store): aliases to other
 * domains and Sieve redirect leave as new spool messages with an SRS sender, vacation replies
 * with the null sender, once per sender.
 */
class ForwardingDeliveryTest {
    @TempDir
    Path dir;
    Store store;
    LocalDelivery delivery;
    Srs srs;
    long alice;

    @BeforeEach
    void open() {
        store = JdbcStore.open(new StoreConfig(dir, null, null, null, Clock.systemUTC()), pw -> PasswordHasher.hash(pw, 1000, 4096));
        var d = store.directory();
        d.addDomain("example.test");
        alice = d.addAccount("alice@example.test", "pw".toCharArray()).id();
        d.addAlias("fwd@example.test", "carol@far.test");
        srs = new Srs(SrsSecrets.of("forwarding-test-secret"), 21, Clock.systemUTC());
        Forwarder f = new Forwarder(store, srs, Clock.systemUTC());
        delivery = new LocalDelivery(store, Duration.ofSeconds(1), null, new SieveFilter(store, f), f);
    }

    @AfterEach
    void close() {
        store.close();
    }

    void activate(String script) {
        assertThat(store.sieveScripts().put(alice, "main", script, SieveScripts.Quota.unlimited())).isEqualTo(new SieveScripts.Outcome.Done());
        assertThat(store.sieveScripts().setActive(alice, "main")).isEqualTo(new SieveScripts.Outcome.Done());
    }

    long send(String from, String rcpt, String extraHeaders) throws Exception {
        BlobRef blob = store.blobs().put(("From: " + (from.isEmpty() ? "MAILER-DAEMON@remote.test" : from) + "\r\nTo: " + rcpt
                + "\r\nSubject: hello\r\nMessage-ID: <" + System.nanoTime() + "@remote.test>\r\n" + extraHeaders + "\r\nbody\r\n")
                .getBytes(StandardCharsets.UTF_8));
        long id = store.spool().enqueue(new Spool.Envelope(from, List.of(new Spool.Recipient(rcpt, null, null)), "192.0.2.7", "client.test",
                null, "s1", false, false, "7BIT", null, null, Instant.now()), blob);
        delivery.runOnce();
        return id;
    }

    /** The spool messages other than {@code except}. */
    List<Spool.QueuedMessage> others(long... except) {
        return store.spool().list(100).stream().filter(m -> java.util.Arrays.stream(except).noneMatch(e -> e == m.id())).toList();
    }

    String content(Spool.QueuedMessage m) throws Exception {
        try (InputStream in = store.blobs().open(m.blob().id())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    List<Mailboxes.MessageInfo> inbox() {
        return store.mailboxes().messages(alice, "INBOX");
    }

    @Test
    void aliasToAnotherDomainLeavesWithAnSrsSender() throws Exception {
        long id = send("sender@remote.test", "fwd@example.test", "");
        List<Spool.QueuedMessage> out = others(id);
        assertThat(out).hasSize(1);
        Spool.QueuedMessage f = out.getFirst();
        assertThat(f.envelope().mailFrom()).startsWith("SRS0=").endsWith("=remote.test=sender@example.test");
        assertThat(srs.reverse(f.envelope().mailFrom().substring(0, f.envelope().mailFrom().lastIndexOf('@'))))
                .isEqualTo(new Srs.Original("sender@remote.test"));
        assertThat(f.recipients()).extracting(Spool.QueuedRecipient::address).containsExactly("carol@far.test");
        assertThat(f.recipients().getFirst().orcpt()).isEqualTo("rfc822;fwd@example.test");
        assertThat(f.envelope().clientAddress()).isEqualTo("192.0.2.7"); // so the queue ARC-seals it
        assertThat(f.blob()).isEqualTo(store.spool().get(id).orElseThrow().blob());
        assertThat(store.spool().get(id).orElseThrow().recipients().getFirst().state()).isEqualTo(Spool.RecipientState.REMOTE);
        // the forwarded copy itself goes to the outbound queue on the next round
        delivery.runOnce();
        assertThat(store.spool().get(f.id()).orElseThrow().recipients().getFirst().state()).isEqualTo(Spool.RecipientState.REMOTE);
        assertThat(store.outbound().list(10)).anySatisfy(e -> assertThat(e.message().mailFrom()).startsWith("SRS0="));
    }

    @Test
    void nullAndLocalSendersAreNotRewritten() throws Exception {
        long a = send("", "fwd@example.test", "");
        long b = send("alice@example.test", "fwd@example.test", "");
        assertThat(others(a, b)).isEmpty(); // both go out on their own message with the original sender
        assertThat(store.spool().get(a).orElseThrow().recipients().getFirst().state()).isEqualTo(Spool.RecipientState.REMOTE);
        assertThat(store.outbound().list(10)).extracting(e -> e.message().mailFrom()).containsExactlyInAnyOrder("", "alice@example.test");
    }

    @Test
    void sieveRedirectGoesOutMarkedWithAnSrsSender() throws Exception {
        activate("redirect \"carol@far.test\";\n");
        long id = send("sender@remote.test", "alice@example.test", "");
        List<Spool.QueuedMessage> out = others(id);
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().envelope().mailFrom()).startsWith("SRS0=").endsWith("@example.test");
        assertThat(out.getFirst().recipients()).extracting(Spool.QueuedRecipient::address).containsExactly("carol@far.test");
        assertThat(content(out.getFirst())).startsWith("X-Sealpost-Redirected: alice@example.test\r\nFrom: sender@remote.test\r\n");
        assertThat(inbox()).isEmpty(); // redirect cancels the implicit keep (RFC 5228 §4.2)
    }

    @Test
    void redirectCopyKeepsAndRedirectToLocalKeepsTheSender() throws Exception {
        activate("require \"copy\";\nredirect :copy \"someone@example.test\";\n");
        long id = send("sender@remote.test", "alice@example.test", "");
        assertThat(inbox()).hasSize(1);
        assertThat(others(id)).singleElement().satisfies(m -> assertThat(m.envelope().mailFrom()).isEqualTo("sender@remote.test"));
    }

    @Test
    void redirectLoopIsKeptInTheInbox() throws Exception {
        activate("redirect \"carol@far.test\";\n");
        long id = send("sender@remote.test", "alice@example.test", "X-Sealpost-Redirected: alice@example.test\r\n");
        assertThat(others(id)).isEmpty();
        assertThat(inbox()).hasSize(1);
    }

    @Test
    void tooManyRedirectMarksAreALoopToo() throws Exception {
        assertThat(Forwarder.looping(List.of(" Alice@Example.test "), "alice@example.test")).isTrue();
        assertThat(Forwarder.looping(List.of("a@x.test", "b@x.test", "c@x.test", "d@x.test"), "alice@example.test")).isFalse();
        assertThat(Forwarder.looping(List.of("a@x.test", "b@x.test", "c@x.test", "d@x.test", "e@x.test"), "alice@example.test")).isTrue();
        activate("redirect \"carol@far.test\";\n");
        StringBuilder marks = new StringBuilder();
        for (int i = 0; i < 5; i++) marks.append("X-Sealpost-Redirected: hop").append(i).append("@other.test\r\n");
        long id = send("sender@remote.test", "alice@example.test", marks.toString());
        assertThat(others(id)).isEmpty();
        assertThat(inbox()).hasSize(1);
    }

    @Test
    void vacationRepliesOncePerSenderWithTheNullSenderAndNeverToLists() throws Exception {
        activate("require \"vacation\";\nvacation :days 7 :subject \"Away\" \"I am away.\";\n");
        long first = send("sender@remote.test", "alice@example.test", "");
        List<Spool.QueuedMessage> replies = others(first);
        assertThat(replies).hasSize(1);
        Spool.QueuedMessage reply = replies.getFirst();
        assertThat(reply.envelope().mailFrom()).isEmpty(); // RFC 5230 §5.1
        assertThat(reply.recipients()).extracting(Spool.QueuedRecipient::address).containsExactly("sender@remote.test");
        String text = content(reply);
        assertThat(text).startsWith("Message-ID: <").contains("Auto-Submitted: auto-replied").contains("Subject: Away").contains("I am away.");
        long second = send("sender@remote.test", "alice@example.test", "");
        assertThat(others(first, second, reply.id())).isEmpty(); // once per sender and period
        long list = send("member@remote.test", "alice@example.test", "Precedence: list\r\n");
        assertThat(others(first, second, reply.id(), list)).isEmpty();
        long other = send("other@remote.test", "alice@example.test", "");
        assertThat(others(first, second, reply.id(), list, other)).singleElement()
                .satisfies(m -> assertThat(m.recipients().getFirst().address()).isEqualTo("other@remote.test"));
        assertThat(inbox()).hasSize(4); // vacation keeps the mail
    }
}
