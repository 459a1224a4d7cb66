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
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Sieve actions that act at delivery through the real path (spool, {@link LocalDelivery},
 * store): editheader on the stored and redirected copies, mailto notifications queued for the
 * outbound queue, admin scripts before and after the user's, error reports once per script
 * version, and a redirect that a crash before the delivery's commit does not duplicate.
 */
class SieveActionsDeliveryTest {
    @TempDir
    Path dir;
    Store store;
    LocalDelivery delivery;
    long alice, bob;

    @BeforeEach
    void open() {
        store = JdbcStore.open(new StoreConfig(dir, null, null, null, Clock.systemUTC()), pw -> PasswordHasher.hash(pw, 1000, 4096));
        var d = store.directory();
        d.addDomain("example.test");
        d.addDomain("other.test");
        alice = d.addAccount("alice@example.test", "pw".toCharArray()).id();
        bob = d.addAccount("bob@other.test", "pw".toCharArray()).id();
        delivery = delivery(store);
    }

    SieveFilter filter;

    LocalDelivery delivery(Store s) {
        Forwarder f = new Forwarder(s, new Srs(SrsSecrets.of("actions-test-secret"), 21, Clock.systemUTC()), Clock.systemUTC());
        filter = new SieveFilter(s, f);
        return new LocalDelivery(s, Duration.ofSeconds(1), null, filter, f);
    }

    @AfterEach
    void close() {
        store.close();
    }

    void activate(long account, String script) {
        assertThat(store.sieveScripts().put(account, "main", script, SieveScripts.Quota.unlimited())).isEqualTo(new SieveScripts.Outcome.Done());
        assertThat(store.sieveScripts().setActive(account, "main")).isEqualTo(new SieveScripts.Outcome.Done());
    }

    long enqueue(String from, String rcpt, String headers) throws Exception {
        BlobRef blob = store.blobs().put(("Received: from client.test by mx.example.test; Mon, 7 Dec 2026 10:00:00 +0000\r\n"
                + "From: " + (from.isEmpty() ? "MAILER-DAEMON@remote.test" : from) + "\r\nTo: " + rcpt
                + "\r\nSubject: hello\r\nMessage-ID: <" + System.nanoTime() + "@remote.test>\r\n" + headers + "\r\nbody\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return store.spool().enqueue(new Spool.Envelope(from, List.of(new Spool.Recipient(rcpt, null, null)), "192.0.2.7", "client.test",
                null, "s1", false, false, "7BIT", null, null, Instant.now()), blob);
    }

    long send(String from, String rcpt, String headers) throws Exception {
        filter.forgetGlobals(); // admin script changes apply at once here (a server caches them 2 s)
        long id = enqueue(from, rcpt, headers);
        delivery.runOnce();
        delivery.runOnce(); // what the first round queued (error reports) is filed too
        return id;
    }

    List<Spool.QueuedMessage> others(long except) {
        return store.spool().list(100).stream().filter(m -> m.id() != except && m.envelope().recipients().stream()
                .noneMatch(r -> r.address().endsWith("@example.test") || r.address().endsWith("@other.test"))).toList();
    }

    String blob(String id) throws Exception {
        try (InputStream in = store.blobs().open(id)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    List<String> box(long account, String name) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        for (Mailboxes.MessageInfo m : store.mailboxes().messages(account, name)) out.add(blob(m.blobId()));
        return out;
    }

    @Test
    void editheaderChangesTheStoredCopyButNeverProtectedFields() throws Exception {
        store.mailboxes().create(alice, "Before", null);
        activate(alice, """
                require ["editheader", "fileinto", "copy"];
                fileinto :copy "Before";
                addheader "X-Sorted" "by sieve";
                addheader :last "X-Note" "gr\u00fc\u00dfe";
                deleteheader "X-Junk-Tag";
                deleteheader "Received";
                addheader "Received" "forged";
                addheader "X-Sealpost-Redirected" "nobody@example.test";
                """);
        send("sender@remote.test", "alice@example.test", "X-Junk-Tag: yes\r\nX-Sealpost-Filter: forged-outside\r\n");
        String kept = box(alice, "INBOX").getFirst();
        assertThat(kept).startsWith("X-Sorted: by sieve\r\nReceived: from client.test"); // RFC 5293 §4: on top
        assertThat(kept).contains("\r\nX-Note: =?utf-8?B?").doesNotContain("X-Junk-Tag").doesNotContain("forged\r\n")
                .doesNotContain("X-Sealpost-Redirected");
        assertThat(kept.indexOf("X-Note:")).isLessThan(kept.indexOf("\r\n\r\nbody")); // :last is still in the header
        assertThat(kept).endsWith("\r\n\r\nbody\r\n");
        // the copy filed before the edits is the original
        assertThat(box(alice, "Before")).singleElement().satisfies(b -> assertThat(b).contains("X-Junk-Tag: yes").doesNotContain("X-Sorted"));
        // the size counted is the edited copy's
        Mailboxes.MessageInfo info = store.mailboxes().messages(alice, "INBOX").getFirst();
        assertThat(info.size()).isEqualTo(kept.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void redirectAfterAnEditCarriesIt() throws Exception {
        activate(alice, "require \"editheader\";\naddheader \"X-Forwarded-By\" \"alice\";\nredirect \"carol@far.test\";\n");
        long q = send("sender@remote.test", "alice@example.test", "");
        Spool.QueuedMessage fwd = others(q).getFirst();
        assertThat(fwd.envelope().recipients().getFirst().address()).isEqualTo("carol@far.test");
        assertThat(blob(fwd.blob().id())).startsWith("X-Sealpost-Redirected: alice@example.test\r\nX-Forwarded-By: alice\r\n");
        assertThat(box(alice, "INBOX")).isEmpty();
    }

    @Test
    void notifySendsAMailtoNotificationThroughTheQueue() throws Exception {
        activate(alice, """
                require ["enotify", "variables"];
                if header :matches "subject" "*" { set "s" "${1}"; }
                notify :importance "1" :message "Mail: ${s}" "mailto:pager@far.test?body=check%20your%20mail";
                """);
        long q = send("sender@remote.test", "alice@example.test", "");
        assertThat(box(alice, "INBOX")).hasSize(1); // notify keeps (RFC 5435 §3: it does not cancel the implicit keep)
        Spool.QueuedMessage n = others(q).getFirst();
        assertThat(n.envelope().mailFrom()).isEmpty(); // null sender: no bounce, no auto-reply back
        assertThat(n.envelope().recipients()).extracting(Spool.Recipient::address).containsExactly("pager@far.test");
        String text = blob(n.blob().id());
        assertThat(text).contains("From: alice@example.test\r\n", "To: pager@far.test\r\n", "Subject: Mail: hello\r\n",
                "Auto-Submitted: auto-notified\r\n", "Importance: high\r\n", "\r\n\r\ncheck your mail");
        // the notification goes out through the outbound queue (a remote recipient)
        delivery.runOnce();
        assertThat(store.spool().get(n.id()).orElseThrow().recipients().getFirst().state()).isEqualTo(Spool.RecipientState.REMOTE);
    }

    @Test
    void notifyIsNeverSentForBouncesListsOrAutomaticMailAndIsBounded() throws Exception {
        activate(alice, "require \"enotify\";\nnotify \"mailto:pager@far.test\";\n");
        long a = send("", "alice@example.test", "");
        long b = send("sender@remote.test", "alice@example.test", "List-Id: <x.lists.test>\r\n");
        long c = send("sender@remote.test", "alice@example.test", "Precedence: bulk\r\n");
        long d = send("sender@remote.test", "alice@example.test", "Auto-Submitted: auto-replied\r\n");
        assertThat(store.spool().list(100).stream().filter(m -> m.envelope().recipients().getFirst().address().equals("pager@far.test")))
                .isEmpty();
        assertThat(box(alice, "INBOX")).hasSize(4);
        // at most three per message; a URI with too many recipients is not sent
        activate(alice, """
                require "enotify";
                notify "mailto:p1@far.test"; notify "mailto:p2@far.test"; notify "mailto:p3@far.test"; notify "mailto:p4@far.test";
                notify "mailto:a@far.test,b@far.test,c@far.test,d@far.test,e@far.test,f@far.test,g@far.test,h@far.test,i@far.test";
                """);
        long e = send("sender@remote.test", "alice@example.test", "");
        assertThat(others(e).stream().filter(m -> m.id() > Math.max(Math.max(a, b), Math.max(c, d)))
                .map(m -> m.envelope().recipients().getFirst().address()))
                .containsExactly("p1@far.test", "p2@far.test", "p3@far.test");
    }

    @Test
    void globalScriptsRunBeforeAndAfterTheUsersAsPigeonholeDoes() throws Exception {
        SieveScripts s = store.sieveScripts();
        store.mailboxes().create(alice, "Spam", null);
        store.mailboxes().create(alice, "Tagged", null);
        store.mailboxes().create(bob, "Spam", null);
        // server-wide: spam goes to Spam and nothing else runs (the message is no longer kept)
        s.putGlobal("", SieveScripts.Phase.BEFORE, "10-spam", "require \"fileinto\";\nif header :is \"X-Spam\" \"yes\" { fileinto \"Spam\"; }\n");
        // example.test only, after the user's: flags what the user kept
        s.putGlobal("example.test", SieveScripts.Phase.AFTER, "tag", "require \"imap4flags\";\naddflag \"$Checked\";\n");
        activate(alice, "require \"fileinto\";\nif header :contains \"subject\" \"tag\" { fileinto \"Tagged\"; }\n");
        activate(bob, "keep;\n");
        send("sender@remote.test", "alice@example.test", "X-Spam: yes\r\n");
        assertThat(box(alice, "Spam")).hasSize(1);
        assertThat(box(alice, "INBOX")).isEmpty();
        send("sender@remote.test", "alice@example.test", "");
        // the user's script kept: the after script ran and its flag is on the kept copy
        assertThat(store.mailboxes().messages(alice, "INBOX")).singleElement().satisfies(m -> assertThat(m.flags()).contains("$Checked"));
        // other.test has no after script; the server's before script applies to it too
        send("sender@remote.test", "bob@other.test", "");
        send("sender@remote.test", "bob@other.test", "X-Spam: yes\r\n");
        assertThat(store.mailboxes().messages(bob, "INBOX")).singleElement().satisfies(m -> assertThat(m.flags()).doesNotContain("$Checked"));
        assertThat(box(bob, "Spam")).hasSize(1);
        // an account without a script of its own still gets the admin scripts
        store.sieveScripts().setActive(alice, null);
        send("sender@remote.test", "alice@example.test", "X-Spam: yes\r\n");
        assertThat(box(alice, "Spam")).hasSize(2);
        assertThat(s.listGlobal(null)).extracting(SieveScripts.GlobalScript::name).containsExactly("10-spam", "tag");
        assertThat(s.removeGlobal("", SieveScripts.Phase.BEFORE, "10-spam")).isTrue();
        assertThat(s.removeGlobal("", SieveScripts.Phase.BEFORE, "10-spam")).isFalse();
    }

    @Test
    void aRuntimeErrorKeepsTheMailAndReportsOncePerScriptVersion() throws Exception {
        store.mailboxes().create(alice, "Lists", null);
        // a run-time error (RFC 5228 §2.10.6): five redirects pass the bound of four
        activate(alice, "require \"fileinto\";\nfileinto \"Lists\";\nredirect \"a@far.test\";\nredirect \"b@far.test\";\n"
                + "redirect \"c@far.test\";\nredirect \"d@far.test\";\nredirect \"e@far.test\";\n");
        long q1 = send("sender@remote.test", "alice@example.test", "");
        send("sender@remote.test", "alice@example.test", "");
        List<String> inbox = box(alice, "INBOX");
        assertThat(box(alice, "Lists")).isEmpty(); // the failed script's actions are cancelled
        assertThat(inbox).hasSize(3); // two messages kept and one report
        assertThat(inbox.stream().filter(m -> m.contains("Subject: Sieve: errors in your script \"main\""))).singleElement()
                .satisfies(r -> assertThat(r).contains("Auto-Submitted: auto-generated", "line 7", "redirect", "No mail was lost"));
        assertThat(others(q1)).isEmpty(); // nothing redirected
        // a new version that fails again is reported again; a script that does not compile too
        activate(alice, "redirect \"a@far.test\";\nredirect \"b@far.test\";\nredirect \"c@far.test\";\nredirect \"d@far.test\";\n"
                + "redirect \"e@far.test\";\nkeep;\n");
        send("sender@remote.test", "alice@example.test", "");
        store.sieveScripts().put(alice, "main", "if true {", SieveScripts.Quota.unlimited());
        send("sender@remote.test", "alice@example.test", "");
        inbox = box(alice, "INBOX");
        assertThat(inbox.stream().filter(m -> m.contains("Subject: Sieve: errors"))).hasSize(3);
        assertThat(inbox).hasSize(7);
        // an admin script's errors are not reported to the user
        store.sieveScripts().setActive(alice, null);
        store.sieveScripts().putGlobal("", SieveScripts.Phase.BEFORE, "broken", "if true {");
        send("sender@remote.test", "alice@example.test", "");
        assertThat(box(alice, "INBOX")).hasSize(8);
    }

    @Test
    void aCrashBetweenQueuingTheRedirectAndCommittingTheDeliveryForwardsOnce() throws Exception {
        activate(alice, "require \"copy\";\nredirect :copy \"carol@far.test\";\nredirect :copy \"dave@far.test\";\n");
        long q = enqueue("sender@remote.test", "alice@example.test", "");
        // the first delivery "crashes" after the redirects are queued, before the spool's commit
        AtomicInteger completes = new AtomicInteger();
        Store crashing = crashOnFirstComplete(store, completes);
        LocalDelivery first = delivery(crashing);
        first.runOnce();
        assertThat(completes.get()).isEqualTo(1);
        assertThat(store.spool().get(q).orElseThrow().recipients().getFirst().state()).isEqualTo(Spool.RecipientState.PENDING);
        assertThat(others(q)).hasSize(2); // the redirects were queued
        assertThat(box(alice, "INBOX")).isEmpty();
        // after the "restart" the message is delivered again: the keep is stored, no redirect is queued twice
        delivery.runOnce();
        assertThat(store.spool().get(q).orElseThrow().recipients().getFirst().state()).isEqualTo(Spool.RecipientState.DELIVERED);
        assertThat(box(alice, "INBOX")).hasSize(1);
        assertThat(others(q)).extracting(m -> m.envelope().recipients().getFirst().address())
                .containsExactlyInAnyOrder("carol@far.test", "dave@far.test");
        assertThat(delivery.runOnce()).isGreaterThanOrEqualTo(0);
        assertThat(others(q)).hasSize(2);
    }

    /** The store, with a spool whose first {@code complete} fails as a crash would (nothing committed). */
    static Store crashOnFirstComplete(Store real, AtomicInteger completes) {
        Spool spool = (Spool) Proxy.newProxyInstance(Spool.class.getClassLoader(), new Class<?>[] {Spool.class}, (p, m, args) -> {
            if (m.getName().equals("complete") && completes.getAndIncrement() == 0) throw new IllegalStateException("simulated crash");
            try {
                return m.invoke(real.spool(), args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, (p, m, args) -> {
            if (m.getName().equals("spool")) return spool;
            if (m.getName().equals("close")) return null;
            try {
                return m.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
