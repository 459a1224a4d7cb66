package dev.sealpost.delivery;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.store.BlobRef;
import dev.sealpost.store.FilterMark;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Quarantine;
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

/** Local delivery reads the MX filter's verdict field: quarantine holds, $Phishing flags, junk is left to Sieve. */
class FilterDeliveryTest {
    @TempDir
    Path dir;
    Store store;
    LocalDelivery delivery;
    long alice, bob;
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @BeforeEach
    void open() {
        store = JdbcStore.open(new StoreConfig(dir, null, null, null, Clock.systemUTC()), pw -> PasswordHasher.hash(pw, 1000, 4096));
        var d = store.directory();
        d.addDomain("example.test");
        alice = d.addAccount("alice@example.test", "pw".toCharArray()).id();
        bob = d.addAccount("bob@example.test", "pw".toCharArray()).id();
        d.addAlias("team@example.test", "alice@example.test");
        d.addAlias("team@example.test", "bob@example.test");
        delivery = new LocalDelivery(store, Duration.ofSeconds(1), null, new SieveFilter(store))
                .withQuarantine(Duration.ofDays(7), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        store.close();
    }

    long send(FilterMark mark, String folder, String subject, String... rcpts) throws Exception {
        BlobRef blob = store.blobs().put(((mark == null ? "" : mark.toField()) + "Received: from x by y; Mon, 1 Dec 2026 10:00:00 +0000\r\n"
                + "From: sender@remote.test\r\nSubject: " + subject + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8));
        List<Spool.Recipient> r = java.util.Arrays.stream(rcpts).map(a -> new Spool.Recipient(a, null, null)).toList();
        long id = store.spool().enqueue(new Spool.Envelope("sender@remote.test", r, "192.0.2.1", "client.test", null, "s1", false, false,
                "7BIT", null, null, T0), blob, folder);
        delivery.runOnce();
        return id;
    }

    int all(long account) {
        return store.mailboxes().list(account).stream().mapToInt(b -> store.mailboxes().messages(b.id()).size()).sum();
    }

    @Test
    void quarantinedMessageIsHeldForEachAccountAndInNoMailbox() throws Exception {
        long id = send(new FilterMark("quarantine", 14, 6, false, "dangerous_attachment 8.0 exe: a.zip/a.exe\n"), null, "held", "team@example.test");
        assertThat(all(alice)).isZero();
        assertThat(all(bob)).isZero();
        List<Quarantine.Entry> held = store.quarantine().list("team@example.test", 10);
        assertThat(held).extracting(Quarantine.Entry::accountId).containsExactlyInAnyOrder(alice, bob);
        assertThat(held).allSatisfy(e -> {
            assertThat(e.subject()).isEqualTo("held");
            assertThat(e.score()).isEqualTo("14.0");
            assertThat(e.hits()).isEqualTo("dangerous_attachment 8.0 exe: a.zip/a.exe\n");
            assertThat(e.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(7)));
        });
        assertThat(store.spool().get(id)).hasValueSatisfying(m ->
                assertThat(m.recipients()).allMatch(r -> r.state() == Spool.RecipientState.DELIVERED));
        delivery.runOnce(); // nothing pending: nothing held twice
        assertThat(store.quarantine().list(null, 10)).hasSize(2);
    }

    @Test
    void heldOutgoingMailIsQuarantinedForRemoteRecipientsAndNotQueuedForSending() throws Exception {
        long id = send(new FilterMark("quarantine", 9, 6, false, "outbound_hold 0 account alice@example.test is held\n"), null, "held out",
                "x@remote.test", "alice@example.test");
        assertThat(store.quarantine().list("x@remote.test", 10)).singleElement().satisfies(e -> {
            assertThat(e.accountId()).isZero();
            assertThat(e.hits()).contains("outbound_hold");
        });
        assertThat(store.quarantine().list("alice@example.test", 10)).extracting(Quarantine.Entry::accountId).containsExactly(alice);
        assertThat(store.outbound().depth().pendingDeliveries()).as("no remote delivery").isZero();
        assertThat(store.spool().get(id)).hasValueSatisfying(m ->
                assertThat(m.recipients()).allMatch(r -> r.state() == Spool.RecipientState.DELIVERED));
        // without a verdict field a remote recipient goes to the outbound queue as before
        send(null, null, "plain out", "y@remote.test");
        assertThat(store.outbound().depth().pendingDeliveries()).isEqualTo(1);
    }

    @Test
    void phishingSetsTheKeywordOnEachCopy() throws Exception {
        send(new FilterMark("inbox", 4, 6, true, "phishing_link 4.0 x\n"), null, "phish", "alice@example.test");
        assertThat(store.mailboxes().messages(alice, "INBOX")).singleElement()
                .satisfies(m -> assertThat(m.flags()).contains(FilterMark.PHISHING_KEYWORD));
        send(null, null, "plain", "alice@example.test");
        assertThat(store.mailboxes().messages(alice, "INBOX")).filteredOn(m -> m.flags().isEmpty()).hasSize(1);
    }

    @Test
    void junkWithASieveScriptIsTheScriptsChoiceAndSpamtestReadsTheScore() throws Exception {
        String script = """
                require ["spamtest", "relational", "comparator-i;ascii-numeric", "fileinto"];
                if spamtest :value "ge" :comparator "i;ascii-numeric" "7" { fileinto "Spam-by-script"; }
                """;
        assertThat(store.mailboxes().create(alice, "Spam-by-script", null)).isInstanceOf(Mailboxes.MailboxResult.Done.class);
        assertThat(store.sieveScripts().put(alice, "main", script, SieveScripts.Quota.unlimited())).isEqualTo(new SieveScripts.Outcome.Done());
        store.sieveScripts().setActive(alice, "main");
        send(new FilterMark("junk", 6.5, 6, false, "bayes_spam 6.5 x\n"), "\\Junk", "spam", "alice@example.test");
        assertThat(store.mailboxes().messages(alice, "Spam-by-script")).hasSize(1);
        // below the script's threshold: its keep is the INBOX, not the \Junk the MX asked for
        send(new FilterMark("junk", 6.0, 9, false, "bayes_spam 6.0 x\n"), "\\Junk", "mild", "alice@example.test");
        assertThat(store.mailboxes().messages(alice, "INBOX")).hasSize(1);
        assertThat(store.mailboxes().messages(alice, "Junk")).isEmpty();
        // without a script the MX's \Junk folder counts
        send(new FilterMark("junk", 7, 6, false, "bayes_spam 7 x\n"), "\\Junk", "to junk", "bob@example.test");
        assertThat(store.mailboxes().messages(bob, "Junk")).hasSize(1);
    }

    @Test
    void spamtestScale() {
        assertThat(SieveFilter.spamtest(0, 6, false)).isEqualTo(1);
        assertThat(SieveFilter.spamtest(6, 6, false)).isEqualTo(7);
        assertThat(SieveFilter.spamtest(9, 6, false)).isEqualTo(10);
        assertThat(SieveFilter.spamtest(-3, 6, false)).isEqualTo(1);
        assertThat(SieveFilter.spamtest(4.5, 6, true)).isEqualTo(50);
        assertThat(SieveFilter.spamtest(30, 6, true)).isEqualTo(100);
    }
}
