package dev.sealpost.store;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.core.sasl.CredentialLookup;
import dev.sealpost.store.Directory.Account;
import dev.sealpost.store.Directory.Alias;
import dev.sealpost.store.Directory.Resolution;
import dev.sealpost.store.Mailboxes.MailboxInfo;
import dev.sealpost.store.Mailboxes.MessageInfo;
import dev.sealpost.store.Spool.Envelope;
import dev.sealpost.store.Spool.Failed;
import dev.sealpost.store.Spool.QueuedMessage;
import dev.sealpost.store.Spool.QueuedRecipient;
import dev.sealpost.store.Spool.Recipient;
import dev.sealpost.store.Spool.RecipientState;
import dev.sealpost.store.Spool.Remote;
import dev.sealpost.store.Spool.ToMailboxes;
import dev.sealpost.store.internal.JdbcStore;
import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every store backend must show. Subclasses provide a fresh database per test
 * ({@link #freshConfig}); {@link #reopen()} reuses it.
 */
abstract class StoreContract {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dataDir;
    MutableClock clock;
    StoreConfig cfg;
    Store store;

    /** A config for a new, empty database whose blobs live in {@code dataDir}. */
    protected abstract StoreConfig freshConfig(Path dataDir, MutableClock clock) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        clock = new MutableClock(T0);
        cfg = freshConfig(dataDir, clock);
        store = open();
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    private Store open() {
        // cheap hashing keeps the suite fast; the production costs are tested in productionHashing
        return JdbcStore.open(cfg, pw -> PasswordHasher.hash(pw, 1000, 4096));
    }

    void reopen() {
        store.close();
        store = open();
    }

    Directory dir() {
        return store.directory();
    }

    static EmailAddress addr(String s) {
        return EmailAddress.parse(s).orElseThrow(() -> new IllegalArgumentException(s));
    }

    // ---------------------------------------------------------------- domains

    @Test
    void domainsAddListRemove() {
        dir().addDomain("Example.ORG");
        dir().addDomain("bücher.example");
        assertThat(dir().domains()).containsExactly("example.org", "xn--bcher-kva.example");
        assertThat(dir().isLocalDomain("EXAMPLE.org")).isTrue();
        assertThat(dir().isLocalDomain("example.org.")).isTrue();
        assertThat(dir().isLocalDomain("example.com")).isFalse();
        assertThatThrownBy(() -> dir().addDomain("example.org")).isInstanceOf(DirectoryException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> dir().addDomain("bad domain")).isInstanceOf(DirectoryException.class).hasMessageContaining("invalid domain");
        assertThat(dir().removeDomain("xn--bcher-kva.example")).isTrue();
        assertThat(dir().removeDomain("nothere.example")).isFalse();
        assertThat(dir().domains()).containsExactly("example.org");
    }

    @Test
    void domainWithAccountsCannotBeRemoved() {
        dir().addDomain("example.org");
        dir().addAccount("alice@example.org", "pw".toCharArray());
        dir().addAlias("@example.org", "alice@example.org");
        assertThatThrownBy(() -> dir().removeDomain("example.org"))
                .isInstanceOf(DirectoryException.class).hasMessageContaining("still has 1 account");
        assertThat(dir().removeAccount("ALICE@example.org")).isTrue();
        assertThat(dir().removeAccount("alice@example.org")).isFalse();
        assertThat(dir().removeDomain("example.org")).isTrue();
        assertThat(dir().aliases()).isEmpty(); // its aliases went with it
    }

    // ---------------------------------------------------------------- accounts

    @Test
    void accountCreatesSpecialUseMailboxes() {
        dir().addDomain("example.org");
        Account a = dir().addAccount("Alice@Example.org", "secret".toCharArray());
        assertThat(a.address()).isEqualTo("alice@example.org");
        assertThat(a.quotaBytes()).isZero();
        List<MailboxInfo> boxes = store.mailboxes().list(a.id());
        assertThat(boxes).extracting(MailboxInfo::name).containsExactly("INBOX", "Archive", "Drafts", "Junk", "Sent", "Trash");
        Map<String, String> special = new java.util.HashMap<>();
        boxes.forEach(b -> special.put(b.name(), b.specialUse()));
        // RFC 6154 §2
        assertThat(special).containsEntry("INBOX", null).containsEntry("Sent", "\\Sent").containsEntry("Drafts", "\\Drafts")
                .containsEntry("Junk", "\\Junk").containsEntry("Trash", "\\Trash").containsEntry("Archive", "\\Archive");
        for (MailboxInfo b : boxes) {
            assertThat(b.uidNext()).isEqualTo(1);
            assertThat(b.highestModSeq()).isZero();
            assertThat(b.messages()).isZero();
            assertThat(b.uidValidity()).isGreaterThanOrEqualTo(T0.getEpochSecond()).isLessThan(1L << 32);
        }
        assertThat(boxes.getFirst().uidValidity()).isEqualTo(T0.getEpochSecond());
        assertThat(boxes.stream().map(MailboxInfo::uidValidity).distinct().count()).isEqualTo(6);
    }

    @Test
    void accountErrors() {
        dir().addDomain("example.org");
        dir().addAccount("alice@example.org", "pw".toCharArray());
        assertThatThrownBy(() -> dir().addAccount("ALICE@example.org", "pw".toCharArray()))
                .isInstanceOf(DirectoryException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> dir().addAccount("bob@example.com", "pw".toCharArray()))
                .isInstanceOf(DirectoryException.class).hasMessageContaining("not a local domain");
        assertThatThrownBy(() -> dir().addAccount("no-at-sign", "pw".toCharArray()))
                .isInstanceOf(DirectoryException.class).hasMessageContaining("invalid");
        assertThatThrownBy(() -> dir().setQuota("nobody@example.org", 5)).isInstanceOf(DirectoryException.class);
        assertThatThrownBy(() -> dir().setPassword("nobody@example.org", "x".toCharArray())).isInstanceOf(DirectoryException.class);
        assertThat(dir().accounts()).extracting(Account::address).containsExactly("alice@example.org");
        assertThat(dir().account("Alice@EXAMPLE.org")).isPresent();
        assertThat(dir().account("nobody@example.org")).isEmpty();
        assertThat(dir().account("garbage")).isEmpty();
    }

    @Test
    void credentialsAndPasswords() {
        dir().addDomain("example.org");
        dir().addAccount("alice@example.org", "old-pw".toCharArray());
        CredentialLookup.Account c = dir().credentials().lookup("Alice@Example.org").orElseThrow();
        assertThat(c.name()).isEqualTo("alice@example.org");
        assertThat(PasswordHasher.verify(c.credentials().passwordHash(), "old-pw".toCharArray())).isTrue();
        assertThat(c.credentials().scramIterations()).isEqualTo(4096);
        assertThat(c.credentials().scramSalt()).hasSize(16);
        assertThat(c.credentials().scramStoredKey()).hasSize(32);
        assertThat(c.credentials().scramServerKey()).hasSize(32);
        assertThat(dir().credentials().lookup("bob@example.org")).isEmpty();
        assertThat(dir().authenticate("alice@example.org", "old-pw".toCharArray())).isPresent();

        dir().setPassword("alice@example.org", "new-pw".toCharArray());
        assertThat(dir().authenticate("alice@example.org", "old-pw".toCharArray())).isEmpty();
        assertThat(dir().authenticate("ALICE@example.org", "new-pw".toCharArray())).map(Account::address).contains("alice@example.org");
        assertThat(dir().authenticate("bob@example.org", "new-pw".toCharArray())).isEmpty();
        assertThat(dir().credentials().lookup("alice@example.org").orElseThrow().credentials().scramSalt())
                .isNotEqualTo(c.credentials().scramSalt());
    }

    // ---------------------------------------------------------------- aliases

    void aliasFixture() {
        dir().addDomain("example.org");
        dir().addDomain("example.net");
        dir().addAccount("alice@example.org", "pw".toCharArray());
        dir().addAccount("bob@example.org", "pw".toCharArray());
        dir().addAccount("carol@example.net", "pw".toCharArray());
        dir().addAlias("sales@example.org", "alice@example.org");
        dir().addAlias("sales@example.org", "bob@example.org");
        dir().addAlias("team@example.org", "sales@example.org");
        dir().addAlias("team@example.org", "Carol@example.net");
        dir().addAlias("team@example.org", "ext@remote.test");
        dir().addAlias("team@example.org", "alice@example.org"); // duplicate via sales
        dir().addAlias("loop1@example.org", "loop2@example.org");
        dir().addAlias("loop2@example.org", "loop1@example.org");
        dir().addAlias("loop2@example.org", "alice@example.org");
        dir().addAlias("fwd@example.org", "Partner@Remote.TEST");
        dir().addAlias("bob@example.org", "bob@remote.test"); // an account with a copy elsewhere
        dir().addAlias("alice+vip@example.org", "bob@example.org");
        dir().addAlias("ghost@example.org", "missing@example.org");
        dir().addAlias("@example.net", "carol@example.net");
        dir().addAlias("viaplus@example.org", "alice+lists@example.org");
        dir().addAlias("tonet@example.org", "someone@example.net"); // unknown in example.net: catch-all
        for (int i = 0; i < 12; i++) dir().addAlias("d" + i + "@example.org", "d" + (i + 1) + "@example.org");
        dir().addAlias("d12@example.org", "alice@example.org");
        dir().addAlias("d3@example.org", "bob@example.org");
    }

    @ParameterizedTest(name = "{0} -> accounts [{1}] remote [{2}]")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            alice@example.org          | alice@example.org                   | -
            ALICE@Example.ORG          | alice@example.org                   | -
            bob@example.org            | bob@example.org                     | bob@remote.test
            sales@example.org          | alice@example.org bob@example.org   | bob@remote.test
            team@example.org           | alice@example.org bob@example.org carol@example.net | bob@remote.test ext@remote.test
            loop1@example.org          | alice@example.org                   | -
            loop2@example.org          | alice@example.org                   | -
            fwd@example.org            | -                                   | Partner@remote.test
            alice+news@example.org     | alice@example.org                   | -
            alice+vip@example.org      | bob@example.org                     | bob@remote.test
            sales+urgent@example.org   | alice@example.org bob@example.org   | bob@remote.test
            viaplus@example.org        | alice@example.org                   | -
            nobody@example.org         | -                                   | -
            ghost@example.org          | -                                   | -
            nobody@example.net         | carol@example.net                   | -
            carol+x@example.net        | carol@example.net                   | -
            tonet@example.org          | carol@example.net                   | -
            someone@remote.test        | -                                   | -
            d0@example.org             | bob@example.org                     | bob@remote.test
            d2@example.org             | bob@example.org                     | bob@remote.test
            d3@example.org             | alice@example.org bob@example.org   | bob@remote.test
            """)
    void resolution(String rcpt, String accounts, String remote) {
        aliasFixture();
        Resolution r = dir().resolve(addr(rcpt));
        assertThat(r.accounts()).extracting(Account::address)
                .containsExactlyInAnyOrderElementsOf(accounts == null ? List.of() : Arrays.asList(accounts.split(" ")));
        assertThat(r.remoteAddresses())
                .containsExactlyInAnyOrderElementsOf(remote == null ? List.of() : Arrays.asList(remote.split(" ")));
    }

    @Test
    void aliasListAndErrors() {
        dir().addDomain("example.org");
        dir().addAlias("Info@Example.org", "Someone@Elsewhere.TEST");
        dir().addAlias("@example.org", "info@example.org");
        assertThat(dir().aliases()).containsExactly(new Alias("@example.org", "info@example.org"),
                new Alias("info@example.org", "Someone@elsewhere.test"));
        assertThatThrownBy(() -> dir().addAlias("info@example.org", "someone@elsewhere.test"))
                .isInstanceOf(DirectoryException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> dir().addAlias("x@example.com", "a@b.test"))
                .isInstanceOf(DirectoryException.class).hasMessageContaining("not in a local domain");
        assertThatThrownBy(() -> dir().addAlias("@example.com", "a@b.test")).isInstanceOf(DirectoryException.class);
        assertThatThrownBy(() -> dir().addAlias("x@example.org", "not an address")).isInstanceOf(DirectoryException.class);
        assertThatThrownBy(() -> dir().addAlias("x@example.org", "X@example.org")).isInstanceOf(DirectoryException.class);
        assertThat(dir().removeAlias("INFO@example.org", "someone@ELSEWHERE.test")).isTrue();
        assertThat(dir().removeAlias("info@example.org", "someone@elsewhere.test")).isFalse();
        assertThat(dir().aliases()).containsExactly(new Alias("@example.org", "info@example.org"));
    }

    @ParameterizedTest(name = "{0} as {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            alice@example.org | alice@example.org      | true
            alice@example.org | ALICE@example.org      | true
            alice@example.org | alice+tag@example.org  | true
            alice@example.org | sales@example.org      | true
            alice@example.org | sales+x@example.org    | true
            alice@example.org | team@example.org       | true
            alice@example.org | loop1@example.org      | true
            alice@example.org | bob@example.org        | false
            alice@example.org | alice@example.net      | false
            bob@example.org   | alice+vip@example.org  | true
            carol@example.net | carol@example.net      | true
            carol@example.net | anything@example.net   | false
            carol@example.net | sales@example.org      | false
            carol@example.net | team@example.org       | true
            ghost@example.org | ghost@example.org      | false
            """)
    void maySendAs(String account, String from, boolean expected) {
        aliasFixture();
        assertThat(dir().maySendAs(account, addr(from))).isEqualTo(expected);
    }

    // ---------------------------------------------------------------- spool

    BlobRef blob(String text) throws Exception {
        return store.blobs().put(text.getBytes(StandardCharsets.UTF_8));
    }

    Envelope envelope(String... rcpts) {
        List<Recipient> rs = new ArrayList<>();
        for (String r : rcpts) rs.add(new Recipient(r, r.startsWith("n") ? "SUCCESS,FAILURE" : null, r.startsWith("n") ? "rfc822;" + r : null));
        return new Envelope("sender@remote.test", rs, "192.0.2.1", "mx.remote.test", null, "S1", true, true, "8BITMIME",
                "HDRS", "env-1", T0.minusSeconds(5));
    }

    @Test
    void enqueuePendingComplete() throws Exception {
        aliasFixture();
        Account alice = dir().account("alice@example.org").orElseThrow();
        BlobRef b = blob("Subject: hi\r\n\r\nhello\r\n");
        long id = store.spool().enqueue(envelope("alice@example.org", "nobody@example.org", "fwd@example.org"), b);

        List<QueuedMessage> pending = store.spool().pendingLocal(10);
        assertThat(pending).hasSize(1);
        QueuedMessage m = pending.getFirst();
        assertThat(m.id()).isEqualTo(id);
        assertThat(m.blob()).isEqualTo(b);
        Envelope e = m.envelope();
        assertThat(e).isEqualTo(envelope("alice@example.org", "nobody@example.org", "fwd@example.org"));
        assertThat(m.recipients()).extracting(QueuedRecipient::state).containsOnly(RecipientState.PENDING);
        assertThat(m.recipients().get(1).dsnNotify()).isEqualTo("SUCCESS,FAILURE");
        assertThat(m.recipients().get(1).orcpt()).isEqualTo("rfc822;nobody@example.org");

        long r1 = m.recipients().get(0).id(), r2 = m.recipients().get(1).id(), r3 = m.recipients().get(2).id();
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger remote = new AtomicInteger();
        store.spool().onDelivered(delivered::incrementAndGet);
        store.spool().onRemoteQueued(remote::incrementAndGet);
        store.spool().complete(id, List.of(new ToMailboxes(r1, List.of(alice.id())), new Failed(r2, "550 5.1.1 no such user"),
                new Remote(r3, List.of("Partner@remote.test"))));
        assertThat(delivered).hasValue(1);
        assertThat(remote).as("the outbound queue is woken for the remote recipient").hasValue(1);

        assertThat(store.spool().pendingLocal(10)).isEmpty();
        QueuedMessage after = store.spool().get(id).orElseThrow();
        assertThat(after.recipients()).extracting(QueuedRecipient::state)
                .containsExactly(RecipientState.DELIVERED, RecipientState.FAILED, RecipientState.REMOTE);
        assertThat(store.spool().list(10)).extracting(QueuedMessage::id).containsExactly(id); // kept for outbound/DSN

        List<MessageInfo> inbox = store.mailboxes().messages(alice.id(), "inbox");
        assertThat(inbox).hasSize(1);
        MessageInfo mi = inbox.getFirst();
        assertThat(mi.uid()).isEqualTo(1);
        assertThat(mi.modSeq()).isEqualTo(1);
        assertThat(mi.blobId()).isEqualTo(b.id());
        assertThat(mi.size()).isEqualTo(b.size());
        assertThat(mi.flags()).isEmpty();
        assertThat(mi.internalDate()).isEqualTo(T0);
        assertThat(store.blobs().open(mi.blobId()).readAllBytes()).asString(StandardCharsets.UTF_8).contains("hello");
        assertThat(store.spool().get(id + 1000)).isEmpty();
    }

    @Test
    void enqueueValidation() throws Exception {
        BlobRef b = blob("x");
        assertThatThrownBy(() -> store.spool().enqueue(envelope(), b)).isInstanceOf(IllegalArgumentException.class);
        BlobRef missing = new BlobRef("0".repeat(64), 3);
        assertThatThrownBy(() -> store.spool().enqueue(envelope("a@example.org"), missing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not stored");
        assertThat(store.spool().list(10)).isEmpty();
    }

    @Test
    void nullSenderAndNullableFields() throws Exception {
        BlobRef b = blob("bounce");
        Envelope env = new Envelope("", List.of(new Recipient("a@example.org", null, null)), null, null, null, null,
                false, false, null, null, null, T0);
        long id = store.spool().enqueue(env, b);
        assertThat(store.spool().get(id).orElseThrow().envelope()).isEqualTo(env);
    }

    @Test
    void completeRejectsForeignRecipientAtomically() throws Exception {
        aliasFixture();
        Account alice = dir().account("alice@example.org").orElseThrow();
        long q1 = store.spool().enqueue(envelope("alice@example.org"), blob("one"));
        long q2 = store.spool().enqueue(envelope("alice@example.org"), blob("two"));
        long r1 = store.spool().get(q1).orElseThrow().recipients().getFirst().id();
        long r2 = store.spool().get(q2).orElseThrow().recipients().getFirst().id();
        assertThatThrownBy(() -> store.spool().complete(q1, List.of(new ToMailboxes(r1, List.of(alice.id())), new Failed(r2, "x"))))
                .isInstanceOf(IllegalArgumentException.class);
        // nothing of the failed unit was applied
        assertThat(store.mailboxes().messages(alice.id(), "INBOX")).isEmpty();
        assertThat(store.spool().pendingLocal(10)).extracting(QueuedMessage::id).containsExactly(q1, q2);
    }

    @Test
    void completeIsExactlyOnce() throws Exception {
        aliasFixture();
        Account alice = dir().account("alice@example.org").orElseThrow();
        Account bob = dir().account("bob@example.org").orElseThrow();
        BlobRef b = blob("exactly once");
        long id = store.spool().enqueue(envelope("alice@example.org", "alice+x@example.org", "sales@example.org"), b);
        List<QueuedRecipient> rs = store.spool().get(id).orElseThrow().recipients();
        List<Spool.Disposition> ds = List.of(
                new ToMailboxes(rs.get(0).id(), List.of(alice.id())),
                new ToMailboxes(rs.get(1).id(), List.of(alice.id())),
                new ToMailboxes(rs.get(2).id(), List.of(alice.id(), bob.id(), bob.id())));
        store.spool().complete(id, ds);
        store.spool().complete(id, ds); // a redo after a crash between delivery and acknowledgement
        reopen();
        store.spool().complete(id, ds);
        assertThat(store.mailboxes().messages(alice.id(), "INBOX")).hasSize(1);
        assertThat(store.mailboxes().messages(bob.id(), "INBOX")).hasSize(1);
        assertThat(dir().account("alice@example.org").orElseThrow().usedBytes()).isEqualTo(b.size());
        assertThat(store.mailboxes().list(alice.id()).getFirst().highestModSeq()).isEqualTo(1);
        assertThat(store.mailboxes().list(alice.id()).getFirst().uidNext()).isEqualTo(2);
    }

    @Test
    void completeWithSummaryFillsTheCache() throws Exception {
        aliasFixture();
        Account alice = dir().account("alice@example.org").orElseThrow();
        Account bob = dir().account("bob@example.org").orElseThrow();
        long id = store.spool().enqueue(envelope("alice@example.org", "bob@example.org"), blob("Subject: cached\r\n\r\nx\r\n"));
        List<QueuedRecipient> rs = store.spool().get(id).orElseThrow().recipients();
        byte[] structure = new byte[300];
        for (int i = 0; i < structure.length; i++) structure[i] = (byte) i; // all octet values, NUL included
        String longSubject = "é".repeat(999) + "😀" + "tail"; // the emoji straddles char 1000
        store.spool().complete(id, List.of(new ToMailboxes(rs.get(0).id(), List.of(alice.id())),
                        new ToMailboxes(rs.get(1).id(), List.of(bob.id()))),
                new MessageSummary(structure, longSubject, "Jörg <j@example.org>", "<1@example.org>"));
        reopen();
        for (Account a : List.of(alice, bob)) {
            long mid = store.mailboxes().messages(a.id(), "INBOX").getFirst().id();
            MessageSummary s = store.mailboxes().summary(mid).orElseThrow();
            assertThat(s.structure()).isEqualTo(structure);
            assertThat(s.subject()).isEqualTo("é".repeat(999)); // truncated to MAX_TEXT without splitting the pair
            assertThat(s.from()).isEqualTo("Jörg <j@example.org>");
            assertThat(s.messageId()).isEqualTo("<1@example.org>");
            assertThat(store.mailboxes().structure(mid)).hasValueSatisfying(b -> assertThat(b).isEqualTo(structure));
        }
        assertThat(store.mailboxes().summary(123_456)).isEmpty();
        assertThat(store.mailboxes().structure(123_456)).isEmpty();

        // without a summary (the two-argument complete) the cache columns stay empty
        long id2 = store.spool().enqueue(envelope("alice@example.org"), blob("no summary"));
        long r = store.spool().get(id2).orElseThrow().recipients().getFirst().id();
        store.spool().complete(id2, List.of(new ToMailboxes(r, List.of(alice.id()))));
        long mid2 = store.mailboxes().messages(alice.id(), "INBOX").getLast().id();
        assertThat(store.mailboxes().summary(mid2)).hasValueSatisfying(s -> {
            assertThat(s.structure()).isNull();
            assertThat(s.subject()).isNull();
            assertThat(s.from()).isNull();
            assertThat(s.messageId()).isNull();
        });
        assertThat(store.mailboxes().structure(mid2)).isEmpty();
        // a summary with only some parts, and a NUL in a string (PostgreSQL TEXT refuses NUL)
        long id3 = store.spool().enqueue(envelope("alice@example.org"), blob("partial summary"));
        long r3 = store.spool().get(id3).orElseThrow().recipients().getFirst().id();
        store.spool().complete(id3, List.of(new ToMailboxes(r3, List.of(alice.id()))), new MessageSummary(null, "a\0b", null, null));
        long mid3 = store.mailboxes().messages(alice.id(), "INBOX").getLast().id();
        assertThat(store.mailboxes().summary(mid3).orElseThrow().subject()).isEqualTo("ab");
        assertThat(store.mailboxes().structure(mid3)).isEmpty();
    }

    @Test
    void uidAndModSeqAreMonotonic() throws Exception {
        aliasFixture();
        Account alice = dir().account("alice@example.org").orElseThrow();
        for (int i = 0; i < 5; i++) {
            long id = store.spool().enqueue(envelope("alice@example.org"), blob("message " + i));
            long r = store.spool().get(id).orElseThrow().recipients().getFirst().id();
            store.spool().complete(id, List.of(new ToMailboxes(r, List.of(alice.id()))));
            clock.advance(Duration.ofSeconds(1));
        }
        List<MessageInfo> msgs = store.mailboxes().messages(alice.id(), "INBOX");
        assertThat(msgs).extracting(MessageInfo::uid).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(msgs).extracting(MessageInfo::modSeq).isSorted().doesNotHaveDuplicates();
        assertThat(msgs).extracting(MessageInfo::internalDate).isSorted();
        MailboxInfo inbox = store.mailboxes().list(alice.id()).getFirst();
        assertThat(inbox.uidNext()).isEqualTo(6);
        assertThat(inbox.highestModSeq()).isEqualTo(msgs.getLast().modSeq());
        assertThat(inbox.messages()).isEqualTo(5);
    }

    @Test
    void uidValidityStableAcrossRestart() {
        dir().addDomain("example.org");
        Account a = dir().addAccount("alice@example.org", "pw".toCharArray());
        List<MailboxInfo> before = store.mailboxes().list(a.id());
        clock.advance(Duration.ofDays(3));
        reopen();
        assertThat(store.mailboxes().list(a.id())).isEqualTo(before);
        // a re-created account gets new values, never reused ones
        dir().removeAccount("alice@example.org");
        Account again = dir().addAccount("alice@example.org", "pw".toCharArray());
        long maxBefore = before.stream().mapToLong(MailboxInfo::uidValidity).max().orElseThrow();
        assertThat(store.mailboxes().list(again.id())).allSatisfy(m -> assertThat(m.uidValidity()).isGreaterThan(maxBefore));
        // and when re-created within the same second as well
        long maxAgain = store.mailboxes().list(again.id()).stream().mapToLong(MailboxInfo::uidValidity).max().orElseThrow();
        dir().removeAccount("alice@example.org");
        Account third = dir().addAccount("alice@example.org", "pw".toCharArray());
        assertThat(store.mailboxes().list(third.id())).hasSize(6)
                .allSatisfy(m -> assertThat(m.uidValidity()).isGreaterThan(maxAgain));
    }

    @Test
    void quotaAndUsedBytes() throws Exception {
        aliasFixture();
        dir().setQuota("alice@example.org", 100);
        Account alice = dir().account("alice@example.org").orElseThrow();
        assertThat(alice.quotaBytes()).isEqualTo(100);
        assertThat(alice.wouldExceedQuota(100)).isFalse();
        BlobRef b = blob("x".repeat(60));
        long id = store.spool().enqueue(envelope("alice@example.org"), b);
        long r = store.spool().get(id).orElseThrow().recipients().getFirst().id();
        store.spool().complete(id, List.of(new ToMailboxes(r, List.of(alice.id()))));
        alice = dir().account("alice@example.org").orElseThrow();
        assertThat(alice.usedBytes()).isEqualTo(60);
        assertThat(alice.wouldExceedQuota(40)).isFalse();
        assertThat(alice.wouldExceedQuota(41)).isTrue();
        dir().setQuota("alice@example.org", 0);
        assertThat(dir().account("alice@example.org").orElseThrow().wouldExceedQuota(1L << 40)).isFalse();
        assertThatThrownBy(() -> dir().setQuota("alice@example.org", -1)).isInstanceOf(DirectoryException.class);
    }

    @Test
    void groupCommitBatchesConcurrentEnqueues() throws Exception {
        BlobRef b = blob("group commit");
        AtomicInteger enqueued = new AtomicInteger();
        store.spool().onEnqueued(enqueued::incrementAndGet);
        long before = store.spool().commitCount();
        int n = 50;
        CountDownLatch go = new CountDownLatch(1);
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        try (var exec = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                fs.add(exec.submit(() -> {
                    go.await();
                    ids.add(store.spool().enqueue(envelope("r" + k + "@example.org"), b));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : fs) f.get();
        }
        long commits = store.spool().commitCount() - before;
        System.out.printf("group commit: %d enqueues in %d commits (%s)%n", n, commits, getClass().getSimpleName());
        assertThat(ids).hasSize(n);
        assertThat(enqueued).hasValue(n);
        assertThat(commits).as("commits for %d concurrent enqueues", n).isGreaterThan(0).isLessThanOrEqualTo(n / 2);
        assertThat(store.spool().list(100)).hasSize(n);
        Set<String> rcpts = store.spool().pendingLocal(100).stream()
                .map(m -> m.recipients().getFirst().address()).collect(Collectors.toSet());
        assertThat(rcpts).hasSize(n);
    }

    @Test
    void failingUnitDoesNotSinkItsBatch() throws Exception {
        dir().addDomain("example.org");
        int n = 20;
        CountDownLatch go = new CountDownLatch(1);
        Set<String> failures = ConcurrentHashMap.newKeySet();
        try (var exec = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                fs.add(exec.submit(() -> {
                    go.await();
                    try {
                        dir().addDomain(k % 2 == 0 ? "d" + k + ".example" : "example.org"); // odd ones are duplicates
                    } catch (DirectoryException e) {
                        failures.add("d" + k);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : fs) f.get();
        }
        assertThat(failures).hasSize(n / 2);
        assertThat(new HashSet<>(dir().domains())).hasSize(n / 2 + 1);
    }

    // ---------------------------------------------------------------- DKIM keys

    private static final byte[] KEY_A = {0x30, 0x2e, 0x02, 0x01, 0x00, 1, 2, 3};
    private static final byte[] KEY_B = {0x30, 0x2e, 0x02, 0x01, 0x00, 4, 5, 6};
    private static final String REC_A = "v=DKIM1; k=rsa; p=MIIBIjAN";
    private static final String REC_B = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    @Test
    void dkimKeysAddListAndSigningKeys() {
        dir().addDomain("example.org");
        Directory.DkimKey a = dir().addDkimKey("Example.ORG", "RSA202603", "rsa-sha256", KEY_A, REC_A);
        assertThat(a.domain()).isEqualTo("example.org");
        assertThat(a.selector()).isEqualTo("rsa202603"); // selectors are case-insensitive DNS labels
        assertThat(a.state()).isEqualTo(Directory.DKIM_ACTIVE);
        assertThat(a.createdAt()).isEqualTo(T0);
        assertThat(a.recordName()).isEqualTo("rsa202603._domainkey.example.org");
        assertThat(a.toString()).doesNotContain(Arrays.toString(KEY_A)).contains("rsa202603");
        clock.advance(Duration.ofSeconds(5));
        Directory.DkimKey b = dir().addDkimKey("example.org", "ed202603", "ed25519-sha256", KEY_B, REC_B);

        reopen();
        List<Directory.DkimKey> all = dir().dkimKeys("example.org");
        assertThat(all).extracting(Directory.DkimKey::selector).containsExactly("rsa202603", "ed202603");
        assertThat(all.getFirst().privateKeyPkcs8()).isEqualTo(KEY_A);
        assertThat(all.get(1).privateKeyPkcs8()).isEqualTo(KEY_B);
        assertThat(all.get(1).publicRecord()).isEqualTo(REC_B);
        assertThat(all.get(1).algorithm()).isEqualTo("ed25519-sha256");
        assertThat(all.get(1).createdAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(all).containsExactly(a, b);
        assertThat(dir().signingKeys("EXAMPLE.org.")).containsExactly(a, b);
        assertThat(dir().dkimKeys("example.com")).isEmpty();
        assertThat(dir().signingKeys("not a domain")).isEmpty();
        // the returned array is a copy: callers cannot change the stored key
        all.getFirst().privateKeyPkcs8()[0] = 0;
        assertThat(dir().dkimKeys("example.org").getFirst().privateKeyPkcs8()).isEqualTo(KEY_A);
    }

    @Test
    void dkimKeyValidation() {
        dir().addDomain("example.org");
        dir().addDkimKey("example.org", "s1", "rsa-sha256", KEY_A, REC_A);
        assertThatThrownBy(() -> dir().addDkimKey("example.org", "S1", "ed25519-sha256", KEY_B, REC_B))
                .isInstanceOf(DirectoryException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> dir().addDkimKey("example.com", "s1", "rsa-sha256", KEY_A, REC_A))
                .isInstanceOf(DirectoryException.class).hasMessageContaining("not a local domain");
        for (String bad : new String[] {"", "-a", "a-", "a..b", "a_b", "a b", ".a", "a.", "x".repeat(64), "sel@x"}) {
            assertThatThrownBy(() -> dir().addDkimKey("example.org", bad, "rsa-sha256", KEY_A, REC_A))
                    .as(bad).isInstanceOf(DirectoryException.class).hasMessageContaining("selector");
        }
        assertThatThrownBy(() -> dir().addDkimKey("example.org", "s2", "rsa-sha1", KEY_A, REC_A))
                .isInstanceOf(DirectoryException.class).hasMessageContaining("algorithm");
        assertThatThrownBy(() -> dir().addDkimKey("example.org", "s2", "rsa-sha256", new byte[0], REC_A))
                .isInstanceOf(DirectoryException.class).hasMessageContaining("private key");
        assertThatThrownBy(() -> dir().addDkimKey("example.org", "s2", "rsa-sha256", KEY_A, "v=DKIM1;\r\np=x"))
                .isInstanceOf(DirectoryException.class).hasMessageContaining("printable");
        assertThatThrownBy(() -> dir().setDkimKeyState("example.org", "s1", "paused"))
                .isInstanceOf(DirectoryException.class).hasMessageContaining("state");
        // multi-label selectors are allowed (RFC 6376 §3.1)
        assertThat(dir().addDkimKey("example.org", "2026.eu-west", "ed25519-sha256", KEY_B, REC_B).selector()).isEqualTo("2026.eu-west");
        assertThat(dir().dkimKeys("example.org")).hasSize(2);
    }

    @Test
    void dkimKeyStatesAndRemoval() {
        dir().addDomain("example.org");
        dir().addDkimKey("example.org", "old", "rsa-sha256", KEY_A, REC_A);
        dir().addDkimKey("example.org", "new", "rsa-sha256", KEY_B, REC_A);
        assertThat(dir().setDkimKeyState("example.org", "OLD", Directory.DKIM_RETIRING)).isTrue();
        assertThat(dir().setDkimKeyState("example.org", "nothere", Directory.DKIM_RETIRING)).isFalse();
        assertThat(dir().setDkimKeyState("example.com", "old", Directory.DKIM_RETIRING)).isFalse();
        assertThat(dir().signingKeys("example.org")).extracting(Directory.DkimKey::selector).containsExactly("new");
        assertThat(dir().dkimKeys("example.org")).extracting(Directory.DkimKey::selector, Directory.DkimKey::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("old", "retiring"), org.assertj.core.groups.Tuple.tuple("new", "active"));
        assertThat(dir().setDkimKeyState("example.org", "old", Directory.DKIM_RETIRED)).isTrue();
        assertThat(dir().setDkimKeyState("example.org", "old", Directory.DKIM_ACTIVE)).isTrue();
        assertThat(dir().signingKeys("example.org")).extracting(Directory.DkimKey::selector).containsExactly("old", "new");
        assertThat(dir().removeDkimKey("example.org", "old")).isTrue();
        assertThat(dir().removeDkimKey("example.org", "old")).isFalse();
        assertThat(dir().removeDkimKey("example.com", "new")).isFalse();
        assertThat(dir().dkimKeys("example.org")).extracting(Directory.DkimKey::selector).containsExactly("new");
        // a re-created selector is a new key
        assertThat(dir().addDkimKey("example.org", "old", "ed25519-sha256", KEY_B, REC_B).algorithm()).isEqualTo("ed25519-sha256");
    }

    @Test
    void dkimKeysGoWithTheirDomain() {
        dir().addDomain("example.org");
        dir().addDomain("example.net");
        dir().addDkimKey("example.org", "s1", "rsa-sha256", KEY_A, REC_A);
        dir().addDkimKey("example.net", "s1", "rsa-sha256", KEY_B, REC_A); // same selector, another domain
        assertThat(dir().removeDomain("example.org")).isTrue();
        assertThat(dir().dkimKeys("example.org")).isEmpty();
        dir().addDomain("example.org");
        assertThat(dir().dkimKeys("example.org")).isEmpty(); // nothing left behind for a re-added domain
        assertThat(dir().dkimKeys("example.net")).singleElement().extracting(Directory.DkimKey::privateKeyPkcs8).isEqualTo(KEY_B);
    }

    @Test
    void closedStoreRefusesWork() {
        dir().addDomain("example.org");
        store.close();
        assertThatThrownBy(() -> dir().addDomain("example.net")).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> dir().domains()).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        store = null;
    }

    @Test
    void productionHashingThroughStoreOpen() {
        store.close();
        store = Store.open(cfg);
        dir().addDomain("example.org");
        dir().addAccount("alice@example.org", "correct horse".toCharArray());
        assertThat(dir().authenticate("alice@example.org", "correct horse".toCharArray())).isPresent();
        assertThat(dir().credentials().lookup("alice@example.org").orElseThrow().credentials().scramIterations())
                .isEqualTo(PasswordHasher.SCRAM_ITERATIONS);
    }

    // ---------------------------------------------------------------- inline (database) blobs

    /** Bytes that do not compress (a random attachment), so the stored form is raw. */
    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    /** Text that compresses well. */
    static byte[] textBytes(int n) {
        byte[] line = "Subject: inline\r\nA line of a small text message that compresses well.\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = line[i % line.length];
        return b;
    }

    java.nio.file.Path blobFile(String id) {
        return dataDir.resolve("blobs").resolve(id.substring(0, 2)).resolve(id);
    }

    static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    byte[] read(String blobId) throws Exception {
        try (java.io.InputStream in = store.blobs().open(blobId)) {
            return in.readAllBytes();
        }
    }

    Spool.Enqueued enqueueContent(Envelope env, byte[] content, int chunk) throws Exception {
        BlobWriter w = store.blobs().newWriter();
        for (int off = 0; off < content.length; off += chunk) w.write(content, off, Math.min(chunk, content.length - off));
        return store.spool().enqueue(env, w, null);
    }

    @Test
    void smallMessageIsStoredInTheSpoolTransaction() throws Exception {
        assertThat(store.blobs().inlineLimit()).isEqualTo(256 * 1024);
        aliasFixture();
        Account alice = dir().account("alice@example.org").orElseThrow();
        byte[] content = textBytes(4096);
        long commits = store.spool().commitCount();
        AtomicInteger enqueued = new AtomicInteger();
        store.spool().onEnqueued(enqueued::incrementAndGet);

        Spool.Enqueued q = enqueueContent(envelope("alice@example.org"), content, 1000);

        // one transaction holds the blob row and the queue rows: no file, no second commit
        assertThat(store.spool().commitCount() - commits).isEqualTo(1);
        assertThat(enqueued).hasValue(1);
        assertThat(q.blob()).isEqualTo(new BlobRef(sha256(content), 4096));
        assertThat(blobFile(q.blob().id())).doesNotExist();
        assertThat(store.blobs().exists(q.blob().id())).isTrue();
        assertThat(read(q.blob().id())).isEqualTo(content);
        assertThat(store.blobs().storedBytes()).isPositive().isLessThan(4096); // deflated

        // delivery reads it back and files it; the mailbox copy points to the same blob
        QueuedMessage m = store.spool().get(q.queueId()).orElseThrow();
        assertThat(m.blob()).isEqualTo(q.blob());
        store.spool().complete(m.id(), List.of(new ToMailboxes(m.recipients().getFirst().id(), List.of(alice.id()))));
        MessageInfo info = store.mailboxes().messages(alice.id(), "INBOX").getFirst();
        assertThat(info.blobId()).isEqualTo(q.blob().id());
        assertThat(info.size()).isEqualTo(4096);

        // durable: a reopened store (new connections) still reads it
        reopen();
        assertThat(read(q.blob().id())).isEqualTo(content);
    }

    @Test
    void sameSmallContentIsStoredOnce() throws Exception {
        byte[] content = randomBytes(3000, 7);
        Spool.Enqueued a = enqueueContent(envelope("a@example.org"), content, 512);
        long afterFirst = store.blobs().storedBytes();
        Spool.Enqueued b = enqueueContent(envelope("b@example.org"), content, 3000);
        BlobRef c = store.blobs().put(content); // outside a spool transaction: its own commit, same row
        assertThat(a.queueId()).isNotEqualTo(b.queueId());
        assertThat(b.blob()).isEqualTo(a.blob()).isEqualTo(c);
        assertThat(store.blobs().storedBytes()).isEqualTo(afterFirst).isEqualTo(3001); // raw: format byte + content
        assertThat(read(a.blob().id())).isEqualTo(content);
    }

    @ParameterizedTest
    @CsvSource({"262144, true", "262145, false", "0, true", "1, true", "1025, true"})
    void thresholdDecidesWhereTheBlobLives(int size, boolean inline) throws Exception {
        for (byte[] content : List.of(randomBytes(size, size), textBytes(size))) {
            Spool.Enqueued q = enqueueContent(envelope("a@example.org"), content, 4096);
            assertThat(q.blob().size()).isEqualTo(size);
            assertThat(blobFile(q.blob().id()).toFile().exists()).as("file for %d bytes", size).isEqualTo(!inline);
            assertThat(store.blobs().exists(q.blob().id())).isTrue();
            assertThat(read(q.blob().id())).isEqualTo(content);
            BlobRef put = store.blobs().put(content);
            assertThat(put).isEqualTo(q.blob());
        }
    }

    @Test
    void writerSpillsToAFileWhenTheContentGrowsPastTheLimit() throws Exception {
        byte[] content = randomBytes(400_000, 3);
        BlobWriter w = store.blobs().newWriter();
        w.write(content, 0, 200_000);
        w.write(content, 200_000, 200_000); // crosses the limit in one write
        assertThat(w.size()).isEqualTo(400_000);
        Spool.Enqueued q = store.spool().enqueue(envelope("a@example.org"), w, "\\Junk");
        assertThat(blobFile(q.blob().id())).exists();
        assertThat(read(q.blob().id())).isEqualTo(content);
        assertThatThrownBy(w::commit).isInstanceOf(java.io.IOException.class); // finished by the spool
    }

    @Test
    void failedEnqueueStoresNoInlineBlob() throws Exception {
        byte[] content = textBytes(2000);
        BlobWriter w = store.blobs().newWriter();
        w.write(content);
        assertThatThrownBy(() -> store.spool().enqueue(envelope(), w, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.blobs().exists(sha256(content))).isFalse();
        assertThatThrownBy(w::commit).isInstanceOf(java.io.IOException.class); // aborted

        BlobWriter aborted = store.blobs().newWriter();
        aborted.write(content);
        aborted.abort();
        assertThat(store.blobs().exists(sha256(content))).isFalse();
        assertThat(store.spool().list(10)).isEmpty();
    }

    @Test
    void inlineBlobsServeEveryReader() throws Exception {
        aliasFixture();
        Account alice = dir().account("alice@example.org").orElseThrow();
        byte[] content = textBytes(10_000);
        BlobRef b = store.blobs().put(content);
        assertThat(blobFile(b.id())).doesNotExist();
        // the outbound queue's and the DSN's checks that a blob is stored
        long qid = store.spool().enqueue(envelope("alice@example.org"), b);
        store.outbound().prepared(qid, b);
        // IMAP APPEND of a stored blob
        long inbox = store.mailboxes().mailbox(alice.id(), "INBOX").orElseThrow().id();
        store.mailboxes().append(inbox, List.of(new Mailboxes.NewMessage(b, Set.of("\\Seen"), null, null)));
        assertThat(store.mailboxes().messages(inbox)).extracting(MessageInfo::blobId).containsExactly(b.id());
        assertThat(read(b.id())).isEqualTo(content);
        assertThatThrownBy(() -> store.blobs().open("0".repeat(64))).isInstanceOf(java.nio.file.NoSuchFileException.class);
        assertThatThrownBy(() -> store.blobs().open("nope")).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.blobs().exists("nope")).isFalse();
    }

    @Test
    void concurrentSmallEnqueuesShareCommits() throws Exception {
        int n = 64;
        var pool = Executors.newFixedThreadPool(16);
        try {
            long commits = store.spool().commitCount();
            List<Future<Spool.Enqueued>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] content = textBytes(1000 + i);
                fs.add(pool.submit(() -> enqueueContent(envelope("a@example.org"), content, 256)));
            }
            Set<String> ids = new HashSet<>();
            for (Future<Spool.Enqueued> f : fs) ids.add(f.get().blob().id());
            assertThat(ids).hasSize(n);
            assertThat(store.spool().commitCount() - commits).isBetween(1L, (long) n);
            for (int i = 0; i < n; i++) assertThat(read(sha256(textBytes(1000 + i)))).isEqualTo(textBytes(1000 + i));
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- filing local mail at acceptance

    Spool.Enqueued enqueueFiled(Envelope env, byte[] content, String folder, Map<Integer, List<Long>> accounts) throws Exception {
        BlobWriter w = store.blobs().newWriter();
        w.write(content);
        MessageSummary summary = new MessageSummary(new byte[] {1, 2, 3}, "filed", "Sender <sender@remote.test>", "<f@remote.test>", null);
        return store.spool().enqueue(env, w, folder, new Spool.LocalFiling(accounts, summary));
    }

    @Test
    void localRecipientsAreFiledInTheAcceptanceTransaction() throws Exception {
        aliasFixture();
        Account alice = dir().account("alice@example.org").orElseThrow();
        Account bob = dir().account("bob@example.org").orElseThrow();
        byte[] content = textBytes(3000);
        List<String> events = new ArrayList<>();
        AtomicInteger enqueued = new AtomicInteger(), delivered = new AtomicInteger();
        store.spool().onEnqueued(enqueued::incrementAndGet);
        store.spool().onDelivered(delivered::incrementAndGet);
        long commits = store.spool().commitCount();
        try (AutoCloseable l = store.mailboxes().onChange((a, m) -> events.add(a + "/" + m))) {
            Spool.Enqueued q = enqueueFiled(envelope("alice@example.org", "bob@example.org", "fwd@example.org"), content, null,
                    Map.of(0, List.of(alice.id()), 1, List.of(bob.id(), alice.id())));
            assertThat(store.spool().commitCount() - commits).isEqualTo(1); // blob, queue rows and copies: one commit
            long aliceInbox = store.mailboxes().mailbox(alice.id(), "INBOX").orElseThrow().id();
            long bobInbox = store.mailboxes().mailbox(bob.id(), "INBOX").orElseThrow().id();
            assertThat(events).containsExactlyInAnyOrder(alice.id() + "/" + aliceInbox, bob.id() + "/" + bobInbox);
            assertThat(delivered).hasValue(1);
            assertThat(enqueued).hasValue(1); // fwd@ is left for local delivery

            QueuedMessage m = store.spool().get(q.queueId()).orElseThrow();
            assertThat(m.recipients()).extracting(QueuedRecipient::state)
                    .containsExactly(RecipientState.DELIVERED, RecipientState.DELIVERED, RecipientState.PENDING);
            assertThat(store.spool().pendingLocal(10)).extracting(QueuedMessage::id).containsExactly(q.queueId());
            // one copy per account, even though alice is reached twice
            assertThat(store.mailboxes().messages(aliceInbox)).hasSize(1);
            MessageInfo copy = store.mailboxes().messages(bobInbox).getFirst();
            assertThat(copy.blobId()).isEqualTo(q.blob().id());
            assertThat(store.mailboxes().summary(copy.id()).orElseThrow().subject()).isEqualTo("filed");
            assertThat(dir().account("bob@example.org").orElseThrow().usedBytes()).isEqualTo(3000);

            // local delivery later handles the rest; a redo for alice (crash before its commit) stores nothing more
            store.spool().complete(q.queueId(), List.of(new ToMailboxes(m.recipients().get(2).id(), List.of(alice.id())),
                    new ToMailboxes(m.recipients().get(0).id(), List.of(alice.id()))));
            assertThat(store.mailboxes().messages(aliceInbox)).hasSize(1);
            assertThat(store.spool().pendingLocal(10)).isEmpty();
            assertThat(read(copy.blobId())).isEqualTo(content);
        }
    }

    @Test
    void fullyFiledMessageIsLocallyDoneAndHonoursTheFolder() throws Exception {
        aliasFixture();
        Account alice = dir().account("alice@example.org").orElseThrow();
        AtomicInteger enqueued = new AtomicInteger();
        store.spool().onEnqueued(enqueued::incrementAndGet);
        // larger than the inline limit: the blob is a file, filing still happens in the spool transaction
        byte[] big = randomBytes(270_000, 5);
        Spool.Enqueued q = enqueueFiled(envelope("alice@example.org"), big, "\\Junk", Map.of(0, List.of(alice.id())));
        assertThat(blobFile(q.blob().id())).exists();
        assertThat(enqueued).hasValue(0);
        assertThat(store.spool().pendingLocal(10)).isEmpty();
        assertThat(store.spool().get(q.queueId()).orElseThrow().recipients().getFirst().state()).isEqualTo(RecipientState.DELIVERED);
        assertThat(store.mailboxes().messages(alice.id(), "Junk")).extracting(MessageInfo::blobId).containsExactly(q.blob().id());
        assertThat(store.mailboxes().messages(alice.id(), "INBOX")).isEmpty();
        reopen();
        assertThat(store.mailboxes().messages(alice.id(), "Junk")).hasSize(1);
    }

    @Test
    void badFilingStoresNothing() throws Exception {
        aliasFixture();
        Account alice = dir().account("alice@example.org").orElseThrow();
        byte[] content = textBytes(500);
        assertThatThrownBy(() -> enqueueFiled(envelope("alice@example.org"), content, null, Map.of(1, List.of(alice.id()))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Spool.LocalFiling(Map.of(0, List.of()), null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.spool().list(10)).isEmpty();
        assertThat(store.blobs().exists(sha256(content))).isFalse();
        assertThat(store.mailboxes().messages(alice.id(), "INBOX")).isEmpty();
    }
}
