package dev.sealpost.queue;

import dev.sealpost.core.metrics.Meters;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.dns.Resolver;
import dev.sealpost.smtp.client.AuthMechanism;
import dev.sealpost.smtp.client.BodyType;
import dev.sealpost.smtp.client.Capabilities;
import dev.sealpost.smtp.client.DeliveryResult;
import dev.sealpost.smtp.client.Envelope;
import dev.sealpost.smtp.client.MessageSource;
import dev.sealpost.smtp.client.Outcome;
import dev.sealpost.smtp.client.RecipientResult;
import dev.sealpost.smtp.client.SmtpClient;
import dev.sealpost.smtp.client.SmtpClientException;
import dev.sealpost.smtp.client.SmtpConnection;
import dev.sealpost.smtp.client.TlsOutcome;
import dev.sealpost.smtp.client.TlsRequirement;
import dev.sealpost.smtp.proto.Reply;
import dev.sealpost.store.BlobRef;
import dev.sealpost.store.BlobWriter;
import dev.sealpost.store.OutboundQueue;
import dev.sealpost.store.OutboundQueue.Delivery;
import dev.sealpost.store.OutboundQueue.DsnAction;
import dev.sealpost.store.OutboundQueue.DueDomain;
import dev.sealpost.store.OutboundQueue.DueMessage;
import dev.sealpost.store.OutboundQueue.QueueMessage;
import dev.sealpost.store.OutboundQueue.Result;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The remote transport: delivers the outbound queue's due deliveries over SMTP, one virtual
 * thread per connection, at most {@link QueueSettings#concurrencyPerDomain()} connections per
 * destination domain; all due messages for a domain go over one connection (RSET between,
 * done by the client) up to {@link QueueSettings#messagesPerConnection()}.
 *
 * <p>Each message's per-recipient results are committed in one store transaction right after
 * the remote server's reply (see {@link OutboundQueue} for the crash window). Temporary
 * failures are retried on {@link RetrySchedule}; a message older than its maximum age fails.
 * DSNs (RFC 3464) are spooled from the null sender to the original sender: failures, one delay
 * warning, and success reports ("relayed") for NOTIFY=SUCCESS when the next hop does not offer
 * DSN itself (RFC 3461 §5.2.2); never for a message from the null sender.
 */
public final class OutboundDelivery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboundDelivery.class);

    private final Store store;
    private final OutboundQueue queue;
    private final QueueSettings settings;
    private final Router router;
    private final TlsPolicy tlsPolicy;
    private final OutboundSigner signer;
    private final Clock clock;
    private final RandomGenerator random;
    private final Runnable onSpooled;
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    /**
     * Deliveries whose connection ended since the current {@link #dispatch} round began: the round's
     * snapshot of due work may predate their results, so they are not taken again in this round
     * (without this, a delivery finished while the round was reading the queue was sent twice).
     */
    private final Set<Long> finishedThisRound = ConcurrentHashMap.newKeySet();
    private final Object roundLock = new Object();
    private final Map<String, Semaphore> perDomain = new ConcurrentHashMap<>();
    private final Semaphore connections;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore wake = new Semaphore(0);
    private final Object notifyLock = new Object();
    private volatile boolean running;
    private Thread thread;

    /**
     * @param tlsPolicy TLS per destination ({@link TlsPolicy#opportunistic} by default)
     * @param signer    the before-first-attempt hook ({@link OutboundSigner#NONE})
     * @param onSpooled called after a DSN was spooled (wire: local delivery's wake)
     */
    public OutboundDelivery(Store store, Resolver resolver, QueueSettings settings, TlsPolicy tlsPolicy, OutboundSigner signer,
                            Clock clock, RandomGenerator random, Runnable onSpooled) {
        this.store = store;
        this.queue = store.outbound();
        this.settings = settings;
        this.router = new Router(resolver, settings, random);
        this.tlsPolicy = tlsPolicy;
        this.signer = signer;
        this.clock = clock;
        this.random = random;
        this.onSpooled = onSpooled == null ? () -> { } : onSpooled;
        this.connections = new Semaphore(settings.maxConnections());
    }

    /** Opportunistic TLS (PKIX-verified and required towards a smarthost we authenticate to), no signing. */
    public OutboundDelivery(Store store, Resolver resolver, QueueSettings settings, Clock clock, Runnable onSpooled) {
        this(store, resolver, settings, defaultTls(settings), OutboundSigner.NONE, clock, new java.util.Random(), onSpooled);
    }

    /** The default TLS policy: see {@link #OutboundDelivery(Store, Resolver, QueueSettings, Clock, Runnable)}. */
    public static TlsPolicy defaultTls(QueueSettings settings) {
        return settings.relayUser() != null ? TlsPolicy.pkixRequired(settings.client()) : TlsPolicy.opportunistic(settings.client());
    }

    /** Starts the scheduler thread; deliveries due from before a restart go first. */
    public synchronized void start() {
        if (running) return;
        running = true;
        thread = Thread.ofPlatform().name("outbound-delivery").daemon(true).start(this::loop);
    }

    /** Tells the scheduler that there may be new work. Cheap; callable from any thread. */
    public void wake() {
        if (wake.availablePermits() == 0) wake.release();
    }

    private void loop() {
        while (running) {
            try {
                dispatch();
                sendNotifications();
                queue.purgeFinished();
                wake.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (dev.sealpost.store.StoreException e) {
                // a store failure (disk full, I/O error) is not our bug: one line, and the round is
                // retried; nothing was marked done, so every message stays queued
                log.warn("outbound queue round failed ({}): {}; retrying", e.kind(), e.getMessage());
                try {
                    Thread.sleep(Math.min(settings.pollInterval().toMillis(), 1000));
                } catch (InterruptedException ie) {
                    return;
                }
            } catch (RuntimeException e) {
                log.error("outbound queue round failed; retrying", e);
                try {
                    Thread.sleep(Math.min(settings.pollInterval().toMillis(), 1000));
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /**
     * One full round, synchronously: delivers everything due now, spools the DSNs it owes and
     * removes finished messages. Returns the number of deliveries attempted. (Tests; the
     * scheduler thread does the same without waiting for slow connections.)
     */
    public int runOnce() {
        List<Future<Integer>> started = dispatch();
        int n = 0;
        for (Future<Integer> f : started) {
            try {
                n += f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                log.error("outbound delivery task failed", e.getCause());
            }
        }
        sendNotifications();
        queue.purgeFinished();
        return n;
    }

    /** Starts a connection task for each chunk of due work that is not in flight and has a free slot. */
    private synchronized List<Future<Integer>> dispatch() {
        List<Future<Integer>> out = new ArrayList<>();
        synchronized (roundLock) {
            // results committed before this point are in the snapshot read below; later ones are recorded here
            finishedThisRound.clear();
        }
        for (DueDomain dd : queue.due(clock.instant(), OutboundQueue.MAX_BATCH)) {
            // REQUIRETLS messages go over their own connections: they need PKIX (RFC 8689 §4.2.1);
            // so do TLS-RPT reports, which must not honour MTA-STS or DANE failures (RFC 8460 §5.3.1)
            Map<ConnectionKind, List<DueMessage>> byTls = new LinkedHashMap<>();
            for (DueMessage m : dd.messages()) {
                List<Delivery> free = m.deliveries().stream()
                        .filter(d -> !inFlight.contains(d.id()) && !finishedThisRound.contains(d.id())).toList();
                if (free.isEmpty()) continue;
                ConnectionKind kind = new ConnectionKind(m.message().requireTls(), !m.message().requireTls() && TlsRptSender.isReport(m.message()));
                byTls.computeIfAbsent(kind, k -> new ArrayList<>()).add(new DueMessage(m.message(), free));
            }
            Semaphore slots = perDomain.computeIfAbsent(dd.domain(), k -> new Semaphore(settings.concurrencyPerDomain()));
            for (var e : byTls.entrySet()) {
                List<DueMessage> all = e.getValue();
                for (int i = 0; i < all.size(); i += settings.messagesPerConnection()) {
                    List<DueMessage> chunk = all.subList(i, Math.min(all.size(), i + settings.messagesPerConnection()));
                    if (!slots.tryAcquire()) break; // the domain is busy: the rest waits for the next round
                    if (!connections.tryAcquire()) {
                        slots.release();
                        break;
                    }
                    List<Long> ids = chunk.stream().flatMap(m -> m.deliveries().stream()).map(Delivery::id).toList();
                    inFlight.addAll(ids);
                    ConnectionKind kind = e.getKey();
                    List<DueMessage> work = List.copyOf(chunk);
                    out.add(executor.submit(() -> {
                        try {
                            return deliverDomain(dd.domain(), work, kind);
                        } catch (RuntimeException ex) {
                            log.error("outbound delivery to {} failed; will retry", dd.domain(), ex);
                            return 0;
                        } finally {
                            synchronized (roundLock) {
                                // after the results are committed (deliverDomain has returned)
                                finishedThisRound.addAll(ids);
                                ids.forEach(inFlight::remove);
                            }
                            slots.release();
                            connections.release();
                            wake();
                        }
                    }));
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ one connection's work

    /** What a connection carries: REQUIRETLS messages, TLS-RPT reports, or other mail. */
    private record ConnectionKind(boolean requireTls, boolean report) {}

    private int deliverDomain(String domain, List<DueMessage> messages, ConnectionKind kind) {
        List<DueMessage> ready = new ArrayList<>();
        for (DueMessage m : messages) {
            DueMessage p = prepare(m);
            if (p != null) ready.add(p);
        }
        int attempted = ready.stream().mapToInt(m -> m.deliveries().size()).sum();
        if (ready.isEmpty()) return 0;
        switch (router.route(domain)) {
            case Router.Route.Permanent p -> {
                log.info("domain {}: {}", domain, p.reply());
                for (DueMessage m : ready) settleAll(m, p.reply(), null, true);
            }
            case Router.Route.Temporary t -> {
                log.info("domain {}: {}", domain, t.reply());
                for (DueMessage m : ready) settleAll(m, t.reply(), null, false);
            }
            case Router.Route.Hosts h -> deliverVia(domain, h, ready, kind);
        }
        return attempted;
    }

    /** Runs the signing hook once per message; null when the message cannot be prepared now (tried again later). */
    private DueMessage prepare(DueMessage m) {
        QueueMessage qm = m.message();
        if (signer == OutboundSigner.NONE || qm.prepared()) return m;
        try {
            MessageSource content = new StoredMessage(store.blobs(), qm.blob());
            byte[] fields = signer.headers(qm, content);
            BlobRef ref = null;
            if (fields.length > 0) {
                try (BlobWriter w = store.blobs().newWriter(); InputStream in = content.open()) {
                    w.write(fields);
                    in.transferTo(w);
                    ref = w.commit();
                }
            }
            queue.prepared(qm.id(), ref);
            QueueMessage updated = new QueueMessage(qm.id(), ref != null ? ref : qm.blob(), qm.mailFrom(), qm.receivedAt(),
                    qm.requireTls(), qm.smtpUtf8(), qm.bodyType(), qm.dsnRet(), qm.dsnEnvid(), qm.authUser(), qm.clientAddress(),
                    qm.helo(), true);
            return new DueMessage(updated, m.deliveries());
        } catch (IOException | RuntimeException e) {
            log.warn("queue id={} signing hook failed, will retry: {}", qm.id(), e.toString());
            Instant now = clock.instant();
            queue.record(m.deliveries().stream().map(d -> (Result) new OutboundQueue.Deferred(d.id(),
                    "451 4.3.0 Local error preparing the message", null, now, settings.retry().next(now, d.attempts() + 1, random),
                    false)).toList());
            return null;
        }
    }

    private void deliverVia(String domain, Router.Route.Hosts hosts, List<DueMessage> messages, ConnectionKind kind) {
        List<DueMessage> remaining = new ArrayList<>(messages);
        Reply lastError = Reply.of(451, "4.4.1", "No mail host for " + domain + " could be reached");
        String lastHost = null;
        for (Router.Target target : hosts.targets()) {
            if (remaining.isEmpty()) break;
            Opened opened = open(domain, target, hosts.relay(), kind);
            if (opened.error() != null) {
                lastError = opened.error();
                lastHost = opened.fromPeer() ? target.host() : null;
                continue;
            }
            SmtpConnection c = opened.connection();
            try {
                boolean dsnOffered = c.capabilities().dsn();
                for (DueMessage m : List.copyOf(remaining)) {
                    if (!c.isOpen()) break;
                    Envelope env;
                    try {
                        env = envelope(m);
                    } catch (IllegalArgumentException e) {
                        settleAll(m, Reply.of(554, "5.6.0", "Message cannot be sent: " + e.getMessage()), null, true);
                        remaining.remove(m);
                        continue;
                    }
                    DeliveryResult r = c.send(env, new StoredMessage(store.blobs(), m.message().blob()));
                    if (!r.fromPeer() && !r.possiblyDelivered()) {
                        // made by the client: a lost connection, or a requirement this server cannot meet;
                        // another host may do (RFC 8689 §4.2.1)
                        lastError = r.reply();
                        lastHost = null;
                        log.info("queue id={} not sent to {}: {}", m.message().id(), target, r.reply());
                        continue;
                    }
                    settle(m, r, target.host(), dsnOffered);
                    notifyRelayed(m, r, target, c);
                    remaining.remove(m);
                }
            } finally {
                c.quit();
            }
        }
        for (DueMessage m : remaining) settleAll(m, lastError, lastHost, lastError.code() >= 500);
    }

    private record Opened(SmtpConnection connection, Reply error, boolean fromPeer) {}

    /** Told of every transaction with a next hop (the evidence log), or null. */
    private volatile RelayListener relayListener;

    /** Tells {@code l} of every SMTP transaction with a next hop, after its results are recorded; null for none. */
    public OutboundDelivery onRelayed(RelayListener l) {
        this.relayListener = l;
        return this;
    }

    private void notifyRelayed(DueMessage m, DeliveryResult r, Router.Target target, SmtpConnection c) {
        RelayListener l = relayListener;
        if (l == null) return;
        try {
            List<String> accepted = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            List<RecipientResult> rr = r.recipients();
            for (int i = 0; i < m.deliveries().size(); i++) {
                RecipientResult x = i < rr.size() ? rr.get(i) : new RecipientResult(null, r.reply(), r.outcome());
                switch (x.outcome()) {
                    case ACCEPTED -> accepted.add(m.deliveries().get(i).address());
                    case PERMFAIL -> refused.add(m.deliveries().get(i).address());
                    default -> { }
                }
            }
            if (accepted.isEmpty() && refused.isEmpty()) return;
            dev.sealpost.smtp.client.TlsOutcome tls = c.tls();
            String spki = null;
            if (tls != null && !tls.peerChain().isEmpty()) {
                spki = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(tls.peerChain().getFirst().getPublicKey().getEncoded()));
            }
            QueueMessage q = m.message();
            l.relayed(new RelayListener.Relayed(q.id(), q.blob().id(), q.mailFrom(), q.authUser(), target.host(),
                    target.address().getHostAddress(), r.reply().toString(), tls == null ? null : tls.protocol(),
                    tls == null ? null : tls.cipherSuite(), tls != null && tls.authenticated(), spki, accepted, refused));
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            log.error("queue id={} relay listener failed", m.message().id(), e);
        }
    }

    /** Connects, EHLO, STARTTLS per the TLS policy, AUTH towards a relay. */
    private Opened open(String domain, Router.Target target, boolean relay, ConnectionKind kind) {
        boolean requireTls = kind.requireTls();
        TlsPolicy.TlsDecision tls = tlsPolicy.decide(relay ? target.host() : domain, target.host(), requireTls, kind.report());
        if (tls.refusal() != null) {
            // RFC 7672 §2.2 (TLSA look-up failed or bogus), RFC 8461 §4.1 (MX not in an enforced policy): not this host
            log.info("not connecting to {}: {}", target, tls.refusal());
            tlsOutcome("refused");
            return new Opened(null, Reply.of(451, "4.7.5", "Not delivering to " + target.host() + ": " + tls.refusal()), false);
        }
        if (requireTls && tls.requirement() == TlsRequirement.OPPORTUNISTIC) {
            // RFC 8689 §4.2.1: REQUIRETLS needs an authenticated server, whatever the policy says
            tls = new TlsPolicy.TlsDecision(TlsRequirement.PKIX, TlsPolicy.pkixFactory(settings.client().pkixTrust()), true, "REQUIRETLS",
                    null, tls.observer());
        }
        Opened o = connect(target, tls, requireTls, true);
        if (o.error() == null && relay && settings.relayUser() != null) {
            SmtpConnection c = o.connection();
            try {
                c.auth(mechanism(c.capabilities()), settings.relayUser(), settings.relayPassword());
            } catch (IOException e) {
                c.close();
                log.warn("relay {}: authentication as {} failed: {}", target, settings.relayUser(), e.getMessage());
                return new Opened(null, Reply.of(454, "4.7.0", "Authentication at relay " + target.host() + " failed: " + e.getMessage()), false);
            }
        }
        return o;
    }

    private Opened connect(Router.Target target, TlsPolicy.TlsDecision tls, boolean requireTls, boolean tryTls) {
        SmtpConnection c;
        try {
            c = SmtpClient.connect(new InetSocketAddress(target.address(), target.port()), settings.client());
        } catch (IOException e) {
            log.info("cannot connect to {}: {}", target, e.toString());
            return new Opened(null, Reply.of(451, "4.4.1", "Connection to " + target + " failed: " + e.getMessage()), false);
        }
        try {
            if (c.greeting().code() != 220) {
                // RFC 5321 §3.1: a 554 greeting means no service here: try the next host
                Reply g = c.greeting();
                c.quit();
                return new Opened(null, g.code() >= 500 ? Reply.of(451, "4.4.0", "Host " + target.host() + " refused service: " + g) : g, true);
            }
            Capabilities caps = c.ehlo(settings.hostname());
            if (tryTls && caps.startTls()) {
                try {
                    TlsOutcome outcome = c.startTls(tls.factory(), target.host(), tls.requirement());
                    tls.observer().established(outcome);
                    tlsOutcome(switch (tls.requirement()) {
                        case TRUST_MANAGER -> "dane"; // RFC 7672: the TLSA trust manager authenticated the server
                        case PKIX -> "pkix"; // MTA-STS enforce (RFC 8461 §4.2) or REQUIRETLS (RFC 8689)
                        case OPPORTUNISTIC -> "opportunistic";
                    });
                } catch (SmtpClientException e) {
                    c.close();
                    tls.observer().failed(switch (e.kind()) {
                        case REFUSED, NOT_OFFERED -> TlsPolicy.Failure.STARTTLS_NOT_OFFERED;
                        case TLS_CERTIFICATE -> TlsPolicy.Failure.CERTIFICATE;
                        default -> TlsPolicy.Failure.HANDSHAKE;
                    }, e.getMessage());
                    if (tls.mandatory()) return new Opened(null, tlsFailure(requireTls, target, e.getMessage()), false);
                    // RFC 7435 §3: opportunistic TLS that fails falls back to a cleartext connection
                    log.info("{}: STARTTLS failed ({}), retrying without TLS", target, e.getMessage());
                    return connect(target, tls.withObserver(TlsPolicy.Observer.NONE), requireTls, false);
                }
            } else if (tryTls) {
                // RFC 3207 §4: not offered (perhaps stripped by an attacker in the path)
                tls.observer().failed(TlsPolicy.Failure.STARTTLS_NOT_OFFERED, "STARTTLS not offered");
                if (tls.mandatory()) {
                    c.quit();
                    return new Opened(null, tlsFailure(requireTls, target, "STARTTLS not offered"), false);
                }
            } else if (tls.mandatory()) {
                c.quit();
                return new Opened(null, tlsFailure(requireTls, target, "STARTTLS not offered"), false);
            }
            if (c.tls() == null) tlsOutcome("plaintext");
            return new Opened(c, null, true);
        } catch (SmtpClientException e) {
            c.close();
            Reply r = e.reply() != null ? e.reply() : Reply.of(451, "4.4.2", "Session with " + target + " failed: " + e.getMessage());
            return new Opened(null, r.code() >= 500 ? Reply.of(451, "4.4.2", "Host " + target.host() + " refused: " + r) : r, e.reply() != null);
        } catch (IOException | RuntimeException e) {
            c.close();
            return new Opened(null, Reply.of(451, "4.4.2", "Session with " + target + " failed: " + e.getMessage()), false);
        }
    }

    private static Reply tlsFailure(boolean requireTls, Router.Target target, String why) {
        return requireTls
                ? Reply.of(550, "5.7.30", "REQUIRETLS: no authenticated TLS with " + target.host() + ": " + why) // RFC 8689 §5
                : Reply.of(454, "4.7.5", "TLS required by policy but not achieved with " + target.host() + ": " + why);
    }

    private static AuthMechanism mechanism(Capabilities caps) {
        Set<String> offered = caps.authMechanisms();
        if (offered.contains("PLAIN")) return AuthMechanism.PLAIN;
        if (offered.contains("SCRAM-SHA-256")) return AuthMechanism.SCRAM_SHA_256;
        return AuthMechanism.LOGIN;
    }

    /** The SMTP envelope: the message's sender and these deliveries' addresses with their DSN parameters. */
    static Envelope envelope(DueMessage m) {
        QueueMessage qm = m.message();
        EmailAddress sender = qm.nullSender() ? null : EmailAddress.parse(qm.mailFrom())
                .orElseThrow(() -> new IllegalArgumentException("bad sender address " + qm.mailFrom()));
        List<Envelope.Recipient> rcpts = new ArrayList<>();
        for (Delivery d : m.deliveries()) {
            EmailAddress a = EmailAddress.parse(d.address()).orElseThrow(() -> new IllegalArgumentException("bad recipient address " + d.address()));
            List<String> notify = d.notifyAbsent() ? List.of()
                    : java.util.Arrays.stream(d.dsnNotify().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            String orcpt = d.orcpt() != null && d.orcpt().indexOf(';') > 0 && !d.orcpt().endsWith(";") ? d.orcpt() : null;
            rcpts.add(new Envelope.Recipient(a, notify, orcpt));
        }
        BodyType body;
        try {
            body = BodyType.fromWire(qm.bodyType());
        } catch (IllegalArgumentException e) {
            body = BodyType.EIGHT_BIT_MIME; // unknown: the conservative choice that still converts when needed
        }
        String envid = qm.dsnEnvid() != null && qm.dsnEnvid().length() <= 100 && !qm.dsnEnvid().isEmpty() ? qm.dsnEnvid() : null;
        return new Envelope(sender, rcpts, body, qm.smtpUtf8(), qm.requireTls(), qm.dsnRet(), envid);
    }

    // ------------------------------------------------------------------ results

    /** Records one SMTP transaction's per-recipient results in one transaction. */
    private void settle(DueMessage m, DeliveryResult r, String host, boolean dsnOffered) {
        Instant now = clock.instant();
        List<Result> results = new ArrayList<>();
        List<RecipientResult> rr = r.recipients();
        for (int i = 0; i < m.deliveries().size(); i++) {
            Delivery d = m.deliveries().get(i);
            RecipientResult x = i < rr.size() ? rr.get(i) : new RecipientResult(null, r.reply(), r.outcome());
            String reply = x.reply().toString();
            String mta = r.fromPeer() ? host : null;
            results.add(switch (x.outcome()) {
                case ACCEPTED -> new OutboundQueue.Delivered(d.id(), reply, host, now,
                        // RFC 3461 §5.2.2: a server offering DSN got NOTIFY and reports itself; else we report "relayed"
                        !m.message().nullSender() && d.notifies("SUCCESS") && !dsnOffered ? DsnAction.RELAYED : null);
                case PERMFAIL -> new OutboundQueue.Failed(d.id(), reply, mta, now, failureDsn(m.message(), d));
                case TEMPFAIL -> deferOrExpire(m.message(), d, reply, mta, now);
            });
        }
        queue.record(results);
        countSettled("remote", results);
        log.info("queue id={} to {}: {}", m.message().id(), host, summary(results));
    }

    /** The same outcome for every delivery of a message (routing failures, no host reachable). */
    private void settleAll(DueMessage m, Reply reply, String host, boolean permanent) {
        Instant now = clock.instant();
        List<Result> results = new ArrayList<>();
        for (Delivery d : m.deliveries()) {
            results.add(permanent
                    ? new OutboundQueue.Failed(d.id(), reply.toString(), host, now, failureDsn(m.message(), d))
                    : deferOrExpire(m.message(), d, reply.toString(), host, now));
        }
        queue.record(results);
        countSettled("remote", results);
        log.info("queue id={}: {} ({})", m.message().id(), summary(results), reply);
    }

    private Result deferOrExpire(QueueMessage m, Delivery d, String reply, String host, Instant now) {
        if (settings.retry().expired(m.receivedAt(), now)) {
            return new OutboundQueue.Failed(d.id(), reply, host, now, failureDsn(m, d));
        }
        Instant next = settings.retry().next(now, d.attempts() + 1, random);
        Instant giveUp = m.receivedAt().plus(settings.retry().maxAge());
        if (next.isAfter(giveUp)) next = giveUp; // one last attempt at the deadline
        // RFC 3461 §4.1: DELAY asked for, or NOTIFY absent (the MTA may then warn); once (warned_at)
        boolean warn = !m.nullSender() && d.warnedAt() == null && (d.notifyAbsent() || d.notifies("DELAY"))
                && !now.isBefore(m.receivedAt().plus(settings.delayWarning()));
        return new OutboundQueue.Deferred(d.id(), reply, host, now, next, warn);
    }

    /** RFC 3461 §4.1: a failure DSN unless NOTIFY leaves FAILURE out; never to the null sender (RFC 5321 §4.5.5: no bounce of a bounce). */
    private static boolean failureDsn(QueueMessage m, Delivery d) {
        return !m.nullSender() && (d.notifyAbsent() || d.notifies("FAILURE"));
    }

    private static void tlsOutcome(String kind) {
        Meters.count(Meters.OUTBOUND_TLS, "Outbound SMTP connections by the TLS they had", "tls", kind);
    }

    /** Counts settled recipient deliveries by outcome (route: local or remote). */
    static void countSettled(String route, List<Result> results) {
        for (Result r : results) {
            String outcome = switch (r) {
                case OutboundQueue.Delivered x -> "delivered";
                case OutboundQueue.Deferred x -> "deferred";
                case OutboundQueue.Failed x -> "bounced";
            };
            Meters.count(Meters.DELIVERIES, "Recipient deliveries settled", "route", route, "outcome", outcome);
        }
    }

    private static String summary(List<Result> results) {
        int ok = 0, later = 0, failed = 0;
        for (Result r : results) {
            switch (r) {
                case OutboundQueue.Delivered x -> ok++;
                case OutboundQueue.Deferred x -> later++;
                case OutboundQueue.Failed x -> failed++;
            }
        }
        return "delivered=" + ok + " deferred=" + later + " failed=" + failed;
    }

    // ------------------------------------------------------------------ DSNs

    /** Spools every DSN owed (one per message and action) and returns how many were spooled. */
    public int sendNotifications() {
        synchronized (notifyLock) {
            int sent = 0;
            for (OutboundQueue.Notification n : queue.pendingNotifications(200)) {
                QueueMessage m = n.message();
                if (m.nullSender()) {
                    queue.clearNotifications(n.deliveries().stream().map(Delivery::id).toList()); // RFC 5321 §4.5.5: never bounce a bounce
                    continue;
                }
                Map<DsnAction, List<Delivery>> byAction = new LinkedHashMap<>();
                for (Delivery d : n.deliveries()) byAction.computeIfAbsent(d.dsnPending(), k -> new ArrayList<>()).add(d);
                for (var e : byAction.entrySet()) {
                    List<Long> ids = e.getValue().stream().map(Delivery::id).toList();
                    try {
                        Instant now = clock.instant();
                        DsnBuilder.Report report = new DsnBuilder.Report(settings.hostname(), m, e.getValue(), e.getKey(), now,
                                m.receivedAt().plus(settings.retry().maxAge()), settings.maxReturnedSize());
                        StoredMessage original = new StoredMessage(store.blobs(), m.blob());
                        byte[] dsn = DsnBuilder.build(report, original::open);
                        String senderDomain = m.mailFrom().substring(m.mailFrom().lastIndexOf('@') + 1);
                        if (store.directory().isLocalDomain(senderDomain.toLowerCase(java.util.Locale.ROOT))) {
                            // delivered here: final delivery adds Return-Path, the null path for a DSN (RFC 5321 §4.4, RFC 3464 §2)
                            byte[] rp = "Return-Path: <>\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                            byte[] with = new byte[rp.length + dsn.length];
                            System.arraycopy(rp, 0, with, 0, rp.length);
                            System.arraycopy(dsn, 0, with, rp.length, dsn.length);
                            dsn = with;
                        }
                        BlobRef ref = store.blobs().put(dsn);
                        Spool.Envelope env = new Spool.Envelope("", List.of(new Spool.Recipient(m.mailFrom(), null, null)), null,
                                settings.hostname(), null, "dsn-" + m.id(), false, m.smtpUtf8(),
                                DsnBuilder.eightBit(dsn) ? "8BITMIME" : "7BIT", null, null, now);
                        long id = queue.enqueueNotification(env, ref, ids);
                        sent++;
                        log.info("queue id={}: {} DSN for {} recipient(s) to <{}> spooled as queue id={}", m.id(), e.getKey().wire(),
                                ids.size(), m.mailFrom(), id);
                    } catch (IOException ex) {
                        log.warn("queue id={}: DSN could not be built ({}); will retry", m.id(), ex.toString());
                    }
                }
            }
            if (sent > 0) onSpooled.run();
            return sent;
        }
    }

    @Override
    public void close() {
        running = false;
        wake();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) executor.shutdownNow();
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
