package dev.sealpost.store;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.store.OutboundQueue.Delivered;
import dev.sealpost.store.OutboundQueue.Deferred;
import dev.sealpost.store.OutboundQueue.Delivery;
import dev.sealpost.store.OutboundQueue.DsnAction;
import dev.sealpost.store.OutboundQueue.DueDomain;
import dev.sealpost.store.OutboundQueue.Failed;
import dev.sealpost.store.OutboundQueue.State;
import dev.sealpost.store.Spool.Envelope;
import dev.sealpost.store.Spool.Recipient;
import dev.sealpost.store.internal.JdbcStore;
import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The outbound queue's behaviour on every backend (subclasses give a fresh database per test). */
abstract class OutboundQueueContract {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dataDir;
    MutableClock clock;
    StoreConfig cfg;
    Store store;

    protected abstract StoreConfig freshConfig(Path dataDir, MutableClock clock) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        clock = new MutableClock(T0);
        cfg = freshConfig(dataDir, clock);
        store = JdbcStore.open(cfg, pw -> PasswordHasher.hash(pw, 1000, 4096));
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    OutboundQueue q() {
        return store.outbound();
    }

    /** Spools a message from {@code from} to the remote {@code to} addresses and hands them to the outbound queue as local delivery does. */
    long remoteMessage(String from, String notify, String... to) throws Exception {
        BlobRef blob = store.blobs().put(("Subject: t\r\n\r\nbody " + from + List.of(to) + "\r\n").getBytes(StandardCharsets.UTF_8));
        List<Recipient> rcpts = java.util.Arrays.stream(to).map(a -> new Recipient(a, notify, "rfc822;" + a)).toList();
        long id = store.spool().enqueue(new Envelope(from, rcpts, "192.0.2.1", "client.test", null, "s1", false, false,
                "8BITMIME", "HDRS", "env-1", clock.instant()), blob);
        List<Spool.Disposition> ds = store.spool().get(id).orElseThrow().recipients().stream()
                .map(r -> (Spool.Disposition) new Spool.Remote(r.id(), List.of(r.address()))).toList();
        store.spool().complete(id, ds);
        return id;
    }

    List<Delivery> deliveries(long id) {
        return q().show(id).orElseThrow().deliveries();
    }

    @Test
    void dueGroupsByDomainAndMessageWithTheDsnParameters() throws Exception {
        long m1 = remoteMessage("a@local.test", "SUCCESS,FAILURE", "x@one.example", "y@two.example", "z@one.example");
        long m2 = remoteMessage("", null, "w@one.example");
        List<DueDomain> due = q().due(clock.instant(), 100);
        assertThat(due).extracting(DueDomain::domain).containsExactlyInAnyOrder("one.example", "two.example");
        DueDomain one = due.stream().filter(d -> d.domain().equals("one.example")).findFirst().orElseThrow();
        assertThat(one.messages()).extracting(m -> m.message().id()).containsExactly(m1, m2);
        OutboundQueue.DueMessage first = one.messages().getFirst();
        assertThat(first.deliveries()).extracting(Delivery::address).containsExactly("x@one.example", "z@one.example");
        Delivery x = first.deliveries().getFirst();
        assertThat(x.dsnNotify()).isEqualTo("SUCCESS,FAILURE");
        assertThat(x.notifies("SUCCESS")).isTrue();
        assertThat(x.notifies("DELAY")).isFalse();
        assertThat(x.orcpt()).isEqualTo("rfc822;x@one.example");
        assertThat(x.state()).isEqualTo(State.PENDING);
        assertThat(x.attempts()).isZero();
        assertThat(first.message().mailFrom()).isEqualTo("a@local.test");
        assertThat(first.message().dsnRet()).isEqualTo("HDRS");
        assertThat(first.message().dsnEnvid()).isEqualTo("env-1");
        assertThat(first.message().bodyType()).isEqualTo("8BITMIME");
        assertThat(first.message().prepared()).isFalse();
        assertThat(one.messages().get(1).message().nullSender()).isTrue();
        assertThat(q().nextDue()).contains(T0);
    }

    @Test
    void resultsAreRecordedAndScheduleTheNextAttempt() throws Exception {
        long m = remoteMessage("a@local.test", null, "x@one.example", "y@one.example", "z@one.example");
        List<Delivery> ds = deliveries(m);
        Instant now = clock.instant();
        q().record(List.of(
                new Delivered(ds.get(0).id(), "250 2.0.0 Ok", "mx.one.example", now, DsnAction.RELAYED),
                new Deferred(ds.get(1).id(), "451 4.3.0 later", "mx.one.example", now, now.plus(Duration.ofMinutes(5)), false),
                new Failed(ds.get(2).id(), "550 5.1.1 unknown", "mx.one.example", now, true)));
        List<Delivery> after = deliveries(m);
        assertThat(after.get(0).state()).isEqualTo(State.DELIVERED);
        assertThat(after.get(0).lastReply()).isEqualTo("250 2.0.0 Ok");
        assertThat(after.get(0).doneAt()).isEqualTo(now);
        assertThat(after.get(0).dsnPending()).isEqualTo(DsnAction.RELAYED);
        assertThat(after.get(1).state()).isEqualTo(State.PENDING);
        assertThat(after.get(1).attempts()).isEqualTo(1);
        assertThat(after.get(1).firstAttemptAt()).isEqualTo(now);
        assertThat(after.get(1).nextAttemptAt()).isEqualTo(now.plus(Duration.ofMinutes(5)));
        assertThat(after.get(1).remoteMta()).isEqualTo("mx.one.example");
        assertThat(after.get(1).dsnPending()).isNull();
        assertThat(after.get(2).state()).isEqualTo(State.FAILED);
        assertThat(after.get(2).dsnPending()).isEqualTo(DsnAction.FAILED);
        // nothing due until the next attempt; then only the deferred one
        assertThat(q().due(clock.instant(), 100)).isEmpty();
        assertThat(q().nextDue()).contains(now.plus(Duration.ofMinutes(5)));
        clock.advance(Duration.ofMinutes(5));
        assertThat(q().due(clock.instant(), 100)).singleElement()
                .satisfies(d -> assertThat(d.messages().getFirst().deliveries()).extracting(Delivery::address).containsExactly("y@one.example"));
        assertThatThrownBy(() -> q().record(List.of(new Failed(999_999, "x", null, now, false)))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void delayDsnIsOwedOnlyOnce() throws Exception {
        long m = remoteMessage("a@local.test", null, "x@one.example");
        long id = deliveries(m).getFirst().id();
        Instant now = clock.instant();
        q().record(List.of(new Deferred(id, "451 a", null, now, now, true)));
        assertThat(deliveries(m).getFirst().dsnPending()).isEqualTo(DsnAction.DELAYED);
        assertThat(deliveries(m).getFirst().warnedAt()).isEqualTo(now);
        q().clearNotifications(List.of(id));
        clock.advance(Duration.ofHours(1));
        q().record(List.of(new Deferred(id, "451 b", null, clock.instant(), clock.instant(), true)));
        assertThat(deliveries(m).getFirst().dsnPending()).isNull();
        assertThat(deliveries(m).getFirst().warnedAt()).isEqualTo(now);
        assertThat(deliveries(m).getFirst().attempts()).isEqualTo(2);
    }

    @Test
    void notificationIsSpooledAndClearedInOneTransaction() throws Exception {
        long m = remoteMessage("a@local.test", null, "x@one.example", "y@one.example");
        List<Delivery> ds = deliveries(m);
        q().record(List.of(new Failed(ds.get(0).id(), "550 no", "mx", clock.instant(), true),
                new Failed(ds.get(1).id(), "550 no", "mx", clock.instant(), false)));
        List<OutboundQueue.Notification> pending = q().pendingNotifications(10);
        assertThat(pending).singleElement().satisfies(n -> {
            assertThat(n.message().id()).isEqualTo(m);
            assertThat(n.deliveries()).extracting(Delivery::address).containsExactly("x@one.example");
        });
        BlobRef dsn = store.blobs().put("Subject: DSN\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
        long dsnId = q().enqueueNotification(new Envelope("", List.of(new Recipient("a@local.test", null, null)), null, null, null,
                "dsn", false, false, null, null, null, clock.instant()), dsn, List.of(ds.get(0).id()));
        assertThat(q().pendingNotifications(10)).isEmpty();
        Spool.QueuedMessage spooled = store.spool().get(dsnId).orElseThrow();
        assertThat(spooled.envelope().mailFrom()).isEmpty();
        assertThat(spooled.recipients()).extracting(Spool.QueuedRecipient::address).containsExactly("a@local.test");
        assertThat(store.spool().pendingLocal(10)).extracting(Spool.QueuedMessage::id).contains(dsnId);
        // the original is finished now: purged with its rows
        assertThat(q().purgeFinished()).isEqualTo(1);
        assertThat(store.spool().get(m)).isEmpty();
        assertThat(q().show(m)).isEmpty();
        assertThat(store.spool().get(dsnId)).isPresent(); // no remote delivery yet: not the queue's to delete
    }

    @Test
    void purgeKeepsMessagesWithWorkLeft() throws Exception {
        long m = remoteMessage("a@local.test", null, "x@one.example", "y@one.example");
        List<Delivery> ds = deliveries(m);
        q().record(List.of(new Delivered(ds.get(0).id(), "250 ok", "mx", clock.instant(), null)));
        assertThat(q().purgeFinished()).isZero();
        q().record(List.of(new Delivered(ds.get(1).id(), "250 ok", "mx", clock.instant(), DsnAction.RELAYED)));
        assertThat(q().purgeFinished()).isZero(); // a DSN is still owed
        q().clearNotifications(List.of(ds.get(1).id()));
        assertThat(q().purgeFinished()).isEqualTo(1);
    }

    @Test
    void holdReleaseRetryPrioritize() throws Exception {
        long m1 = remoteMessage("a@local.test", null, "x@one.example");
        long m2 = remoteMessage("a@local.test", null, "y@two.example");
        assertThat(q().hold(m1)).isEqualTo(1);
        assertThat(q().hold(m1)).isZero();
        assertThat(q().due(clock.instant(), 100)).extracting(DueDomain::domain).containsExactly("two.example");
        assertThat(deliveries(m1).getFirst().held()).isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(q().release(m1)).isEqualTo(1);
        assertThat(deliveries(m1).getFirst().nextAttemptAt()).isEqualTo(clock.instant());
        assertThat(q().prioritize(m1, 10)).isEqualTo(1);
        assertThat(q().due(clock.instant(), 100)).extracting(DueDomain::domain).containsExactly("one.example", "two.example");
        // deferred far away, then retried now
        long id = deliveries(m2).getFirst().id();
        q().record(List.of(new Deferred(id, "451", null, clock.instant(), clock.instant().plus(Duration.ofHours(4)), false)));
        assertThat(q().due(clock.instant(), 100)).extracting(DueDomain::domain).containsExactly("one.example");
        assertThat(q().retryNow(m2)).isEqualTo(1);
        assertThat(q().due(clock.instant(), 100)).hasSize(2);
        q().record(List.of(new Deferred(id, "451", null, clock.instant(), clock.instant().plus(Duration.ofHours(4)), false)));
        assertThat(q().retryAll()).isEqualTo(2);
        assertThat(q().due(clock.instant(), 100)).hasSize(2);
    }

    @Test
    void bounceFailsPendingDeliveriesAndOwesADsnUnlessNotifyOrNullSenderForbidIt() throws Exception {
        long m1 = remoteMessage("a@local.test", null, "x@one.example");
        long m2 = remoteMessage("a@local.test", "NEVER", "y@one.example");
        long m3 = remoteMessage("", null, "z@one.example");
        assertThat(q().bounce(m1, "554 5.0.0 bounced by admin")).isEqualTo(1);
        assertThat(q().bounce(m2, null)).isEqualTo(1);
        assertThat(q().bounce(m3, null)).isEqualTo(1);
        assertThat(q().bounce(m1, null)).isZero();
        assertThat(deliveries(m1).getFirst().state()).isEqualTo(State.FAILED);
        assertThat(deliveries(m1).getFirst().lastReply()).isEqualTo("554 5.0.0 bounced by admin");
        assertThat(deliveries(m1).getFirst().dsnPending()).isEqualTo(DsnAction.FAILED);
        assertThat(deliveries(m2).getFirst().dsnPending()).isNull();
        assertThat(deliveries(m3).getFirst().dsnPending()).isNull();
        assertThat(q().bounce(12345, null)).isZero();
    }

    @Test
    void deleteRemovesTheMessageAndListShowsOnlyRemoteWork() throws Exception {
        long m1 = remoteMessage("a@local.test", null, "x@one.example");
        long m2 = remoteMessage("a@local.test", null, "y@one.example");
        BlobRef blob = store.blobs().put("x\r\n".getBytes(StandardCharsets.US_ASCII));
        store.spool().enqueue(new Envelope("a@b.test", List.of(new Recipient("l@local.test", null, null)), null, null, null, null,
                false, false, null, null, null, clock.instant()), blob);
        assertThat(q().list(100)).extracting(e -> e.message().id()).containsExactly(m1, m2);
        assertThat(q().delete(m1)).isTrue();
        assertThat(q().delete(m1)).isFalse();
        assertThat(q().list(100)).extracting(e -> e.message().id()).containsExactly(m2);
        assertThat(store.spool().get(m1)).isEmpty();
    }

    @Test
    void preparedSwitchesTheContentOnce() throws Exception {
        long m = remoteMessage("a@local.test", null, "x@one.example");
        BlobRef signed = store.blobs().put("DKIM-Signature: v=1\r\nSubject: t\r\n\r\nb\r\n".getBytes(StandardCharsets.US_ASCII));
        q().prepared(m, signed);
        OutboundQueue.QueueMessage qm = q().show(m).orElseThrow().message();
        assertThat(qm.prepared()).isTrue();
        assertThat(qm.blob()).isEqualTo(signed);
        assertThatThrownBy(() -> q().prepared(m, new BlobRef("0".repeat(64), 1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stateSurvivesAReopen() throws Exception {
        long m = remoteMessage("a@local.test", null, "x@one.example", "y@one.example");
        List<Delivery> ds = deliveries(m);
        q().record(List.of(new Delivered(ds.get(0).id(), "250 ok", "mx", clock.instant(), null)));
        store.close();
        store = JdbcStore.open(cfg, pw -> PasswordHasher.hash(pw, 1000, 4096));
        assertThat(q().due(clock.instant(), 100)).singleElement()
                .satisfies(d -> assertThat(d.messages().getFirst().deliveries()).extracting(Delivery::address).containsExactly("y@one.example"));
    }
}
