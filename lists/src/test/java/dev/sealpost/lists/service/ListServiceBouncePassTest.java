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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daily bounce pass over disabled members (warnings, then removal with a notice to the
 * owners) and the way back by subscribing again, on a real SQLite store with a mutable clock.
 */
class ListServiceBouncePassTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final String LIST = "dev@example.org";

    @TempDir
    Path dir;
    MutableClock clock;
    Store store;
    ListService lists;
    /** Spool ids already looked at. */
    long seen;

    @BeforeEach
    void open() {
        clock = new MutableClock(T0);
        store = JdbcStore.open(new StoreConfig(dir, null, null, null, clock), pw -> PasswordHasher.hash(pw, 1000, 4096));
        store.directory().addDomain("example.org");
        store.lists().create(LIST, "Developers", "members");
        store.lists().addMember(LIST, MailingLists.Role.OWNER, "own@example.org");
        for (String a : List.of("ann@far.test", "bob@far.test", "cy@far.test")) store.lists().addMember(LIST, MailingLists.Role.MEMBER, a);
        lists = new ListService(store, null, clock, ListService.Settings.defaults("mail.example.org"), List.of(new byte[32]), null);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** What the bounce handler stores when it disables a member: the disable notice counts as the first. */
    private void disable(String member) {
        store.lists().setMemberState(LIST, member, false, new MailingLists.BounceState(5.0, clock.instant(), "2026-03-02", 1.0, "disabled", 1, clock.instant()));
    }

    private MailingLists.Member member(String a) {
        return store.lists().members(LIST, MailingLists.Role.MEMBER).stream().filter(m -> m.address().equals(a)).findFirst().orElse(null);
    }

    /** Messages spooled since the last call: "rcpt|mailFrom|message". */
    private List<String> newMail() throws Exception {
        List<String> out = new ArrayList<>();
        for (Spool.QueuedMessage m : store.spool().list(1000)) {
            if (m.id() <= seen) continue;
            seen = Math.max(seen, m.id());
            try (InputStream in = store.blobs().open(m.blob().id())) {
                out.add(m.envelope().recipients().getFirst().address() + "|" + m.envelope().mailFrom() + "|"
                        + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Test
    void disabledMembersAreWarnedWeeklyThenRemovedAndTheOwnersTold() throws Exception {
        disable("ann@far.test");
        assertThat(lists.bouncePass()).isEqualTo(new ListService.PassResult(0, 0));
        clock.advance(Duration.ofDays(6));
        assertThat(lists.bouncePass()).isEqualTo(new ListService.PassResult(0, 0)); // the disable notice is not a week old
        assertThat(newMail()).isEmpty();

        clock.advance(Duration.ofDays(1));
        assertThat(lists.bouncePass()).isEqualTo(new ListService.PassResult(1, 0));
        List<String> mail = newMail();
        assertThat(mail).hasSize(1);
        assertThat(mail.getFirst()).startsWith("ann@far.test|dev-bounces@example.org|")
                .contains("Subject: Your subscription to dev@example.org is still disabled", "notice 2 of 3",
                        "send 'subscribe' to dev-request@example.org", "Auto-Submitted: auto-replied")
                .doesNotContain("bob@far.test", "cy@far.test", "own@example.org");
        assertThat(member("ann@far.test").bounce().warningsSent()).isEqualTo(2);
        assertThat(member("ann@far.test").enabled()).isFalse();
        assertThat(lists.bouncePass()).isEqualTo(new ListService.PassResult(0, 0)); // once a week, not once a pass

        clock.advance(Duration.ofDays(7));
        assertThat(lists.bouncePass()).isEqualTo(new ListService.PassResult(1, 0));
        assertThat(newMail()).singleElement().asString().startsWith("ann@far.test|").contains("notice 3 of 3");

        clock.advance(Duration.ofDays(7));
        assertThat(lists.bouncePass()).isEqualTo(new ListService.PassResult(0, 1));
        assertThat(member("ann@far.test")).isNull();
        assertThat(member("bob@far.test").enabled()).isTrue();
        mail = newMail();
        assertThat(mail).singleElement().asString().startsWith("own@example.org|dev-bounces@example.org|")
                .contains("Members removed from dev@example.org by bounces", "  ann@far.test\r\n")
                .doesNotContain("bob@far.test", "cy@far.test");
        clock.advance(Duration.ofDays(7));
        assertThat(lists.bouncePass()).isEqualTo(new ListService.PassResult(0, 0));
    }

    @Test
    void theListsOwnThresholdDoesNotChangeTheWarnings() throws Exception {
        MailingLists.MailingList l = store.lists().find(LIST).orElseThrow();
        store.lists().update(LIST, l.description(), l.posting(), java.util.Map.of("bounce_threshold", "2.5"));
        disable("bob@far.test");
        disable("cy@far.test");
        clock.advance(Duration.ofDays(7));
        assertThat(lists.bouncePass()).isEqualTo(new ListService.PassResult(2, 0));
        // each warning goes to its own member only
        for (String m : newMail()) {
            String rcpt = m.substring(0, m.indexOf('|'));
            assertThat(m.substring(m.indexOf('|'))).doesNotContain(rcpt.equals("bob@far.test") ? "cy@far.test" : "bob@far.test");
        }
    }

    @Test
    void thePassRunsAtMostDailyFromLocalDelivery() throws Exception {
        disable("ann@far.test");
        clock.advance(Duration.ofDays(7));
        // any local delivery runs the day's pass first, even for an address that is no list's
        assertThat(deliver("someone@example.org", "x@far.test", "hello")).isEmpty();
        assertThat(newMail()).filteredOn(m -> m.startsWith("ann@far.test|")).hasSize(1);
        clock.advance(Duration.ofDays(7));
        assertThat(deliver("someone@example.org", "x@far.test", "hello")).isEmpty();
        assertThat(newMail()).filteredOn(m -> m.startsWith("ann@far.test|")).hasSize(1); // the third notice
        clock.advance(Duration.ofHours(12)); // less than a day after the last pass: none now
        store.lists().setMemberState(LIST, "bob@far.test", false,
                new MailingLists.BounceState(5.0, T0, "2026-03-02", 1.0, "disabled", 1, T0)); // a week-old notice, due
        assertThat(deliver("someone@example.org", "x@far.test", "hello")).isEmpty();
        assertThat(newMail()).isEmpty();
        clock.advance(Duration.ofHours(12));
        assertThat(deliver("someone@example.org", "x@far.test", "hello")).isEmpty();
        assertThat(newMail()).filteredOn(m -> m.startsWith("bob@far.test|")).hasSize(1);
    }

    @Test
    void aConfirmedSubscriptionReEnablesADisabledMember() throws Exception {
        disable("ann@far.test");
        long id = store.lists().find(LIST).orElseThrow().id();
        String token = "a".repeat(32);
        store.lists().putPending(new MailingLists.Pending(token, id, "subscribe", "ann@far.test", null, T0, T0.plus(Duration.ofDays(7))));
        deliver("dev-confirm+" + token + "@example.org", "ann@far.test", "Re: confirm " + token);
        MailingLists.Member ann = member("ann@far.test");
        assertThat(ann.enabled()).isTrue();
        assertThat(ann.bounce()).isEqualTo(MailingLists.BounceState.NEW);
        assertThat(newMail()).singleElement().asString().startsWith("ann@far.test|").contains("Welcome to dev@example.org");
        clock.advance(Duration.ofDays(30));
        assertThat(lists.bouncePass()).isEqualTo(new ListService.PassResult(0, 0));
        assertThat(member("ann@far.test")).isNotNull();
    }

    /** Spools a message from {@code from} to {@code rcpt} and hands it to the service as local delivery does. */
    private java.util.Optional<Spool.Disposition> deliver(String rcpt, String from, String subject) throws Exception {
        byte[] msg = ("From: <" + from + ">\r\nTo: <" + rcpt + ">\r\nSubject: " + subject + "\r\nMessage-ID: <" + System.nanoTime()
                + "@far.test>\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII);
        long qid = store.spool().enqueue(new Spool.Envelope(from, List.of(new Spool.Recipient(rcpt, null, null)), "192.0.2.1", "far.test", null,
                "s1", false, false, null, null, null, clock.instant()), store.blobs().put(msg));
        seen = Math.max(seen, qid);
        Spool.QueuedMessage m = store.spool().get(qid).orElseThrow();
        return lists.handle(m, m.recipients().getFirst(), EmailAddress.parse(rcpt).orElseThrow());
    }
}
