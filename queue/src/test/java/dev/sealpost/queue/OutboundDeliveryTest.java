package dev.sealpost.queue;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.core.sasl.CredentialLookup;
import dev.sealpost.core.sasl.SaslMechanisms;
import dev.sealpost.dns.ZoneResolver;
import dev.sealpost.smtp.client.ClientSettings;
import dev.sealpost.store.BlobRef;
import dev.sealpost.store.OutboundQueue;
import dev.sealpost.store.OutboundQueue.Delivery;
import dev.sealpost.store.OutboundQueue.State;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.testkit.MutableClock;
import dev.sealpost.testkit.TestTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The remote transport against fake MXs on 127.0.0.1, planted DNS and a pinned clock. */
class OutboundDeliveryTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String SENDER = "alice@local.test";

    @TempDir
    Path dir;
    MutableClock clock;
    Store store;
    FakeMx mx;
    final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        clock = new MutableClock(T0);
        store = Store.open(new StoreConfig(dir, null, null, null, clock));
        mx = FakeMx.mx(null);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables.reversed()) c.close();
        mx.close();
        store.close();
    }

    ZoneResolver.Builder zone() {
        return ZoneResolver.builder()
                .mx("one.test", 10, "mx1.one.test").a("mx1.one.test", "127.0.0.1")
                .mx("null.test", 0, ".");
    }

    QueueSettings settings(int port) {
        return QueueSettings.defaults("out.test").withMxPort(port)
                .withClient(ClientSettings.defaults().withTimeouts(ClientSettings.Timeouts.uniform(Duration.ofSeconds(10))));
    }

    OutboundDelivery queue(ZoneResolver resolver, QueueSettings s) {
        OutboundDelivery q = new OutboundDelivery(store, resolver, s, OutboundDelivery.defaultTls(s), OutboundSigner.NONE, clock,
                new Random(7), null);
        closeables.add(q);
        return q;
    }

    OutboundDelivery queue() {
        return queue(zone().build(), settings(mx.port()));
    }

    /** Spools a message and hands its recipients to the outbound queue, as local delivery does for remote addresses. */
    long spoolRemote(String from, String notify, String ret, String... to) throws IOException {
        String content = "Return-Path: <" + from + ">\r\nFrom: <" + from + ">\r\nSubject: hello " + Arrays.toString(to)
                + "\r\nMessage-ID: <m" + System.nanoTime() + "@local.test>\r\n\r\nHi there.\r\n";
        BlobRef blob = store.blobs().put(content.getBytes(StandardCharsets.UTF_8));
        List<Spool.Recipient> rcpts = Arrays.stream(to).map(a -> new Spool.Recipient(a, notify, "rfc822;" + a)).toList();
        long id = store.spool().enqueue(new Spool.Envelope(from, rcpts, "192.0.2.1", "client.test", null, "s1", false, false,
                null, ret, "envid-42", clock.instant()), blob);
        store.spool().complete(id, store.spool().get(id).orElseThrow().recipients().stream()
                .map(r -> (Spool.Disposition) new Spool.Remote(r.id(), List.of(r.address()))).toList());
        return id;
    }

    List<Delivery> deliveries(long id) {
        return store.outbound().show(id).map(OutboundQueue.Entry::deliveries).orElse(List.of());
    }

    /** The DSNs spooled (from the null sender), as text. */
    List<String> dsns() throws IOException {
        List<String> out = new ArrayList<>();
        for (Spool.QueuedMessage m : store.spool().list(1000)) {
            if (!m.envelope().mailFrom().isEmpty()) continue;
            try (InputStream in = store.blobs().open(m.blob().id())) {
                out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            assertThat(m.recipients()).extracting(Spool.QueuedRecipient::address).containsExactly(SENDER);
        }
        return out;
    }

    @Test
    void deliversStripsReturnPathPassesDsnParametersAndPurges() throws Exception {
        long id = spoolRemote(SENDER, "SUCCESS,FAILURE", "HDRS", "bob@one.test");
        assertThat(queue().runOnce()).isEqualTo(1);
        assertThat(mx.received).singleElement().satisfies(r -> {
            assertThat(r.text()).startsWith("From: <alice@local.test>").doesNotContain("Return-Path");
            assertThat(r.tx().reversePath().toString()).isEqualTo(SENDER);
            assertThat(r.tx().recipients().getFirst().dsnNotify()).containsExactly("SUCCESS", "FAILURE");
            assertThat(r.tx().recipients().getFirst().orcpt()).isEqualTo("rfc822;bob@one.test");
            assertThat(r.tx().dsnEnvid()).isEqualTo("envid-42");
            assertThat(r.tx().dsnRet()).isEqualTo("HDRS");
        });
        // the server offers DSN: it got NOTIFY=SUCCESS and reports itself; we send no receipt (RFC 3461 §5.2.2)
        assertThat(dsns()).isEmpty();
        // delivered and nothing owed: the queue entry is gone
        assertThat(store.spool().get(id)).isEmpty();
        assertThat(queue().runOnce()).isZero();
        assertThat(mx.received).hasSize(1);
    }

    @Test
    void successNotifyToAServerWithoutDsnGivesARelayedReport() throws Exception {
        PlainMx plain = new PlainMx();
        closeables.add(plain);
        spoolRemote(SENDER, "SUCCESS", null, "bob@one.test");
        queue(zone().build(), settings(plain.port())).runOnce();
        assertThat(plain.messages).hasSize(1);
        assertThat(dsns()).singleElement().satisfies(d -> assertThat(d)
                .contains("Subject: Mail Relayed: Delivery Report")
                .contains("Content-Type: multipart/report; report-type=delivery-status")
                .contains("Final-Recipient: rfc822; bob@one.test")
                .contains("Action: relayed")
                .contains("Status: 2.0.0")
                .contains("Remote-MTA: dns; mx1.one.test")
                .contains("Content-Type: text/rfc822-headers")
                .doesNotContain("Hi there."));
    }

    @Test
    void temporaryFailureIsDeferredOnTheBackoffSchedule() throws Exception {
        long id = spoolRemote(SENDER, null, null, "later@one.test");
        OutboundDelivery q = queue();
        q.runOnce();
        Delivery d = deliveries(id).getFirst();
        assertThat(d.state()).isEqualTo(State.PENDING);
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.lastReply()).startsWith("450 4.2.1");
        assertThat(Duration.between(T0, d.nextAttemptAt())).isBetween(Duration.ofSeconds(270), Duration.ofSeconds(330)); // 5 min ±10%
        assertThat(q.runOnce()).isZero(); // not due yet
        clock.advance(Duration.ofMinutes(6));
        assertThat(q.runOnce()).isEqualTo(1);
        Delivery d2 = deliveries(id).getFirst();
        assertThat(d2.attempts()).isEqualTo(2);
        assertThat(Duration.between(clock.instant(), d2.nextAttemptAt())).isBetween(Duration.ofSeconds(540), Duration.ofSeconds(660)); // 10 min ±10%
        assertThat(dsns()).isEmpty();
    }

    @Test
    void permanentRecipientFailureBouncesWithRfc3464Fields() throws Exception {
        long id = spoolRemote(SENDER, null, "HDRS", "reject@one.test", "bob@one.test");
        queue().runOnce();
        assertThat(mx.received).hasSize(1);
        assertThat(store.spool().get(id)).isEmpty(); // both settled (one FAILED, one DELIVERED), the DSN spooled: purged
        assertThat(dsns()).singleElement().satisfies(d -> assertThat(d)
                .contains("From: Mail Delivery System <MAILER-DAEMON@out.test>")
                .contains("To: <alice@local.test>")
                .contains("Auto-Submitted: auto-replied")
                .contains("Content-Type: multipart/report; report-type=delivery-status")
                .contains("Content-Type: message/delivery-status")
                .contains("Reporting-MTA: dns; out.test")
                .contains("Original-Envelope-Id: envid-42")
                .contains("Arrival-Date: Sun, 1 Mar 2026 10:00:00 +0000")
                .contains("Original-Recipient: rfc822;reject@one.test")
                .contains("Final-Recipient: rfc822; reject@one.test")
                .contains("Action: failed")
                .contains("Status: 5.1.1")
                .contains("Remote-MTA: dns; mx1.one.test")
                .contains("Diagnostic-Code: smtp; 550 5.1.1 No such user here")
                .contains("Last-Attempt-Date: Sun, 1 Mar 2026 10:00:00 +0000")
                .contains("Content-Type: text/rfc822-headers")
                .contains("Subject: hello")
                .doesNotContain("bob@one.test\r\nAction")
                .doesNotContain("Hi there."));
    }

    @Test
    void retFullReturnsTheWholeMessage() throws Exception {
        spoolRemote(SENDER, "FAILURE", "FULL", "reject@one.test");
        queue().runOnce();
        assertThat(dsns()).singleElement().satisfies(d -> assertThat(d)
                .contains("Content-Type: message/rfc822").contains("Hi there."));
    }

    @Test
    void expiryAfterMaxAgeBounces() throws Exception {
        long id = spoolRemote(SENDER, "FAILURE", null, "bob@one.test");
        mx.tempFailAll = true;
        OutboundDelivery q = queue();
        q.runOnce();
        assertThat(deliveries(id).getFirst().state()).isEqualTo(State.PENDING);
        clock.advance(Duration.ofDays(5));
        q.runOnce();
        assertThat(deliveries(id)).isEmpty(); // FAILED and its DSN spooled: purged
        assertThat(dsns()).singleElement().satisfies(x -> assertThat(x)
                .contains("Action: failed").contains("Status: 4.3.2").contains("Gave up after 120 hours"));
        assertThat(mx.received).isEmpty();
    }

    @Test
    void delayWarningIsSentOnceAfterFourHours() throws Exception {
        long id = spoolRemote(SENDER, null, null, "bob@one.test");
        mx.tempFailAll = true;
        OutboundDelivery q = queue();
        q.runOnce();
        assertThat(dsns()).isEmpty();
        clock.advance(Duration.ofHours(4).plusMinutes(1));
        store.outbound().retryNow(id);
        q.runOnce();
        assertThat(dsns()).singleElement().satisfies(x -> assertThat(x)
                .contains("Subject: Delayed Mail (still being retried)").contains("Action: delayed").contains("Status: 4.3.2")
                .contains("Will-Retry-Until: Fri, 6 Mar 2026 10:00:00 +0000"));
        clock.advance(Duration.ofHours(4));
        store.outbound().retryNow(id);
        q.runOnce();
        assertThat(dsns()).hasSize(1);
        assertThat(deliveries(id).getFirst().warnedAt()).isNotNull();
    }

    @Test
    void noDelayWarningWhenNotifyLeavesDelayOut() throws Exception {
        long id = spoolRemote(SENDER, "FAILURE", null, "bob@one.test");
        mx.tempFailAll = true;
        clock.advance(Duration.ofHours(5));
        queue().runOnce();
        assertThat(deliveries(id).getFirst().state()).isEqualTo(State.PENDING);
        assertThat(dsns()).isEmpty();
    }

    @Test
    void nullMxIsAPermanentFailureWithoutAConnection() throws Exception {
        long id = spoolRemote(SENDER, null, null, "x@null.test");
        queue().runOnce();
        assertThat(deliveries(id)).isEmpty(); // FAILED, DSN spooled, purged
        assertThat(mx.connections.get()).isZero();
        assertThat(dsns()).singleElement().satisfies(x -> assertThat(x).contains("Status: 5.1.10").contains("null MX"));
    }

    @Test
    void nonexistentDomainFailsAndNeverNotifyMeansNoDsn() throws Exception {
        long id = spoolRemote(SENDER, "NEVER", null, "x@nowhere.test", "y@nowhere.test");
        store.outbound().hold(id);
        long other = spoolRemote(SENDER, null, null, "z@nowhere.test");
        OutboundDelivery q = queue();
        q.runOnce();
        assertThat(dsns()).singleElement().satisfies(x -> assertThat(x).contains("Status: 5.1.2").contains("does not exist"));
        assertThat(store.spool().get(other)).isEmpty();
        store.outbound().release(id);
        q.runOnce();
        assertThat(dsns()).hasSize(1); // NOTIFY=NEVER: nothing more
        assertThat(store.spool().get(id)).isEmpty();
    }

    @Test
    void aBounceIsNeverBounced() throws Exception {
        long id = spoolRemote("", null, null, "reject@one.test");
        queue().runOnce();
        assertThat(deliveries(id)).isEmpty(); // failed, nothing owed: purged
        assertThat(store.spool().list(100)).isEmpty();
    }

    @Test
    void oneConnectionCarriesAllMessagesForADomain() throws Exception {
        spoolRemote(SENDER, null, null, "bob@one.test");
        spoolRemote(SENDER, null, null, "carol@one.test", "dave@one.test");
        assertThat(queue().runOnce()).isEqualTo(3);
        assertThat(mx.received).hasSize(2);
        assertThat(mx.connections.get()).isEqualTo(1);
    }

    @Test
    void mxHostsAreTriedInPreferenceOrderAndAnUnreachableOneIsSkipped() throws Exception {
        // 127.0.0.2 has nothing listening on the fake MX's port: connection refused, next host
        ZoneResolver r = ZoneResolver.builder()
                .mx("two.test", 20, "backup.two.test").mx("two.test", 10, "dead.two.test")
                .a("dead.two.test", "127.0.0.2").a("backup.two.test", "127.0.0.1").build();
        long id = spoolRemote(SENDER, null, null, "bob@two.test");
        queue(r, settings(mx.port())).runOnce();
        assertThat(mx.received).hasSize(1);
        assertThat(store.spool().get(id)).isEmpty();
    }

    @Test
    void allHostsUnreachableDefers() throws Exception {
        ZoneResolver r = ZoneResolver.builder().mx("two.test", 10, "dead.two.test").a("dead.two.test", "127.0.0.2").build();
        long id = spoolRemote(SENDER, null, null, "bob@two.test");
        queue(r, settings(mx.port())).runOnce();
        Delivery d = deliveries(id).getFirst();
        assertThat(d.state()).isEqualTo(State.PENDING);
        assertThat(d.lastReply()).startsWith("451 4.4.1");
    }

    @Test
    void smarthostWithAuthPlainOverStartTls() throws Exception {
        var creds = PasswordHasher.hash("relay secret".toCharArray(), 1000, 4096);
        CredentialLookup accounts = name -> name.equals("out@relay.test")
                ? Optional.of(new CredentialLookup.Account("out@relay.test", creds)) : Optional.empty();
        FakeMx relay = FakeMx.submission(TestTls.server(), SaslMechanisms.standard(accounts));
        closeables.add(relay);
        QueueSettings s = settings(25)
                .withRelay(new QueueSettings.HostPort("relay.test", relay.port()), "out@relay.test", "relay secret".toCharArray())
                .withClient(ClientSettings.defaults().withTimeouts(ClientSettings.Timeouts.uniform(Duration.ofSeconds(10)))
                        .withPkixTrust(TestTls.trust()));
        long id = spoolRemote(SENDER, null, null, "someone@far.test");
        queue(ZoneResolver.builder().a("relay.test", "127.0.0.1").build(), s).runOnce();
        assertThat(relay.received).singleElement().satisfies(r -> {
            assertThat(r.tls()).isTrue();
            assertThat(r.user()).isEqualTo("out@relay.test");
        });
        assertThat(store.spool().get(id)).isEmpty();
    }

    @Test
    void smarthostWithAWrongPasswordDefers() throws Exception {
        var creds = PasswordHasher.hash("right".toCharArray(), 1000, 4096);
        FakeMx relay = FakeMx.submission(TestTls.server(), SaslMechanisms.standard(
                name -> Optional.of(new CredentialLookup.Account(name, creds))));
        closeables.add(relay);
        QueueSettings s = settings(25).withRelay(new QueueSettings.HostPort("127.0.0.1", relay.port()), "u@relay.test", "wrong".toCharArray())
                .withClient(ClientSettings.defaults().withTimeouts(ClientSettings.Timeouts.uniform(Duration.ofSeconds(10)))
                        .withPkixTrust(TestTls.trust()));
        long id = spoolRemote(SENDER, null, null, "someone@far.test");
        queue(ZoneResolver.builder().build(), s).runOnce();
        assertThat(relay.received).isEmpty();
        Delivery d = deliveries(id).getFirst();
        assertThat(d.state()).isEqualTo(State.PENDING);
        assertThat(d.lastReply()).startsWith("454 4.7.0");
    }

    @Test
    void transportRuleOverridesMx() throws Exception {
        QueueSettings s = settings(1).withTransports(java.util.Map.of("one.test", new QueueSettings.HostPort("127.0.0.1", mx.port())));
        spoolRemote(SENDER, null, null, "bob@one.test");
        queue(ZoneResolver.builder().build(), s).runOnce();
        assertThat(mx.received).hasSize(1);
    }

    @Test
    void heldMessagesWaitUntilReleased() throws Exception {
        long id = spoolRemote(SENDER, null, null, "bob@one.test");
        store.outbound().hold(id);
        OutboundDelivery q = queue();
        assertThat(q.runOnce()).isZero();
        store.outbound().release(id);
        assertThat(q.runOnce()).isEqualTo(1);
        assertThat(mx.received).hasSize(1);
    }

    @Test
    void adminBounceSendsAFailureDsn() throws Exception {
        long id = spoolRemote(SENDER, null, null, "bob@one.test");
        store.outbound().bounce(id, "554 5.0.0 Bounced by the administrator");
        queue().runOnce();
        assertThat(mx.received).isEmpty();
        assertThat(dsns()).singleElement().satisfies(x -> assertThat(x).contains("Action: failed").contains("Status: 5.0.0")
                .contains("Bounced by the administrator"));
    }

    @Test
    void restartAfterADeliveryDoesNotDeliverAgain() throws Exception {
        spoolRemote(SENDER, null, null, "bob@one.test", "later@one.test");
        queue().runOnce();
        assertThat(mx.received).hasSize(1);
        // a restart on the same data: the accepted recipient is never sent again, the deferred one is retried
        for (AutoCloseable c : closeables.reversed()) c.close();
        closeables.clear();
        store.close();
        store = Store.open(new StoreConfig(dir, null, null, null, clock));
        clock.advance(Duration.ofHours(1));
        OutboundDelivery q = queue();
        assertThat(q.runOnce()).isEqualTo(1);
        assertThat(mx.received).hasSize(1);
        assertThat(mx.received.getFirst().tx().recipients()).extracting(r -> r.address().toString()).containsExactly("bob@one.test");
    }

    @Test
    void backgroundSchedulerDeliversWhenWoken() throws Exception {
        OutboundDelivery q = queue(zone().build(), settings(mx.port()).withPollInterval(Duration.ofMillis(100)));
        q.start();
        spoolRemote(SENDER, null, null, "bob@one.test");
        q.wake();
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (mx.received.isEmpty() && System.nanoTime() < end) Thread.sleep(20);
        assertThat(mx.received).hasSize(1);
    }

    @Test
    void concurrentConnectionsNeverSendADeliveryTwice() throws Exception {
        // regression: a connection finishing while the scheduler read the due list made the round
        // see its deliveries as free again (bench/run-outbound.sh found 103 duplicates in 20,000)
        int n = 300;
        for (int i = 0; i < n; i++) spoolRemote(SENDER, null, null, "rcpt" + i + "@one.test");
        QueueSettings s = settings(mx.port()).withConcurrencyPerDomain(4).withPollInterval(Duration.ofMillis(50));
        OutboundDelivery q = queue(zone().build(), s);
        q.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while ((mx.received.size() < n || !store.outbound().list(10).isEmpty()) && System.nanoTime() < deadline) Thread.sleep(20);
        Thread.sleep(300); // anything sent twice would arrive now
        List<String> rcpts = mx.received.stream().flatMap(r -> r.tx().recipients().stream()).map(r -> r.address().toString()).toList();
        assertThat(rcpts).hasSize(n).doesNotHaveDuplicates();
        assertThat(store.outbound().list(10)).isEmpty();
    }
}
