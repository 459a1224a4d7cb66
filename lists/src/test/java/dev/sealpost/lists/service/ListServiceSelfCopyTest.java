package dev.sealpost.lists.service;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.store.MailingLists;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.internal.JdbcStore;
import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A member's own copies (self_copy): on by default, off per member, and changed by a confirmed request. */
class ListServiceSelfCopyTest {
    private static final String LIST = "dev@example.org";

    @TempDir
    Path dir;
    Store store;
    ListService lists;
    long seen;

    @BeforeEach
    void open() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
        store = JdbcStore.open(new StoreConfig(dir, null, null, null, clock), pw -> PasswordHasher.hash(pw, 1000, 4096));
        store.directory().addDomain("example.org");
        store.lists().create(LIST, "", "open");
        store.lists().addMember(LIST, MailingLists.Role.MEMBER, "ann@far.test");
        store.lists().addMember(LIST, MailingLists.Role.MEMBER, "bob@far.test");
        lists = new ListService(store, null, clock, ListService.Settings.defaults("mail.example.org"), List.of(new byte[32]), null);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private List<String> newMail() throws Exception {
        List<String> out = new ArrayList<>();
        for (Spool.QueuedMessage m : store.spool().list(1000)) {
            if (m.id() <= seen) continue;
            seen = Math.max(seen, m.id());
            try (InputStream in = store.blobs().open(m.blob().id())) {
                out.add(m.envelope().recipients().getFirst().address() + "|" + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private void deliver(String rcpt, String from, String subject, String body) throws Exception {
        byte[] msg = ("From: <" + from + ">\r\nTo: <" + rcpt + ">\r\nSubject: " + subject + "\r\nMessage-ID: <" + System.nanoTime()
                + "@far.test>\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.US_ASCII);
        long qid = store.spool().enqueue(new Spool.Envelope(from, List.of(new Spool.Recipient(rcpt, null, null)), "192.0.2.1", "far.test", null,
                "s1", false, false, null, null, null, Instant.now()), store.blobs().put(msg));
        seen = Math.max(seen, qid);
        Spool.QueuedMessage m = store.spool().get(qid).orElseThrow();
        lists.handle(m, m.recipients().getFirst(), EmailAddress.parse(rcpt).orElseThrow());
    }

    private List<String> recipients(List<String> mail) {
        return mail.stream().map(m -> m.substring(0, m.indexOf('|'))).sorted().toList();
    }

    @Test
    void thePosterGetsItsOwnCopyUnlessItTurnedThemOff() throws Exception {
        deliver(LIST, "ann@far.test", "one", "hello");
        assertThat(recipients(newMail())).containsExactly("ann@far.test", "bob@far.test");
        store.lists().setSelfCopy(LIST, "ann@far.test", false);
        deliver(LIST, "ann@far.test", "two", "hello");
        assertThat(recipients(newMail())).containsExactly("bob@far.test");
        deliver(LIST, "bob@far.test", "three", "hello"); // ann still gets the others' posts
        assertThat(recipients(newMail())).containsExactly("ann@far.test", "bob@far.test");
    }

    @Test
    void aMemberTurnsOwnCopiesOffByAConfirmedRequest() throws Exception {
        deliver("dev-request@example.org", "ann@far.test", "set self_copy off", "");
        List<String> mail = newMail();
        assertThat(mail).singleElement().asString().startsWith("ann@far.test|").contains("stop sending ann@far.test copies of its own posts");
        Matcher t = Pattern.compile("Reply-To: <(dev-confirm\\+[a-z2-7]{32}@example.org)>").matcher(mail.getFirst());
        assertThat(t.find()).isTrue();
        // nothing changes before the confirmation
        assertThat(store.lists().members(LIST, MailingLists.Role.MEMBER).getFirst().ownPosts()).isTrue();
        deliver(t.group(1), "ann@far.test", "Re: confirm", "");
        assertThat(newMail()).singleElement().asString().startsWith("ann@far.test|").contains("You will no longer get copies of your own posts");
        assertThat(store.lists().members(LIST, MailingLists.Role.MEMBER).getFirst().ownPosts()).isFalse();
        deliver(LIST, "ann@far.test", "four", "hello");
        assertThat(recipients(newMail())).containsExactly("bob@far.test");

        // a non-member gets the same confirmation (nothing to learn from it), and confirming changes nothing
        deliver("dev-request@example.org", "zed@far.test", "Subject", "set myposts on");
        String z = newMail().getFirst();
        assertThat(z).contains("send zed@far.test copies of its own posts").doesNotContain("not subscribed");
        Matcher zt = Pattern.compile("Reply-To: <(dev-confirm\\+[a-z2-7]{32}@example.org)>").matcher(z);
        assertThat(zt.find()).isTrue();
        deliver(zt.group(1), "zed@far.test", "Re: confirm", "");
        assertThat(newMail()).singleElement().asString().startsWith("zed@far.test|").contains("not subscribed");
        assertThat(store.lists().members(LIST, MailingLists.Role.MEMBER)).extracting(MailingLists.Member::address).containsExactly("ann@far.test", "bob@far.test");
    }
}
