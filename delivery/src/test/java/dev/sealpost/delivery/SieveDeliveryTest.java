package dev.sealpost.delivery;

import dev.sealpost.core.auth.PasswordHasher;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A script stored through the repository (as ManageSieve stores it) and made active decides where
 * a message delivered through the real path (spool, {@link LocalDelivery}, store) lands.
 */
class SieveDeliveryTest {
    @TempDir
    Path dir;
    Store store;
    SieveFilter filter;
    LocalDelivery delivery;
    long alice, bob;

    @BeforeEach
    void open() {
        store = JdbcStore.open(new StoreConfig(dir, null, null, null, Clock.systemUTC()), pw -> PasswordHasher.hash(pw, 1000, 4096));
        var d = store.directory();
        d.addDomain("example.test");
        alice = d.addAccount("alice@example.test", "pw".toCharArray()).id();
        bob = d.addAccount("bob@example.test", "pw".toCharArray()).id();
        d.addAlias("team@example.test", "alice@example.test");
        d.addAlias("team@example.test", "bob@example.test");
        filter = new SieveFilter(store);
        delivery = new LocalDelivery(store, Duration.ofSeconds(1), null, filter);
    }

    @AfterEach
    void close() {
        store.close();
    }

    void activate(long account, String script) {
        assertThat(store.sieveScripts().put(account, "main", script, SieveScripts.Quota.unlimited())).isEqualTo(new SieveScripts.Outcome.Done());
        assertThat(store.sieveScripts().setActive(account, "main")).isEqualTo(new SieveScripts.Outcome.Done());
    }

    long send(String from, String subject, String... rcpts) throws Exception {
        BlobRef blob = store.blobs().put(("From: " + (from.isEmpty() ? "MAILER-DAEMON@remote.test" : from) + "\r\nSubject: " + subject
                + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8));
        List<Spool.Recipient> r = java.util.Arrays.stream(rcpts).map(a -> new Spool.Recipient(a, null, null)).toList();
        long id = store.spool().enqueue(new Spool.Envelope(from, r, "127.0.0.1", "client.test", null, "s1", false, false, "7BIT",
                null, null, Instant.now()), blob);
        delivery.runOnce();
        return id;
    }

    List<Mailboxes.MessageInfo> box(long account, String name) {
        return store.mailboxes().messages(account, name);
    }

    Spool.RecipientState state(long queueId) {
        return store.spool().get(queueId).orElseThrow().recipients().getFirst().state();
    }

    @Test
    void fileintoAnExistingFolderWithFlags() throws Exception {
        store.mailboxes().create(alice, "Lists", null);
        activate(alice, """
                require ["fileinto", "imap4flags"];
                if header :contains "subject" "[list]" { fileinto :flags ["\\\\Seen", "$Listed"] "Lists"; }
                """);
        long q = send("sender@remote.test", "[list] hello", "alice@example.test");
        assertThat(state(q)).isEqualTo(Spool.RecipientState.DELIVERED);
        assertThat(box(alice, "INBOX")).isEmpty();
        assertThat(box(alice, "Lists")).singleElement().satisfies(m -> assertThat(m.flags()).containsExactlyInAnyOrder("\\Seen", "$Listed"));
        // a message the script does not sort stays in INBOX (implicit keep)
        send("sender@remote.test", "other", "alice@example.test");
        assertThat(box(alice, "INBOX")).hasSize(1);
        assertThat(box(alice, "Lists")).hasSize(1);
        assertThat(filter.cachedScripts()).isEqualTo(1); // compiled once for both messages
        // used bytes count the filed copy
        assertThat(store.directory().account("alice@example.test").orElseThrow().usedBytes()).isPositive();
    }

    @Test
    void missingFolderKeepsInInboxUnlessCreate() throws Exception {
        activate(alice, "require \"fileinto\";\nfileinto \"Nowhere\";\n");
        send("sender@remote.test", "one", "alice@example.test");
        assertThat(box(alice, "INBOX")).hasSize(1);
        assertThat(store.mailboxes().mailbox(alice, "Nowhere")).isEmpty();
        activate(alice, "require [\"fileinto\", \"mailbox\"];\nfileinto :create \"Made/Here\";\n"); // RFC 5490 §3.2
        send("sender@remote.test", "two", "alice@example.test");
        assertThat(box(alice, "INBOX")).hasSize(1);
        assertThat(box(alice, "Made/Here")).hasSize(1);
    }

    @Test
    void keepPlusFileintoMakesTwoCopiesOnceAndDiscardNone() throws Exception {
        store.mailboxes().create(alice, "Copy", null);
        activate(alice, "require [\"fileinto\", \"copy\"];\nfileinto :copy \"Copy\";\nkeep;\nkeep;\n");
        long q = send("sender@remote.test", "both", "alice@example.test");
        assertThat(box(alice, "INBOX")).hasSize(1); // RFC 5228 §2.10.3: keep twice is one copy
        assertThat(box(alice, "Copy")).hasSize(1);
        assertThat(delivery.runOnce()).isZero(); // nothing pending, nothing stored twice
        activate(alice, "discard;\n");
        long q2 = send("sender@remote.test", "gone", "alice@example.test");
        assertThat(state(q2)).isEqualTo(Spool.RecipientState.DELIVERED);
        assertThat(box(alice, "INBOX")).hasSize(1);
        assertThat(state(q)).isEqualTo(Spool.RecipientState.DELIVERED);
    }

    @Test
    void onlyTheAccountWithAScriptIsFiltered() throws Exception {
        activate(bob, "discard;\n");
        send("sender@remote.test", "to the team", "team@example.test");
        assertThat(box(alice, "INBOX")).hasSize(1);
        assertThat(box(bob, "INBOX")).isEmpty();
    }

    @Test
    void errorsNeverLoseMail() throws Exception {
        // a runtime error (a step bound is not easy to reach here: a redirect loop over the bound is)
        activate(alice, "redirect \"a@remote.test\";\nredirect \"b@remote.test\";\nredirect \"c@remote.test\";\n"
                + "redirect \"d@remote.test\";\nredirect \"e@remote.test\";\ndiscard;\n");
        send("sender@remote.test", "loop", "alice@example.test");
        assertThat(box(alice, "INBOX")).hasSize(1);
        // a stored script that does not compile (stored behind ManageSieve's back) keeps too
        store.sieveScripts().put(alice, "main", "if true {", SieveScripts.Quota.unlimited());
        send("sender@remote.test", "broken", "alice@example.test");
        assertThat(box(alice, "INBOX")).hasSize(2);
        // without a Forwarder redirect is not carried out: kept instead (recorded in the log)
        activate(alice, "redirect \"a@remote.test\";\n");
        send("sender@remote.test", "redirected", "alice@example.test");
        assertThat(box(alice, "INBOX")).hasSize(3);
    }

    @Test
    void quarantinedMailKeptByAScriptStaysInJunk() throws Exception {
        store.mailboxes().create(alice, "Lists", null);
        activate(alice, "require \"fileinto\";\nif header :contains \"subject\" \"[list]\" { fileinto \"Lists\"; }\n");
        for (String subject : List.of("quarantined", "[list] quarantined")) {
            BlobRef blob = store.blobs().put(("Subject: " + subject + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8));
            store.spool().enqueue(new Spool.Envelope("sender@remote.test", List.of(new Spool.Recipient("alice@example.test", null, null)),
                    "127.0.0.1", "client.test", null, "s1", false, false, "7BIT", null, null, Instant.now()), blob, "\\Junk");
        }
        delivery.runOnce();
        Mailboxes.MailboxInfo junk = store.mailboxes().list(alice).stream()
                .filter(m -> "\\Junk".equals(m.specialUse())).findFirst().orElseThrow();
        assertThat(store.mailboxes().messages(junk.id())).hasSize(1); // the keep goes where it would without a script
        assertThat(box(alice, "Lists")).hasSize(1);                 // an explicit fileinto goes where the script says
        assertThat(box(alice, "INBOX")).isEmpty();
    }

    @Test
    void rejectRefusesTheRecipientButNeverABounce() throws Exception {
        activate(alice, "require \"reject\";\nreject \"No thanks\";\n");
        long q = send("sender@remote.test", "unwanted", "alice@example.test");
        Spool.QueuedRecipient r = store.spool().get(q).orElseThrow().recipients().getFirst();
        assertThat(r.state()).isEqualTo(Spool.RecipientState.FAILED);
        assertThat(box(alice, "INBOX")).isEmpty();
        // RFC 5429 §2.1: no rejection of a message with the null sender: kept
        long b = send("", "bounce", "alice@example.test");
        assertThat(state(b)).isEqualTo(Spool.RecipientState.DELIVERED);
        assertThat(box(alice, "INBOX")).hasSize(1);
    }
}
