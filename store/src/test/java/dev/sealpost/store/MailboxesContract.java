package dev.sealpost.store;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.store.Directory.Account;
import dev.sealpost.store.Mailboxes.AppendResult;
import dev.sealpost.store.Mailboxes.Changes;
import dev.sealpost.store.Mailboxes.CopyResult;
import dev.sealpost.store.Mailboxes.ExpungeResult;
import dev.sealpost.store.Mailboxes.FlagMode;
import dev.sealpost.store.Mailboxes.FlagResult;
import dev.sealpost.store.Mailboxes.MailboxInfo;
import dev.sealpost.store.Mailboxes.MailboxResult;
import dev.sealpost.store.Mailboxes.MessageInfo;
import dev.sealpost.store.Mailboxes.NewMessage;
import dev.sealpost.store.Mailboxes.SharedMailbox;
import dev.sealpost.store.Spool.Envelope;
import dev.sealpost.store.Spool.Recipient;
import dev.sealpost.store.Spool.ToMailboxes;
import dev.sealpost.store.internal.JdbcStore;
import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link Mailboxes} API for IMAP and POP3 on every backend: mailbox operations, UID / MODSEQ /
 * UIDVALIDITY rules, flags, expunge and changes, copy and move, THREADID, listeners, ACL and
 * metadata. Subclasses give a fresh database per test.
 */
abstract class MailboxesContract {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String OBJECT_ID = "[A-Za-z0-9_-]{1,255}"; // RFC 8474 §5.1 objectid

    @TempDir
    Path dataDir;
    MutableClock clock;
    StoreConfig cfg;
    Store store;
    Account alice;
    Account bob;

    protected abstract StoreConfig freshConfig(Path dataDir, MutableClock clock) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        clock = new MutableClock(T0);
        cfg = freshConfig(dataDir, clock);
        store = open();
        store.directory().addDomain("example.org");
        alice = store.directory().addAccount("alice@example.org", "pw".toCharArray());
        bob = store.directory().addAccount("bob@example.org", "pw".toCharArray());
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    private Store open() {
        return JdbcStore.open(cfg, pw -> PasswordHasher.hash(pw, 1000, 4096));
    }

    Mailboxes mb() {
        return store.mailboxes();
    }

    MailboxInfo box(Account a, String name) {
        return mb().mailbox(a.id(), name).orElseThrow(() -> new AssertionError("no mailbox " + name));
    }

    long usedBytes(Account a) {
        return store.directory().account(a.address()).orElseThrow().usedBytes();
    }

    BlobRef blob(String text) throws IOException {
        return store.blobs().put(text.getBytes(StandardCharsets.UTF_8));
    }

    NewMessage msg(String text, String... flags) throws IOException {
        return new NewMessage(blob(text), Set.of(flags), null, null);
    }

    NewMessage msg(String text, MessageSummary summary) throws IOException {
        return new NewMessage(blob(text), Set.of(), null, summary);
    }

    List<Long> append(long mailboxId, NewMessage... msgs) {
        AppendResult r = mb().append(mailboxId, List.of(msgs));
        assertThat(r).isInstanceOf(AppendResult.Appended.class);
        return ((AppendResult.Appended) r).uids();
    }

    MessageInfo message(long mailboxId, long uid) {
        return mb().messages(mailboxId).stream().filter(m -> m.uid() == uid).findFirst()
                .orElseThrow(() -> new AssertionError("no uid " + uid));
    }

    // ---------------------------------------------------------------- create, delete, rename

    @Test
    void createMakesSuperiorsAndValidatesNames() {
        MailboxResult r = mb().create(alice.id(), "Work/Projects/2026", null);
        assertThat(r).isInstanceOf(MailboxResult.Done.class);
        MailboxInfo created = ((MailboxResult.Done) r).mailbox();
        assertThat(created.name()).isEqualTo("Work/Projects/2026");
        assertThat(created.accountId()).isEqualTo(alice.id());
        assertThat(created.uidNext()).isEqualTo(1);
        assertThat(created.highestModSeq()).isZero();
        assertThat(created.subscribed()).isFalse(); // CREATE does not subscribe
        assertThat(mb().list(alice.id())).extracting(MailboxInfo::name)
                .containsExactly("INBOX", "Archive", "Drafts", "Junk", "Sent", "Trash", "Work", "Work/Projects", "Work/Projects/2026");
        assertThat(mb().mailbox(created.id())).hasValueSatisfying(m -> assertThat(m.name()).isEqualTo("Work/Projects/2026"));
        assertThat(mb().create(alice.id(), "Work/Projects", null)).isInstanceOf(MailboxResult.AlreadyExists.class);
        // RFC 9051 §5.1: INBOX in any case is INBOX
        assertThat(mb().create(alice.id(), "inbox", null)).isInstanceOf(MailboxResult.AlreadyExists.class);
        assertThat(mb().create(alice.id(), "InBox/Sub", null)).isInstanceOf(MailboxResult.Done.class);
        assertThat(mb().mailbox(alice.id(), "inbox/Sub")).hasValueSatisfying(m -> assertThat(m.name()).isEqualTo("INBOX/Sub"));
        assertThat(mb().mailbox(alice.id(), "iNbOx")).hasValueSatisfying(m -> assertThat(m.name()).isEqualTo("INBOX"));
        // names are Unicode
        assertThat(mb().create(alice.id(), "Überweisungen/日本語 😀", null)).isInstanceOf(MailboxResult.Done.class);
        assertThat(mb().mailbox(alice.id(), "Überweisungen/日本語 😀")).isPresent();
        // other names are case-sensitive
        assertThat(mb().mailbox(alice.id(), "work")).isEmpty();
        for (String bad : List.of("", "/Lead", "Trail/", "Dou//ble", "Star*", "Per%cent", "Ctl\u0001", "Del\u007f", "C1\u0085",
                "x".repeat(1001), "Lone\uD800")) {
            assertThat(mb().create(alice.id(), bad, null)).as("'%s'", bad).isInstanceOf(MailboxResult.Refused.class);
        }
        assertThat(mb().create(alice.id(), null, null)).isInstanceOf(MailboxResult.Refused.class);
        assertThat(mb().create(987_654, "Elsewhere", null)).isInstanceOf(MailboxResult.NotFound.class);
        assertThat(mb().mailbox(alice.id(), "Star*")).isEmpty();
        assertThat(mb().mailbox(123_456)).isEmpty();
        assertThat(mb().list(987_654)).isEmpty();
    }

    @Test
    void createWithSpecialUse() {
        // RFC 6154 §3 CREATE-SPECIAL-USE: attributes compare case-insensitively and are kept canonical
        MailboxResult r = mb().create(alice.id(), "Starred", "\\flagged");
        assertThat(((MailboxResult.Done) r).mailbox().specialUse()).isEqualTo("\\Flagged");
        assertThat(box(alice, "Starred").specialUse()).isEqualTo("\\Flagged");
        assertThat(((MailboxResult.Done) mb().create(alice.id(), "Everything", "\\All")).mailbox().specialUse()).isEqualTo("\\All");
        assertThat(mb().create(alice.id(), "Odd", "\\Important")).isInstanceOf(MailboxResult.Refused.class);
        assertThat(mb().create(alice.id(), "Odd2", "Sent")).isInstanceOf(MailboxResult.Refused.class);
        assertThat(mb().mailbox(alice.id(), "Odd")).isEmpty();
    }

    @Test
    void deleteKeepsInferiorsAndAdjustsUsedBytes() throws Exception {
        mb().create(alice.id(), "Work/Old", null);
        MailboxInfo work = box(alice, "Work");
        append(work.id(), msg("x".repeat(100)), msg("y".repeat(50)));
        append(box(alice, "Work/Old").id(), msg("z".repeat(7)));
        assertThat(usedBytes(alice)).isEqualTo(157);
        mb().setRights(work.id(), "bob@example.org", "lr");
        mb().setMetadata(alice.id(), work.id(), "/private/comment", "gone soon");

        assertThat(mb().delete(alice.id(), "inbox")).isInstanceOf(MailboxResult.Refused.class); // RFC 9051 §6.3.5
        assertThat(mb().delete(alice.id(), "Nowhere")).isInstanceOf(MailboxResult.NotFound.class);
        MailboxResult r = mb().delete(alice.id(), "Work");
        assertThat(r).isInstanceOf(MailboxResult.Done.class);
        assertThat(((MailboxResult.Done) r).mailbox().messages()).isEqualTo(2);
        assertThat(mb().mailbox(alice.id(), "Work")).isEmpty();
        assertThat(mb().mailbox(alice.id(), "Work/Old")).isPresent(); // inferiors stay
        assertThat(usedBytes(alice)).isEqualTo(7);
        assertThat(mb().messages(work.id())).isEmpty();
        assertThat(mb().changes(work.id(), 0)).isEmpty();
        assertThat(mb().acl(work.id())).isEmpty();
        assertThat(mb().metadata(alice.id(), work.id(), "")).isEmpty();
        assertThat(mb().sharedWith("bob@example.org")).isEmpty();
        assertThat(store.mailboxes().messages(alice.id(), "INBOX")).isEmpty();
    }

    @Test
    void uidValidityChangesWhenANameIsCreatedAgain() {
        MailboxInfo first = ((MailboxResult.Done) mb().create(alice.id(), "Again", null)).mailbox();
        mb().delete(alice.id(), "Again");
        // the same second: still a new, larger value (RFC 9051 §2.3.1.1)
        MailboxInfo second = ((MailboxResult.Done) mb().create(alice.id(), "Again", null)).mailbox();
        assertThat(second.uidValidity()).isGreaterThan(first.uidValidity());
        assertThat(second.id()).isNotEqualTo(first.id());
        long maxAll = mb().list(alice.id()).stream().mapToLong(MailboxInfo::uidValidity).max().orElseThrow();
        assertThat(second.uidValidity()).isEqualTo(maxAll);
        clock.advance(Duration.ofDays(1));
        MailboxInfo later = ((MailboxResult.Done) mb().create(alice.id(), "Later", null)).mailbox();
        assertThat(later.uidValidity()).isEqualTo(T0.plus(Duration.ofDays(1)).getEpochSecond()).isLessThan(1L << 32);
    }

    @Test
    void renameMovesInferiorsAndKeepsUidValidity() throws Exception {
        mb().create(alice.id(), "Work/Projects/2026", null);
        mb().create(alice.id(), "Workshop", null); // shares the prefix "Work" but is no inferior
        MailboxInfo work = box(alice, "Work"), projects = box(alice, "Work/Projects"), y2026 = box(alice, "Work/Projects/2026");
        append(projects.id(), msg("in projects"));
        mb().subscribe(alice.id(), "Work/Projects", true);
        mb().setRights(projects.id(), "bob@example.org", "lr");

        assertThat(mb().rename(alice.id(), "Nowhere", "Else")).isInstanceOf(MailboxResult.NotFound.class);
        assertThat(mb().rename(alice.id(), "Work", "Workshop")).isInstanceOf(MailboxResult.AlreadyExists.class);
        assertThat(mb().rename(alice.id(), "Work", "INBOX")).isInstanceOf(MailboxResult.AlreadyExists.class);
        assertThat(mb().rename(alice.id(), "Work", "Work")).isInstanceOf(MailboxResult.AlreadyExists.class);
        assertThat(mb().rename(alice.id(), "Work", "Work/Sub")).isInstanceOf(MailboxResult.Refused.class);
        assertThat(mb().rename(alice.id(), "Work", "Bad*")).isInstanceOf(MailboxResult.Refused.class);

        MailboxResult r = mb().rename(alice.id(), "Work", "Archive/Jobs/Work");
        assertThat(r).isInstanceOf(MailboxResult.Done.class);
        assertThat(((MailboxResult.Done) r).mailbox().name()).isEqualTo("Archive/Jobs/Work");
        assertThat(mb().list(alice.id())).extracting(MailboxInfo::name).containsExactly("INBOX", "Archive", "Archive/Jobs",
                "Archive/Jobs/Work", "Archive/Jobs/Work/Projects", "Archive/Jobs/Work/Projects/2026", "Drafts", "Junk", "Sent",
                "Trash", "Workshop");
        MailboxInfo moved = box(alice, "Archive/Jobs/Work/Projects");
        assertThat(moved.id()).isEqualTo(projects.id());
        assertThat(moved.uidValidity()).isEqualTo(projects.uidValidity()); // RFC 9051 §6.3.6
        assertThat(moved.messages()).isEqualTo(1);
        assertThat(box(alice, "Archive/Jobs/Work").uidValidity()).isEqualTo(work.uidValidity());
        assertThat(box(alice, "Archive/Jobs/Work/Projects/2026").uidValidity()).isEqualTo(y2026.uidValidity());
        assertThat(moved.subscribed()).isTrue(); // the subscription follows
        assertThat(mb().subscriptions(alice.id())).contains("Archive/Jobs/Work/Projects").doesNotContain("Work/Projects");
        assertThat(mb().acl(projects.id())).containsEntry("bob@example.org", "lr");
    }

    @Test
    void renamingInboxMovesItsMessages() throws Exception {
        MailboxInfo inbox = box(alice, "INBOX");
        mb().create(alice.id(), "INBOX/Child", null);
        List<Long> uids = append(inbox.id(), msg("one", "\\Seen"), msg("two"));
        assertThat(uids).containsExactly(1L, 2L);
        List<MessageInfo> before = mb().messages(inbox.id());

        MailboxResult r = mb().rename(alice.id(), "inbox", "Old Inbox");
        assertThat(r).isInstanceOf(MailboxResult.Done.class);
        MailboxInfo old = ((MailboxResult.Done) r).mailbox();
        assertThat(old.name()).isEqualTo("Old Inbox");
        assertThat(old.id()).isNotEqualTo(inbox.id());
        assertThat(old.uidValidity()).isGreaterThan(inbox.uidValidity());
        List<MessageInfo> after = mb().messages(old.id());
        assertThat(after).extracting(MessageInfo::uid).containsExactly(1L, 2L);
        assertThat(after).extracting(MessageInfo::emailId).containsExactlyElementsOf(before.stream().map(MessageInfo::emailId).toList());
        assertThat(after.getFirst().flags()).containsExactly("\\Seen");

        MailboxInfo inboxNow = box(alice, "INBOX");
        assertThat(inboxNow.id()).isEqualTo(inbox.id());
        assertThat(inboxNow.uidValidity()).isEqualTo(inbox.uidValidity());
        assertThat(inboxNow.messages()).isZero();
        assertThat(inboxNow.uidNext()).isEqualTo(3); // UIDs are never reused
        assertThat(mb().changes(inbox.id(), before.getLast().modSeq()).orElseThrow().expungedUids()).containsExactly(1L, 2L);
        assertThat(mb().mailbox(alice.id(), "INBOX/Child")).isPresent(); // inferiors of INBOX are unaffected
        assertThat(usedBytes(alice)).isEqualTo(6);
    }

    @Test
    void subscriptions() {
        // the default mailboxes of a new account are subscribed
        assertThat(mb().subscriptions(alice.id())).containsExactly("Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash");
        assertThat(mb().list(alice.id())).allSatisfy(m -> assertThat(m.subscribed()).isTrue());
        // RFC 9051 §6.3.7: a name need not exist
        mb().subscribe(alice.id(), "Not/There", true);
        mb().subscribe(alice.id(), "Not/There", true); // twice is once
        mb().subscribe(alice.id(), "Junk", false);
        assertThat(mb().subscriptions(alice.id())).containsExactly("Archive", "Drafts", "INBOX", "Not/There", "Sent", "Trash");
        assertThat(box(alice, "Junk").subscribed()).isFalse();
        mb().subscribe(alice.id(), "inbox", false);
        assertThat(mb().subscriptions(alice.id())).doesNotContain("INBOX");
        mb().subscribe(alice.id(), "Never", false); // not subscribed: nothing happens
        // deleting a mailbox keeps its subscription
        mb().create(alice.id(), "Temp", null);
        mb().subscribe(alice.id(), "Temp", true);
        assertThat(box(alice, "Temp").subscribed()).isTrue();
        mb().delete(alice.id(), "Temp");
        assertThat(mb().subscriptions(alice.id())).contains("Temp");
        assertThat(mb().subscriptions(bob.id())).doesNotContain("Not/There", "Temp");
        assertThatThrownBy(() -> mb().subscribe(alice.id(), "bad\u0000name", true)).isInstanceOf(IllegalArgumentException.class);
        assertThat(mb().subscriptions(987_654)).isEmpty();
    }

    // ---------------------------------------------------------------- append

    @Test
    void appendAssignsUidsFlagsAndDates() throws Exception {
        MailboxInfo drafts = box(alice, "Drafts");
        Instant given = Instant.parse("2025-12-24T18:00:00Z");
        clock.advance(Duration.ofMinutes(5));
        AppendResult r = mb().append(drafts.id(), List.of(
                new NewMessage(blob("first"), Set.of("\\seen", "\\RECENT", "$Label1"), given, null),
                new NewMessage(blob("second!"), Set.of("\\Draft", "\\deleted"), null, null),
                new NewMessage(blob("third"), Set.of(), null, null)));
        assertThat(r).isEqualTo(new AppendResult.Appended(drafts.uidValidity(), List.of(1L, 2L, 3L)));
        List<MessageInfo> ms = mb().messages(drafts.id());
        assertThat(ms).extracting(MessageInfo::uid).containsExactly(1L, 2L, 3L);
        assertThat(ms.get(0).flags()).containsExactlyInAnyOrder("\\Seen", "$Label1"); // canonical case, no \Recent
        assertThat(ms.get(1).flags()).containsExactlyInAnyOrder("\\Draft", "\\Deleted");
        assertThat(ms.get(0).internalDate()).isEqualTo(given);
        assertThat(ms.get(1).internalDate()).isEqualTo(clock.instant());
        assertThat(ms).allSatisfy(m -> {
            assertThat(m.saveDate()).isEqualTo(clock.instant()); // RFC 8514
            assertThat(m.emailId()).matches(OBJECT_ID);
            assertThat(m.threadId()).matches(OBJECT_ID);
            assertThat(m.modSeq()).isEqualTo(1);
        });
        assertThat(ms).extracting(MessageInfo::emailId).doesNotHaveDuplicates();
        assertThat(ms).extracting(MessageInfo::threadId).doesNotHaveDuplicates();
        assertThat(mb().messages(alice.id(), "Drafts")).isEqualTo(ms);

        MailboxInfo after = box(alice, "Drafts");
        assertThat(after.uidNext()).isEqualTo(4);
        assertThat(after.highestModSeq()).isEqualTo(1);
        assertThat(after.messages()).isEqualTo(3);
        assertThat(after.unseen()).isEqualTo(2);
        assertThat(after.deleted()).isEqualTo(1);
        assertThat(after.size()).isEqualTo(5 + 7 + 5);
        assertThat(usedBytes(alice)).isEqualTo(17);
        assertThat(mb().list(alice.id())).filteredOn(m -> m.name().equals("Drafts")).containsExactly(after);

        assertThat(append(drafts.id(), msg("fourth"))).containsExactly(4L);
        assertThat(box(alice, "Drafts").highestModSeq()).isEqualTo(2);
        assertThat(mb().append(drafts.id(), List.of())).isEqualTo(new AppendResult.Appended(drafts.uidValidity(), List.of()));
        assertThat(mb().append(123_456, List.of(msg("x")))).isInstanceOf(AppendResult.NoMailbox.class);
        assertThatThrownBy(() -> mb().append(drafts.id(), List.of(new NewMessage(new BlobRef("0".repeat(64), 3), Set.of(), null, null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not stored");
        assertThatThrownBy(() -> mb().append(drafts.id(), List.of(msg("bad flag", "two words"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(box(alice, "Drafts").messages()).isEqualTo(4);
    }

    @Test
    void appendIsAllOrNothingAgainstTheQuota() throws Exception {
        store.directory().setQuota("alice@example.org", 100);
        MailboxInfo inbox = box(alice, "INBOX");
        append(inbox.id(), msg("a".repeat(60)));
        // each would fit, the two together do not (RFC 3502 MULTIAPPEND is all or nothing)
        assertThat(mb().append(inbox.id(), List.of(msg("b".repeat(30)), msg("c".repeat(30))))).isInstanceOf(AppendResult.OverQuota.class);
        MailboxInfo after = box(alice, "INBOX");
        assertThat(after.messages()).isEqualTo(1);
        assertThat(after.uidNext()).isEqualTo(2);
        assertThat(after.highestModSeq()).isEqualTo(1);
        assertThat(usedBytes(alice)).isEqualTo(60);
        assertThat(append(inbox.id(), msg("d".repeat(40)))).containsExactly(2L); // exactly at the quota is fine
        assertThat(usedBytes(alice)).isEqualTo(100);
        store.directory().setQuota("alice@example.org", 0); // unlimited
        assertThat(append(inbox.id(), msg("e".repeat(1000)))).containsExactly(3L);
    }

    @Test
    void summaryIsCachedOnAppend() throws Exception {
        byte[] structure = {0, 1, 2, (byte) 255};
        MailboxInfo inbox = box(alice, "INBOX");
        append(inbox.id(), msg("m1", new MessageSummary(structure, "Hi", "A <a@example.org>", "<m1@example.org>", "<p@example.org>")),
                msg("m2", new MessageSummary(null, "No structure", null, null, null)));
        List<MessageInfo> ms = mb().messages(inbox.id());
        MessageSummary s = mb().summary(ms.get(0).id()).orElseThrow();
        assertThat(s.structure()).isEqualTo(structure);
        assertThat(s.subject()).isEqualTo("Hi");
        assertThat(s.from()).isEqualTo("A <a@example.org>");
        assertThat(s.messageId()).isEqualTo("<m1@example.org>");
        assertThat(s.references()).isEqualTo("<p@example.org>");
        assertThat(mb().structure(ms.get(1).id())).isEmpty();
        assertThat(mb().summary(ms.get(1).id()).orElseThrow().subject()).isEqualTo("No structure");
    }

    // ---------------------------------------------------------------- store flags

    @Test
    void storeFlagsModesAndModSeq() throws Exception {
        long inbox = box(alice, "INBOX").id();
        append(inbox, msg("1"), msg("2", "\\Seen"), msg("3", "$Work"));
        assertThat(box(alice, "INBOX").highestModSeq()).isEqualTo(1);

        FlagResult add = mb().store(inbox, List.of(1L, 2L, 3L, 99L), FlagMode.ADD, Set.of("\\seen"), -1);
        // message 2 had \Seen already: unchanged, keeps its MODSEQ, not reported
        assertThat(add.updated()).extracting(MessageInfo::uid).containsExactly(1L, 3L);
        assertThat(add.updated()).allSatisfy(m -> assertThat(m.modSeq()).isEqualTo(2));
        assertThat(add.updated().get(1).flags()).containsExactlyInAnyOrder("$Work", "\\Seen");
        assertThat(add.modified()).isEmpty();
        assertThat(add.highestModSeq()).isEqualTo(2);
        assertThat(message(inbox, 2).modSeq()).isEqualTo(1);
        assertThat(message(inbox, 1).flags()).containsExactly("\\Seen");
        assertThat(box(alice, "INBOX").unseen()).isZero();

        // keywords are case-insensitive: adding $work to a message with $Work changes nothing
        FlagResult same = mb().store(inbox, List.of(3L), FlagMode.ADD, Set.of("$work"), -1);
        assertThat(same.updated()).isEmpty();
        assertThat(same.highestModSeq()).isEqualTo(2);
        assertThat(message(inbox, 3).flags()).containsExactlyInAnyOrder("$Work", "\\Seen");

        FlagResult remove = mb().store(inbox, List.of(3L), FlagMode.REMOVE, Set.of("$WORK", "\\SEEN"), -1);
        assertThat(remove.updated()).singleElement().satisfies(m -> {
            assertThat(m.flags()).isEmpty();
            assertThat(m.modSeq()).isEqualTo(3);
        });
        FlagResult replace = mb().store(inbox, List.of(1L, 2L), FlagMode.REPLACE, Set.of("\\Flagged", "\\Answered", "\\Recent"), -1);
        assertThat(replace.updated()).extracting(MessageInfo::uid).containsExactly(1L, 2L);
        assertThat(message(inbox, 1).flags()).containsExactlyInAnyOrder("\\Flagged", "\\Answered");
        assertThat(message(inbox, 2).modSeq()).isEqualTo(4);
        assertThat(box(alice, "INBOX").highestModSeq()).isEqualTo(4);

        // RFC 7162 §3.1.3 UNCHANGEDSINCE: message 3 (MODSEQ 3) passes at 3; 1 and 2 (MODSEQ 4) do not
        FlagResult cond = mb().store(inbox, List.of(1L, 2L, 3L), FlagMode.ADD, Set.of("\\Deleted"), 3);
        assertThat(cond.modified()).containsExactly(1L, 2L);
        assertThat(cond.updated()).extracting(MessageInfo::uid).containsExactly(3L);
        assertThat(cond.highestModSeq()).isEqualTo(5);
        assertThat(message(inbox, 1).flags()).doesNotContain("\\Deleted");
        // UNCHANGEDSINCE 0 fails for every message
        FlagResult zero = mb().store(inbox, List.of(1L, 2L, 3L), FlagMode.ADD, Set.of("$x"), 0);
        assertThat(zero.modified()).containsExactly(1L, 2L, 3L);
        assertThat(zero.updated()).isEmpty();
        assertThat(zero.highestModSeq()).isEqualTo(5);
        assertThat(box(alice, "INBOX").deleted()).isEqualTo(1);

        assertThat(mb().store(123_456, List.of(1L), FlagMode.ADD, Set.of("\\Seen"), -1).updated()).isEmpty();
        assertThatThrownBy(() -> mb().store(inbox, List.of(1L), FlagMode.ADD, Set.of("bad(flag"), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void storeManyUids() throws Exception {
        long inbox = box(alice, "INBOX").id();
        List<NewMessage> many = new ArrayList<>();
        for (int i = 0; i < 600; i++) many.add(msg("m" + i));
        mb().append(inbox, many);
        List<Long> uids = new ArrayList<>();
        for (long u = 1; u <= 700; u++) uids.add(u);
        Collections.shuffle(uids);
        FlagResult r = mb().store(inbox, uids, FlagMode.ADD, Set.of("\\Seen"), -1);
        assertThat(r.updated()).hasSize(600);
        assertThat(r.updated()).extracting(MessageInfo::uid).isSorted();
        assertThat(box(alice, "INBOX").unseen()).isZero();
    }

    @Test
    void concurrentAppendsGetDistinctUids() throws Exception {
        long inbox = box(alice, "INBOX").id();
        int n = 20;
        List<NewMessage> msgs = new ArrayList<>();
        for (int i = 0; i < n; i++) msgs.add(msg("concurrent " + i));
        List<Long> uids = Collections.synchronizedList(new ArrayList<>());
        try (var exec = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
            for (NewMessage m : msgs) fs.add(exec.submit(() -> uids.addAll(append(inbox, m))));
            for (var f : fs) f.get();
        }
        assertThat(uids).hasSize(n).doesNotHaveDuplicates().allSatisfy(u -> assertThat(u).isBetween(1L, (long) n));
        MailboxInfo after = box(alice, "INBOX");
        assertThat(after.uidNext()).isEqualTo(n + 1);
        assertThat(after.highestModSeq()).isEqualTo(n);
        assertThat(mb().messages(inbox)).extracting(MessageInfo::modSeq).doesNotHaveDuplicates();
    }

    // ---------------------------------------------------------------- expunge and changes

    @Test
    void expungeAndChanges() throws Exception {
        long inbox = box(alice, "INBOX").id();
        append(inbox, msg("one"), msg("two"), msg("three"), msg("four"));
        long base = box(alice, "INBOX").highestModSeq();
        assertThat(mb().changes(inbox, base).orElseThrow().changed()).isEmpty();
        mb().store(inbox, List.of(1L, 2L, 3L), FlagMode.ADD, Set.of("\\Deleted"), -1);
        long flagged = box(alice, "INBOX").highestModSeq();

        ExpungeResult none = mb().expunge(inbox, List.of(4L)); // not \Deleted
        assertThat(none.uids()).isEmpty();
        assertThat(none.highestModSeq()).isEqualTo(flagged);

        // RFC 4315 UID EXPUNGE: only the given ones
        ExpungeResult some = mb().expunge(inbox, List.of(2L, 4L));
        assertThat(some.uids()).containsExactly(2L);
        assertThat(some.highestModSeq()).isEqualTo(flagged + 1);
        ExpungeResult rest = mb().expunge(inbox, null);
        assertThat(rest.uids()).containsExactly(1L, 3L);
        assertThat(rest.highestModSeq()).isEqualTo(flagged + 2);
        assertThat(mb().messages(inbox)).extracting(MessageInfo::uid).containsExactly(4L);
        assertThat(usedBytes(alice)).isEqualTo(4);

        Changes all = mb().changes(inbox, base).orElseThrow();
        assertThat(all.expungedUids()).containsExactly(1L, 2L, 3L);
        assertThat(all.changed()).isEmpty(); // 4 did not change after base
        assertThat(all.mailbox().highestModSeq()).isEqualTo(flagged + 2);
        Changes later = mb().changes(inbox, flagged + 1).orElseThrow();
        assertThat(later.expungedUids()).containsExactly(1L, 3L);
        Changes fromZero = mb().changes(inbox, 0).orElseThrow();
        assertThat(fromZero.changed()).extracting(MessageInfo::uid).containsExactly(4L);
        mb().store(inbox, List.of(4L), FlagMode.ADD, Set.of("\\Answered"), -1);
        Changes flags = mb().changes(inbox, flagged + 2).orElseThrow();
        assertThat(flags.changed()).singleElement().satisfies(m -> assertThat(m.flags()).containsExactly("\\Answered"));
        assertThat(flags.expungedUids()).isEmpty();
        assertThat(mb().changes(123_456, 0)).isEmpty();
        assertThat(mb().expunge(123_456, null).uids()).isEmpty();
        assertThat(mb().expunge(inbox, null).uids()).isEmpty();
    }

    // ---------------------------------------------------------------- copy and move

    @Test
    void copyKeepsEmailIdAndFlags() throws Exception {
        long inbox = box(alice, "INBOX").id();
        MailboxInfo archive = box(alice, "Archive");
        append(archive.id(), msg("already here"));
        append(inbox, msg("a", "\\Seen", "$K"), msg("bb"), msg("ccc"));
        List<MessageInfo> src = mb().messages(inbox);
        clock.advance(Duration.ofHours(1));

        CopyResult r = mb().copy(inbox, List.of(3L, 1L, 42L), archive.id(), false);
        // RFC 4315 COPYUID: pairs ascending by source UID
        assertThat(r).isEqualTo(new CopyResult.Copied(archive.uidValidity(), List.of(1L, 3L), List.of(2L, 3L)));
        List<MessageInfo> copies = mb().messages(archive.id());
        MessageInfo c1 = copies.get(1), c3 = copies.get(2);
        assertThat(c1.uid()).isEqualTo(2);
        assertThat(c1.emailId()).isEqualTo(src.get(0).emailId()); // RFC 8474 §5.1
        assertThat(c1.threadId()).isEqualTo(src.get(0).threadId());
        assertThat(c1.flags()).containsExactlyInAnyOrder("\\Seen", "$K");
        assertThat(c1.internalDate()).isEqualTo(src.get(0).internalDate());
        assertThat(c1.saveDate()).isEqualTo(clock.instant()); // RFC 8514
        assertThat(c1.blobId()).isEqualTo(src.get(0).blobId());
        assertThat(c1.id()).isNotEqualTo(src.get(0).id());
        assertThat(c3.emailId()).isEqualTo(src.get(2).emailId());
        assertThat(mb().messages(inbox)).hasSize(3); // a copy leaves the source alone
        assertThat(box(alice, "INBOX").highestModSeq()).isEqualTo(1);
        assertThat(usedBytes(alice)).isEqualTo(12 + 6 + 4);
        assertThat(box(alice, "Archive").highestModSeq()).isEqualTo(2);

        assertThat(mb().copy(inbox, List.of(77L), archive.id(), false))
                .isEqualTo(new CopyResult.Copied(archive.uidValidity(), List.of(), List.of()));
        assertThat(mb().copy(inbox, List.of(1L), 123_456, false)).isInstanceOf(CopyResult.NoMailbox.class);
        assertThat(mb().copy(123_456, List.of(1L), inbox, false)).isInstanceOf(CopyResult.NoMailbox.class);
    }

    @Test
    void moveIsCopyPlusExpunge() throws Exception {
        long inbox = box(alice, "INBOX").id();
        MailboxInfo trash = box(alice, "Trash");
        append(inbox, msg("a"), msg("bb"), msg("ccc"));
        List<MessageInfo> src = mb().messages(inbox);
        long before = box(alice, "INBOX").highestModSeq();
        store.directory().setQuota("alice@example.org", 6); // full: a move within the account still works

        CopyResult r = mb().copy(inbox, List.of(2L, 3L), trash.id(), true);
        assertThat(r).isEqualTo(new CopyResult.Copied(trash.uidValidity(), List.of(2L, 3L), List.of(1L, 2L)));
        assertThat(mb().messages(inbox)).extracting(MessageInfo::uid).containsExactly(1L);
        assertThat(mb().messages(trash.id())).extracting(MessageInfo::emailId)
                .containsExactly(src.get(1).emailId(), src.get(2).emailId());
        assertThat(mb().changes(inbox, before).orElseThrow().expungedUids()).containsExactly(2L, 3L); // RFC 6851 + RFC 7162
        assertThat(usedBytes(alice)).isEqualTo(6);
        // a copy would exceed the quota
        assertThat(mb().copy(inbox, List.of(1L), trash.id(), false)).isInstanceOf(CopyResult.OverQuota.class);
        assertThat(mb().messages(trash.id())).hasSize(2);
    }

    @Test
    void copyAndMoveAcrossAccounts() throws Exception {
        long aliceInbox = box(alice, "INBOX").id();
        long bobInbox = box(bob, "INBOX").id();
        append(aliceInbox, msg("x".repeat(40)), msg("y".repeat(30)));
        store.directory().setQuota("bob@example.org", 50);
        // the target account's quota counts
        assertThat(mb().copy(aliceInbox, List.of(1L, 2L), bobInbox, false)).isInstanceOf(CopyResult.OverQuota.class);
        assertThat(mb().copy(aliceInbox, List.of(1L, 2L), bobInbox, true)).isInstanceOf(CopyResult.OverQuota.class);
        assertThat(mb().messages(bobInbox)).isEmpty();
        assertThat(mb().copy(aliceInbox, List.of(1L), bobInbox, false)).isInstanceOf(CopyResult.Copied.class);
        assertThat(usedBytes(bob)).isEqualTo(40);
        assertThat(usedBytes(alice)).isEqualTo(70);
        store.directory().setQuota("bob@example.org", 0);
        CopyResult moved = mb().copy(aliceInbox, List.of(2L), bobInbox, true);
        assertThat(((CopyResult.Copied) moved).targetUids()).containsExactly(2L);
        assertThat(usedBytes(bob)).isEqualTo(70);
        assertThat(usedBytes(alice)).isEqualTo(40);
        assertThat(mb().messages(aliceInbox)).extracting(MessageInfo::uid).containsExactly(1L);
    }

    // ---------------------------------------------------------------- THREADID

    @Test
    void threadIdsFollowReferences() throws Exception {
        long inbox = box(alice, "INBOX").id();
        long sent = box(alice, "Sent").id();
        append(inbox, msg("root", new MessageSummary(null, "Q", null, "<root@example.org>", null)));
        append(sent, msg("reply", new MessageSummary(null, "Re: Q", null, "<r1@example.org>", "<root@example.org>")));
        append(inbox, msg("reply2", new MessageSummary(null, "Re: Re: Q", null, "<r2@example.org>",
                "<unknown@elsewhere> <root@example.org> <r1@example.org>")));
        append(inbox, msg("other", new MessageSummary(null, "Other", null, "<o@example.org>", "<nothing@example.org>")));
        List<MessageInfo> in = mb().messages(inbox);
        String thread = in.get(0).threadId();
        assertThat(mb().messages(sent).getFirst().threadId()).isEqualTo(thread);
        assertThat(in.get(1).threadId()).isEqualTo(thread);
        assertThat(in.get(2).threadId()).isNotEqualTo(thread).matches(OBJECT_ID);
        // another account's messages never join the thread
        append(box(bob, "INBOX").id(), msg("bob reply", new MessageSummary(null, "Re: Q", null, "<b@example.org>", "<root@example.org>")));
        assertThat(mb().messages(box(bob, "INBOX").id()).getFirst().threadId()).isNotEqualTo(thread);

        // delivery takes the same rule
        long q = store.spool().enqueue(new Envelope("x@remote.test", List.of(new Recipient("alice@example.org", null, null)),
                null, null, null, "s", false, false, null, null, null, T0), blob("delivered reply"));
        long rcpt = store.spool().get(q).orElseThrow().recipients().getFirst().id();
        store.spool().complete(q, List.of(new ToMailboxes(rcpt, List.of(alice.id()))),
                new MessageSummary(null, "Re: Q", null, "<r3@example.org>", "<r2@example.org>"));
        MessageInfo delivered = mb().messages(inbox).getLast();
        assertThat(delivered.threadId()).isEqualTo(thread);
        assertThat(delivered.emailId()).matches(OBJECT_ID);
        assertThat(delivered.saveDate()).isEqualTo(T0);
        assertThat(mb().summary(delivered.id()).orElseThrow().references()).isEqualTo("<r2@example.org>");
    }

    // ---------------------------------------------------------------- listeners

    @Test
    void listenersRunAfterCommit() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Thread> on = new AtomicReference<>();
        long inbox = box(alice, "INBOX").id();
        AutoCloseable reg = mb().onChange((account, mailbox) -> {
            on.set(Thread.currentThread());
            // committed: another connection sees the change already
            int n = mailbox == 0 ? store.mailboxes().list(account).size() : store.mailboxes().messages(mailbox).size();
            events.add(account + ":" + mailbox + ":" + n);
        });
        append(inbox, msg("one"));
        assertThat(events).containsExactly(alice.id() + ":" + inbox + ":1");
        assertThat(on.get()).isSameAs(Thread.currentThread());
        events.clear();

        mb().create(alice.id(), "New", null);
        assertThat(events).containsExactly(alice.id() + ":0:7");
        events.clear();
        mb().store(inbox, List.of(1L), FlagMode.ADD, Set.of("\\Deleted"), -1);
        mb().store(inbox, List.of(1L), FlagMode.ADD, Set.of("\\Deleted"), -1); // no change, no event
        mb().expunge(inbox, null);
        assertThat(events).containsExactly(alice.id() + ":" + inbox + ":1", alice.id() + ":" + inbox + ":0");
        events.clear();

        append(inbox, msg("two"));
        long newBox = box(alice, "New").id();
        events.clear();
        mb().copy(inbox, List.of(2L), newBox, true);
        assertThat(events).containsExactlyInAnyOrder(alice.id() + ":" + inbox + ":0", alice.id() + ":" + newBox + ":1");
        events.clear();

        // delivery fires for each mailbox it stored into
        long q = store.spool().enqueue(new Envelope("x@remote.test", List.of(new Recipient("alice@example.org", null, null),
                new Recipient("bob@example.org", null, null)), null, null, null, "s", false, false, null, null, null, T0), blob("hi"));
        var rs = store.spool().get(q).orElseThrow().recipients();
        store.spool().complete(q, List.of(new ToMailboxes(rs.get(0).id(), List.of(alice.id())),
                new ToMailboxes(rs.get(1).id(), List.of(bob.id()))));
        assertThat(events).containsExactly(alice.id() + ":" + inbox + ":1", bob.id() + ":" + box(bob, "INBOX").id() + ":1");
        events.clear();

        mb().subscribe(alice.id(), "New", true);
        mb().delete(alice.id(), "New");
        assertThat(events).contains(alice.id() + ":0:6", alice.id() + ":" + newBox + ":0");
        events.clear();

        // a failing listener does not break the write or the other listeners
        AutoCloseable bad = mb().onChange((a, m) -> { throw new IllegalStateException("boom"); });
        append(inbox, msg("three"));
        assertThat(events).hasSize(1);
        bad.close();
        reg.close();
        events.clear();
        append(inbox, msg("four"));
        assertThat(events).isEmpty();
        // a refused write fires nothing
        assertThat(mb().create(alice.id(), "INBOX", null)).isInstanceOf(MailboxResult.AlreadyExists.class);
    }

    // ---------------------------------------------------------------- ACL and METADATA

    @Test
    void aclAndSharedMailboxes() {
        MailboxInfo team = ((MailboxResult.Done) mb().create(alice.id(), "Team", null)).mailbox();
        MailboxInfo pub = ((MailboxResult.Done) mb().create(alice.id(), "Public", null)).mailbox();
        MailboxInfo bobs = box(bob, "Archive");
        assertThat(mb().acl(team.id())).isEmpty();
        mb().setRights(team.id(), "bob@example.org", "lrs");
        mb().setRights(team.id(), "carol@example.org", "lr");
        mb().setRights(team.id(), "bob@example.org", "lrsw"); // replaces
        mb().setRights(pub.id(), "anyone", "lr");
        mb().setRights(bobs.id(), "alice@example.org", "lrswi");
        assertThat(mb().acl(team.id())).containsExactly(Map.entry("bob@example.org", "lrsw"), Map.entry("carol@example.org", "lr"));

        List<SharedMailbox> forBob = mb().sharedWith("bob@example.org");
        assertThat(forBob).extracting(s -> s.mailbox().name(), SharedMailbox::owner, SharedMailbox::rights)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Public", "alice@example.org", "lr"),
                        org.assertj.core.groups.Tuple.tuple("Team", "alice@example.org", "lrsw"));
        // "anyone" includes everybody but the owner's own mailboxes are not "shared with" the owner
        assertThat(mb().sharedWith("alice@example.org")).extracting(s -> s.mailbox().name()).containsExactly("Archive");
        assertThat(mb().sharedWith("dave@example.org")).extracting(s -> s.mailbox().name()).containsExactly("Public");
        // RFC 4314 §2 negative rights
        mb().setRights(pub.id(), "-dave@example.org", "r");
        assertThat(mb().sharedWith("dave@example.org")).singleElement().satisfies(s -> assertThat(s.rights()).isEqualTo("l"));

        mb().setRights(team.id(), "carol@example.org", "");
        mb().setRights(team.id(), "nobody@example.org", null);
        assertThat(mb().acl(team.id())).containsOnlyKeys("bob@example.org");
        mb().setRights(123_456, "bob@example.org", "lr"); // no such mailbox: nothing stored
        assertThat(mb().acl(123_456)).isEmpty();
    }

    @Test
    void metadataEntries() {
        long inbox = box(alice, "INBOX").id();
        assertThat(mb().metadata(alice.id(), null, "")).isEmpty();
        mb().setMetadata(alice.id(), null, "/private/comment", "account note");
        mb().setMetadata(alice.id(), null, "/shared/admin", "mailto:admin@example.org");
        mb().setMetadata(alice.id(), inbox, "/private/comment", "inbox note");
        mb().setMetadata(alice.id(), inbox, "/private/vendor/x/a", "1");
        mb().setMetadata(alice.id(), inbox, "/Private/Vendor/X/B", "2"); // entry names are case-insensitive
        mb().setMetadata(alice.id(), inbox, "/private/comment", "changed");
        assertThat(mb().metadata(alice.id(), null, "")).containsExactly(
                Map.entry("/private/comment", "account note"), Map.entry("/shared/admin", "mailto:admin@example.org"));
        assertThat(mb().metadata(alice.id(), inbox, "")).containsExactly(Map.entry("/private/comment", "changed"),
                Map.entry("/private/vendor/x/a", "1"), Map.entry("/private/vendor/x/b", "2"));
        assertThat(mb().metadata(alice.id(), inbox, "/private/vendor")).containsOnlyKeys("/private/vendor/x/a", "/private/vendor/x/b");
        assertThat(mb().metadata(alice.id(), inbox, "/PRIVATE/COMMENT")).containsOnlyKeys("/private/comment");
        assertThat(mb().metadata(bob.id(), null, "")).isEmpty();
        mb().setMetadata(alice.id(), inbox, "/private/comment", null);
        assertThat(mb().metadata(alice.id(), inbox, "/private/comment")).isEmpty();
        assertThat(mb().metadata(alice.id(), null, "/private/comment")).containsEntry("/private/comment", "account note");
        mb().setMetadata(alice.id(), box(bob, "INBOX").id(), "/private/comment", "not alice's mailbox");
        assertThat(mb().metadata(alice.id(), box(bob, "INBOX").id(), "")).isEmpty();
    }

    @Test
    void stateSurvivesReopen() throws Exception {
        long inbox = box(alice, "INBOX").id();
        append(inbox, msg("one", "\\Seen"), msg("two"));
        mb().store(inbox, List.of(2L), FlagMode.ADD, Set.of("\\Deleted"), -1);
        mb().expunge(inbox, null);
        mb().subscribe(alice.id(), "Ghost", true);
        List<MessageInfo> before = mb().messages(inbox);
        MailboxInfo info = box(alice, "INBOX");
        store.close();
        store = open();
        assertThat(mb().messages(inbox)).isEqualTo(before);
        assertThat(box(alice, "INBOX")).isEqualTo(info);
        assertThat(mb().changes(inbox, 0).orElseThrow().expungedUids()).containsExactly(2L);
        assertThat(mb().subscriptions(alice.id())).contains("Ghost");
    }
}
