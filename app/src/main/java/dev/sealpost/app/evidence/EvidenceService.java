package dev.sealpost.app.evidence;

import dev.sealpost.evidence.json.CanonicalJson;
import dev.sealpost.evidence.log.EvidenceLog;
import dev.sealpost.evidence.receipt.Receipts;
import dev.sealpost.evidence.record.EvidenceEvent;
import dev.sealpost.evidence.record.EvidenceRecord;
import dev.sealpost.evidence.tiles.Tiles;
import dev.sealpost.evidence.tsa.InternalCa;
import dev.sealpost.evidence.tsa.TimeStampAuthority;
import dev.sealpost.inbound.AcceptanceListener;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.smtp.server.MailTransaction;
import dev.sealpost.smtp.server.SessionInfo;
import dev.sealpost.store.Store;
import dev.sealpost.web.WebRoute;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The server's evidence log: records before "250" ({@link AcceptanceListener}), periodic
 * checkpoints, the web routes under {@code /evidence/}, and submission receipts.
 */
public final class EvidenceService implements AcceptanceListener, dev.sealpost.delivery.DeliveryListener, dev.sealpost.queue.RelayListener,
        AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EvidenceService.class);
    /** The per-message request for a receipt; taken out of the message (issue 17). */
    public static final String RECEIPT_HEADER = "Sealpost-Receipt";
    public static final String RECEIPTS_MAILBOX = "Receipts";
    public static final String PREFIX = "/evidence/";

    private final EvidenceLog evidence;
    private final GroupAppender appender;
    /** Moves acceptance records from the store's journal into the log (null: a store without one; records go straight to the log). */
    private final JournalAppender journal;
    private final TimeStampAuthority tsa;
    private final Store store;
    private final Clock clock;
    private final String hostname;
    private final Thread checkpointer;
    private final Thread stamper;
    /** Reads received reports (DSN, MDN) after the "250", one at a time, off the acceptance path. */
    private final java.util.concurrent.ExecutorService reports =
            java.util.concurrent.Executors.newSingleThreadExecutor(Thread.ofVirtual().name("evidence-reports").factory());
    private volatile boolean closed;

    private EvidenceService(EvidenceLog evidence, TimeStampAuthority tsa, Store store, Clock clock, String hostname, Duration every,
                            Duration stampEvery) {
        this.evidence = evidence;
        this.appender = new GroupAppender(evidence, this::signerOf);
        dev.sealpost.store.EvidenceJournal j;
        try {
            j = store == null ? null : store.evidenceJournal();
        } catch (UnsupportedOperationException e) {
            j = null;
        }
        this.journal = j == null ? null : new JournalAppender(evidence, j, this::signerOf);
        this.tsa = tsa;
        this.store = store;
        this.clock = clock;
        this.hostname = hostname;
        this.checkpointer = Thread.ofVirtual().name("evidence-checkpoints").start(() -> checkpoints(every));
        this.stamper = tsa != null && !evidence.stampsEachRecord()
                ? Thread.ofVirtual().name("evidence-timestamps").start(() -> treeStamps(stampEvery)) : null;
    }

    /**
     * Opens (creating when absent) the log in {@code dataDir/evidence} with origin
     * {@code <hostname>/evidence}, as its one writer; with {@code tsa}, the internal time-stamping
     * authority in {@code dataDir/evidence/tsa} (created when absent) stamps every record.
     */
    public static EvidenceService open(Path dataDir, String hostname, boolean tsa, Duration checkpointEvery, Store store, Clock clock)
            throws IOException {
        return open(dataDir, hostname, tsa, checkpointEvery, store, clock, false, Duration.ofSeconds(1));
    }

    /**
     * As {@link #open(Path, String, boolean, Duration, Store, Clock)}; with {@code tsaEachRecord}
     * every record gets its own RFC 3161 token before its "250", else the TSA stamps the tree head
     * every {@code stampEvery} when the log grew, for each receipt and at shutdown (one token over
     * the Merkle root dates every record in the tree; receipts carry the record's inclusion proof
     * to that root).
     */
    public static EvidenceService open(Path dataDir, String hostname, boolean tsa, Duration checkpointEvery, Store store, Clock clock,
                                       boolean tsaEachRecord, Duration stampEvery) throws IOException {
        TimeStampAuthority authority = null;
        if (tsa) {
            InternalCa ca = InternalCa.loadOrCreate(dataDir.resolve("evidence").resolve("tsa"), hostname + " evidence TSA", clock.instant());
            authority = new TimeStampAuthority(ca, clock);
        }
        EvidenceLog l = EvidenceLog.open(dataDir, hostname + "/evidence", authority, tsaEachRecord);
        if (!l.recovery().clean()) log.warn("evidence log recovered after a crash: {}", l.recovery());
        log.info("evidence log origin={} size={} tsa={}", l.origin(), l.size(), !tsa ? "off" : tsaEachRecord ? "each record" : "tree heads every " + stampEvery);
        EvidenceService service = new EvidenceService(l, authority, store, clock, hostname, checkpointEvery, stampEvery);
        if (service.journal != null) {
            try {
                // records committed with their acceptance whose append a crash cut off: into the log before serving
                int n = service.journal.recover();
                if (n > 0) log.warn("evidence journal: {} record(s) committed before a crash appended to the log at start", n);
            } catch (IOException | RuntimeException e) {
                service.close();
                throw e;
            }
            service.journal.start();
        }
        return service;
    }

    private final java.util.concurrent.locks.ReentrantLock keyCreation = new java.util.concurrent.locks.ReentrantLock();

    /**
     * The key that signs {@code r}: the current record key of its domain (the submitting account's,
     * else the first recipient's) when that domain is ours, created on its first record; else
     * (a foreign domain, or the key cannot be made) the log key.
     */
    private dev.sealpost.evidence.sign.Ed25519Key signerOf(EvidenceRecord r) {
        String address = r.account() != null ? r.account() : r.rcpt().isEmpty() ? null : r.rcpt().getFirst();
        int at = address == null ? -1 : address.lastIndexOf('@');
        if (at < 0) return evidence.key();
        String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        if (!dev.sealpost.evidence.sign.RecordKeys.validDomain(domain)) return evidence.key();
        var current = evidence.recordKeys().current(domain);
        if (current.isPresent()) return current.get();
        try {
            if (!store.directory().isLocalDomain(domain)) return evidence.key();
            keyCreation.lock();
            try {
                current = evidence.recordKeys().current(domain);
                if (current.isPresent()) return current.get();
                var k = dev.sealpost.evidence.sign.RecordKeys.rotate(evidence.directory(), domain, clock.instant());
                log.info("evidence record key for {} created: {}", domain, k.publicKey().verifierKey());
                return evidence.recordKeys().current(domain).orElse(evidence.key());
            } finally {
                keyCreation.unlock();
            }
        } catch (IOException | RuntimeException e) {
            log.error("evidence record key for {} not available, signing with the log key", domain, e);
            return evidence.key();
        }
    }

    /** The log (for tests and the CLI beside the server). */
    public EvidenceLog log() {
        return evidence;
    }

    // ------------------------------------------------------------------ records

    @Override
    public boolean consumesHeader(SessionInfo session, String name, String value) {
        // honoured from authenticated submission only; at the MX it is just an unknown field and stays
        return session.kind() != ListenerKind.MX && session.authenticatedUser() != null && name.equalsIgnoreCase(RECEIPT_HEADER);
    }

    /**
     * The acceptance's records, written into the store's journal in the spool's own transaction
     * (one durable round trip before the "250"; docs/evidence.md "One durable round trip"), then
     * appended to the log by {@link JournalAppender}. Null without a journal (records go straight
     * to the log in {@link #accepted(SessionInfo, MailTransaction, Accepted)}).
     */
    @Override
    public dev.sealpost.store.Spool.Journal journal(SessionInfo s, MailTransaction t, Pending p) {
        // tsa_each_record promises the record's own token before the "250": that mode keeps the direct append
        if (journal == null || evidence.stampsEachRecord()) return null;
        return new AcceptanceJournal(s, t, p);
    }

    /** Builds the records once the queue id and the blob are known, inside the spool's transaction. */
    private final class AcceptanceJournal implements dev.sealpost.store.Spool.Journal {
        private final SessionInfo session;
        private final MailTransaction tx;
        private final Pending pending;
        /** Of the last call (a transaction retried calls again): the ones committed. */
        volatile List<EvidenceRecord> records;

        AcceptanceJournal(SessionInfo session, MailTransaction tx, Pending pending) {
            this.session = session;
            this.tx = tx;
            this.pending = pending;
        }

        @Override
        public List<byte[]> entries(long queueId, dev.sealpost.store.BlobRef blob) {
            List<EvidenceRecord> batch = records(session, tx, new Accepted(queueId, blob.id(), blob.size(), pending.messageId(), pending.added(),
                    pending.removed(), pending.filed()));
            records = batch;
            List<byte[]> out = new ArrayList<>();
            for (EvidenceRecord r : batch) {
                byte[] bytes = r.canonicalBytes();
                journal.committing(r, bytes);
                out.add(bytes);
            }
            return out;
        }
    }

    @Override
    public void accepted(SessionInfo s, MailTransaction t, Accepted m, dev.sealpost.store.Spool.Journal j) throws IOException {
        if (!(j instanceof AcceptanceJournal aj) || aj.records == null) {
            accepted(s, t, m);
            return;
        }
        // committed with the spool rows: durable; the log takes it in the journal's order, off this path
        journal.kick();
        EvidenceRecord record = aj.records.getFirst();
        log.info("{} evidence record id={} event={} journaled queue id={}{}", s.sessionId(), record.id(), record.event().wire(), m.queueId(),
                aj.records.size() > 1 ? " (+ContentConsignment)" : "");
        afterRecord(s, t, m, record, true);
    }

    @Override
    public void accepted(SessionInfo s, MailTransaction t, Accepted m) throws IOException {
        List<EvidenceRecord> batch = records(s, t, m);
        EvidenceRecord record = batch.getFirst();
        EvidenceLog.Appended a = appender.appendAll(batch).getFirst();
        log.info("{} evidence record id={} event={} index={} queue id={}{}", s.sessionId(), record.id(), record.event().wire(), a.index(), m.queueId(),
                batch.size() > 1 ? " (+ContentConsignment)" : "");
        afterRecord(s, t, m, record, false);
    }

    /** The acceptance record, and a ContentConsignment record when copies were filed in the same commit. */
    private List<EvidenceRecord> records(SessionInfo s, MailTransaction t, Accepted m) {
        boolean submission = s.kind() != ListenerKind.MX;
        Map<String, Object> extra = new TreeMap<>();
        extra.put("queue_id", m.queueId());
        extra.put("size", m.size());
        extra.put("listener", s.kind().name().toLowerCase(Locale.ROOT));
        if (s.helo() != null) extra.put("helo", printable(s.helo()));
        if (s.tls() && s.tlsDescription() != null) extra.put("tls", printable(s.tlsDescription()));
        if (!submission) {
            List<Object> results = new ArrayList<>();
            for (String f : m.added()) {
                int colon = f.indexOf(':');
                if (colon > 0 && f.substring(0, colon).trim().equalsIgnoreCase("Authentication-Results")) {
                    results.add(printable(f.substring(colon + 1).replaceAll("\r?\n", "").strip()));
                }
            }
            extra.put("auth_results", results);   // RFC 8601: what our MX concluded about SPF, DKIM, DMARC, ARC
        }
        List<String> rcpt = new ArrayList<>();
        for (MailTransaction.Recipient r : t.recipients()) rcpt.add(r.address().toString());
        EvidenceRecord record = new EvidenceRecord(EvidenceRecord.newId(),
                submission ? EvidenceEvent.SUBMISSION_ACCEPTANCE : EvidenceEvent.RECEIVED_FROM_NON_REM, clock.instant(),
                m.messageId() == null ? null : printable(m.messageId()), m.sha256(),
                t.reversePath() == null ? "" : t.reversePath().toString(), rcpt,
                submission ? s.authenticatedUser() : null, s.remote().getAddress().getHostAddress(), extra);
        List<EvidenceRecord> batch = new ArrayList<>(List.of(record));
        if (!m.filed().isEmpty()) {
            // filed into local mailboxes in the same commit as the spool row: delivered already
            batch.add(new EvidenceRecord(EvidenceRecord.newId(), EvidenceEvent.CONTENT_CONSIGNMENT, clock.instant(), record.messageId(),
                    m.sha256(), record.mailFrom(), m.filed(), record.account(), null, Map.of("queue_id", m.queueId())));
        }
        return batch;
    }

    /** After the record is durable: a received report's own record, and the submission receipt when asked for. */
    private void afterRecord(SessionInfo s, MailTransaction t, Accepted m, EvidenceRecord record, boolean journaled) {
        boolean submission = s.kind() != ListenerKind.MX;
        if (!submission) {
            try {
                reports.execute(() -> reportReceived(s.sessionId(), record, m));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // shutting down: the report's own record is lost, its reception record is not
            }
        }
        if (submission && wantsReceipt(m.removed())) {
            try {
                // the receipt holds the inclusion proof: wait for the journal's record to reach the log (rare: asked for)
                if (journaled && !awaitInLog(record.id())) throw new IOException("record " + record.id() + " not in the log after 10 s");
                fileReceipt(s.authenticatedUser(), record, t);
            } catch (IOException | RuntimeException e) {
                // the message is accepted and its record durable; only the courtesy copy failed
                log.error("{} evidence receipt for record {} not filed", s.sessionId(), record.id(), e);
            }
        }
    }

    /**
     * A DSN (RFC 3464) or MDN (RFC 8098) received at the MX gets a record of its own beside the
     * reception record, naming the original message (after the fact, like delivery records).
     */
    private void reportReceived(String sessionId, EvidenceRecord received, Accepted m) {
        if (m.size() > ReportRecords.MAX_BYTES) return;
        byte[] mail;
        try (java.io.InputStream in = store.blobs().open(m.sha256())) {
            byte[] head = in.readNBytes(16 * 1024);
            String h = new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            if (!h.contains("multipart/report")) return;   // the common case: not a report, no full read
            byte[] rest = in.readNBytes(ReportRecords.MAX_BYTES - head.length);
            mail = new byte[head.length + rest.length];
            System.arraycopy(head, 0, mail, 0, head.length);
            System.arraycopy(rest, 0, mail, head.length, rest.length);
        } catch (IOException | RuntimeException e) {
            log.warn("{} evidence: reading message {} for a report failed: {}", sessionId, m.queueId(), e.toString());
            return;
        }
        ReportRecords.of(mail).ifPresent(r -> {
            Map<String, Object> extra = new TreeMap<>(r.extra());
            extra.put("queue_id", m.queueId());
            extra.put("received_record", received.id());
            appendQuietly(new EvidenceRecord(EvidenceRecord.newId(), r.event(), clock.instant(), received.messageId(), received.sha256(),
                    received.mailFrom(), received.rcpt(), null, received.clientIp(), extra), sessionId);
        });
    }

    private boolean awaitInLog(String id) throws IOException {
        try {
            return journal.awaitInLog(id, Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for record " + id, e);
        }
    }

    /**
     * Waits until every record committed to the journal so far is in the log (tests, the CLI's
     * view right after a "250"); false on timeout. Immediately true without a journal.
     */
    public boolean awaitJournal(Duration timeout) throws IOException {
        if (journal == null || store == null) return true;
        long end = System.nanoTime() + timeout.toNanos();
        while (!journal.caughtUp()) {
            if (System.nanoTime() > end) return false;
            journal.kick();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Appends a record of another event; durable when this returns. */
    public EvidenceLog.Appended record(EvidenceRecord record) throws IOException {
        return appender.append(record);
    }

    /** Local delivery filed the message (ETSI: ContentConsignment). After the fact: a crash in between loses this record only. */
    @Override
    public void delivered(dev.sealpost.store.Spool.QueuedMessage m, List<String> recipients) {
        var env = m.envelope();
        EvidenceRecord r = new EvidenceRecord(EvidenceRecord.newId(), EvidenceEvent.CONTENT_CONSIGNMENT, clock.instant(), messageIdOf(m.blob().id()),
                m.blob().id(), env.mailFrom(), recipients, env.authUser(), null, Map.of("queue_id", m.id()));
        appendQuietly(r, "queue id=" + m.id());
    }

    /** The next hop answered (ETSI: RelayAcceptance / RelayFailure): its host, IP, reply and TLS. */
    @Override
    public void relayed(Relayed x) {
        String mid = messageIdOf(x.sha256());
        if (!x.accepted().isEmpty()) appendQuietly(relayRecord(EvidenceEvent.RELAY_ACCEPTANCE, x, x.accepted(), mid), "queue id=" + x.queueId());
        if (!x.refused().isEmpty()) appendQuietly(relayRecord(EvidenceEvent.RELAY_FAILURE, x, x.refused(), mid), "queue id=" + x.queueId());
    }

    private EvidenceRecord relayRecord(EvidenceEvent event, Relayed x, List<String> rcpt, String messageId) {
        Map<String, Object> extra = new TreeMap<>();
        extra.put("queue_id", x.queueId());
        extra.put("next_hop", printable(x.host()));
        extra.put("next_hop_ip", x.ip());
        extra.put("reply", printable(x.reply()));
        if (x.tlsProtocol() != null) {
            extra.put("tls_version", x.tlsProtocol());
            extra.put("tls_cipher", x.tlsCipher());
            extra.put("tls_authenticated", x.tlsAuthenticated());
        }
        if (x.peerSpkiSha256() != null) extra.put("peer_spki_sha256", x.peerSpkiSha256());
        return new EvidenceRecord(EvidenceRecord.newId(), event, clock.instant(), messageId, x.sha256(), x.mailFrom(), rcpt,
                x.authUser(), null, extra);
    }

    private void appendQuietly(EvidenceRecord r, String what) {
        try {
            EvidenceLog.Appended a = appender.append(r);
            log.info("{} evidence record id={} event={} index={}", what, r.id(), r.event().wire(), a.index());
        } catch (IOException | RuntimeException e) {
            log.error("{} evidence record {} not appended", what, r.event().wire(), e);
        }
    }

    /** The first Message-ID field of a stored message (its header section, read up to 64 KiB), or null. */
    private String messageIdOf(String blobId) {
        try (java.io.InputStream in = store.blobs().open(blobId)) {
            String head = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            int end = head.indexOf("\r\n\r\n");
            if (end >= 0) head = head.substring(0, end + 2);
            java.util.regex.Matcher mm = MESSAGE_ID.matcher(head);
            return mm.find() ? printable(mm.group(1).replace("\r\n", "").strip()) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static final java.util.regex.Pattern MESSAGE_ID = java.util.regex.Pattern.compile(
            "(?im)^Message-ID:[ \t]*((?:[^\r\n]|\r\n[ \t])*)");

    private static boolean wantsReceipt(List<String> removed) {
        for (String f : removed) {
            int colon = f.indexOf(':');
            if (f.substring(0, colon).trim().equalsIgnoreCase(RECEIPT_HEADER) && f.substring(colon + 1).strip().equalsIgnoreCase("yes")) return true;
        }
        return false;
    }

    /** Control characters out (a record holds what clients sent; JSON would escape them, but logs and receipts read better). */
    private static String printable(String s) {
        String v = s.codePoints().filter(c -> c >= 0x20 && c != 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return v.length() > 998 ? v.substring(0, 998) : v;
    }

    private void fileReceipt(String account, EvidenceRecord record, MailTransaction t) throws IOException {
        var acc = store.directory().account(account).orElseThrow(() -> new IOException("no account " + account));
        if (tsa != null && !evidence.stampsEachRecord()) {
            // the receipt's time stamp: the tree head of its checkpoint, stamped now (the periodic stamp may be a second away)
            long index = evidence.indexOf(record.id()).orElseThrow(() -> new IOException("record " + record.id() + " is not in the log"));
            String note = evidence.checkpointCovering(index);
            evidence.stampTree(Long.parseLong(note.split("\n", 3)[1]));
        }
        String json = CanonicalJson.string(Receipts.receipt(evidence, record.id(), null));
        byte[] message = ReceiptMessage.build(hostname, account, record, json, clock);
        var mailboxes = store.mailboxes();
        var box = mailboxes.mailbox(acc.id(), RECEIPTS_MAILBOX);
        if (box.isEmpty()) {
            mailboxes.create(acc.id(), RECEIPTS_MAILBOX, null);
            box = mailboxes.mailbox(acc.id(), RECEIPTS_MAILBOX);
            mailboxes.subscribe(acc.id(), RECEIPTS_MAILBOX, true);
        }
        if (box.isEmpty()) throw new IOException("mailbox " + RECEIPTS_MAILBOX + " could not be created");
        var ref = store.blobs().put(message);
        var result = mailboxes.append(box.get().id(), List.of(new dev.sealpost.store.Mailboxes.NewMessage(ref, java.util.Set.of(),
                clock.instant(), ReceiptMessage.summary(message))));
        if (!(result instanceof dev.sealpost.store.Mailboxes.AppendResult.Appended)) throw new IOException("receipt not appended: " + result);
        log.info("evidence receipt for record {} filed in {}'s {}", record.id(), account, RECEIPTS_MAILBOX);
    }

    // ------------------------------------------------------------------ checkpoints

    private void checkpoints(Duration every) {
        while (!closed) {
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            }
            if (closed) return;
            try {
                publishIfGrown();
            } catch (IOException | RuntimeException e) {
                log.error("evidence checkpoint failed", e);
            }
        }
    }

    /** Stamps the tree head every {@code every} when the log grew since the last stamp: one RFC 3161 token dates every record before it. */
    private void treeStamps(Duration every) {
        while (!closed) {
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            }
            if (closed) return;
            try {
                stampIfGrown();
            } catch (IOException | RuntimeException e) {
                log.error("evidence tree-head time stamp failed", e);
            }
        }
    }

    /** Stamps the current tree head when the log grew since the last one (tree-head mode only); returns the size stamped, or 0. */
    public long stampIfGrown() throws IOException {
        if (tsa == null || evidence.stampsEachRecord()) return 0;
        long size = evidence.size();
        if (size == 0 || size <= evidence.lastStampedTreeSize()) return 0;
        return evidence.stampTree(size).treeSize();
    }

    /** Signs a checkpoint when the log grew since the last one (C2SP tlog-checkpoint); returns the latest. */
    public String publishIfGrown() throws IOException {
        return evidence.checkpoint();   // returns the latest unchanged when it already covers the size
    }

    // ------------------------------------------------------------------ web

    /** The routes under {@link #PREFIX}: {@code log/checkpoint}, {@code log/tile/...}, {@code keys}. */
    public WebRoute route() {
        return this::serve;
    }

    private Optional<WebRoute.Reply> serve(String path, boolean secure) {
        if (!secure) return Optional.empty();   // published over HTTPS only: the keys above all must not be swapped on the way
        String rest = path.substring(PREFIX.length());
        try {
            if (rest.equals("log/checkpoint")) {
                String note = evidence.latestCheckpoint().orElse(null);
                if (note == null) note = evidence.checkpoint();
                return Optional.of(new WebRoute.Reply(200, "text/plain; charset=utf-8", note.getBytes(StandardCharsets.UTF_8),
                        Map.of("Cache-Control", "no-store")));
            }
            if (rest.equals("keys")) return Optional.of(keys());
            if (rest.startsWith("log/tile/")) return tile(rest.substring("log/".length()));
        } catch (IOException e) {
            log.error("evidence web request path={} failed", path, e);
            return Optional.of(new WebRoute.Reply(503, "text/plain; charset=utf-8", "evidence log unavailable\n".getBytes(StandardCharsets.US_ASCII),
                    Map.of("Cache-Control", "no-store")));
        }
        return Optional.empty();
    }

    /** C2SP tlog-tiles: full tiles are immutable; a partial tile is served for the tree size its width implies. */
    private Optional<WebRoute.Reply> tile(String tilePath) throws IOException {
        Optional<Tiles.TileRef> ref = Tiles.parsePath(tilePath);
        if (ref.isEmpty()) return Optional.empty();
        Tiles.TileRef r = ref.get();
        long size = evidence.size();
        if (r.partial()) {
            int shift = r.entries() ? 0 : Tiles.HEIGHT * r.level();
            if (shift >= 62) return Optional.empty();
            long needed = (r.index() * Tiles.WIDTH + r.width());
            if (needed > (Long.MAX_VALUE >> shift)) return Optional.empty();
            size = needed << shift;
            if (size > evidence.size()) return Optional.empty();
        }
        Optional<byte[]> bytes = evidence.tile(r, size);
        return bytes.map(b -> new WebRoute.Reply(200, "application/octet-stream", b,
                Map.of("Cache-Control", r.partial() ? "max-age=60" : "max-age=31536000, immutable")));
    }

    /** The log key in C2SP note verifier form with its validity, and the TSA's CA certificate. */
    private WebRoute.Reply keys() throws IOException {
        Map<String, Object> key = new TreeMap<>();
        key.put("verifier_key", evidence.key().publicKey().verifierKey());
        key.put("use", List.of("checkpoints", "records"));
        key.put("algorithm", "Ed25519");
        Path keyFile = evidence.directory().resolve("log-key");
        key.put("not_before", java.time.format.DateTimeFormatter.ISO_INSTANT.format(
                Files.getLastModifiedTime(keyFile).toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        List<Object> keys = new ArrayList<>(List.of(key));
        for (var e : evidence.recordKeys().entries()) {
            // every domain's record keys, current and past: a record signed years ago still verifies
            Map<String, Object> k = new TreeMap<>();
            k.put("verifier_key", e.key().publicKey().verifierKey());
            k.put("use", List.of("records"));
            k.put("algorithm", "Ed25519");
            k.put("domain", e.domain());
            k.put("not_before", java.time.format.DateTimeFormatter.ISO_INSTANT.format(e.notBefore()));
            if (e.notAfter() != null) k.put("not_after", java.time.format.DateTimeFormatter.ISO_INSTANT.format(e.notAfter()));
            keys.add(k);
        }
        Map<String, Object> out = new TreeMap<>();
        out.put("origin", evidence.origin());
        out.put("keys", keys);
        if (tsa != null) out.put("tsa_ca", InternalCa.pem(tsa.ca().caCert()));
        return new WebRoute.Reply(200, "application/json", (CanonicalJson.string(out) + "\n").getBytes(StandardCharsets.UTF_8),
                Map.of("Cache-Control", "max-age=300"));
    }

    /** Signs a final checkpoint (so that every record appended is covered) and closes the log. */
    @Override
    public void close() {
        closed = true;
        reports.shutdown();
        try {
            if (!reports.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) reports.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (journal != null) journal.close();   // what the journal holds goes into the log before the last checkpoint
        checkpointer.interrupt();
        if (stamper != null) stamper.interrupt();
        try {
            checkpointer.join(5000);
            if (stamper != null) stamper.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            evidence.checkpoint();
            stampIfGrown();   // the last records get their time stamp too
        } catch (IOException | RuntimeException e) {
            log.warn("final evidence checkpoint failed", e);
        }
        try {
            evidence.close();
        } catch (IOException e) {
            log.warn("closing the evidence log failed", e);
        }
    }
}
