package dev.sealpost.inbound;

import dev.sealpost.core.metrics.Meters;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.smtp.proto.Reply;
import dev.sealpost.smtp.proto.SmtpRejection;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.smtp.server.MailTransaction;
import dev.sealpost.smtp.server.SessionInfo;
import dev.sealpost.smtp.server.SmtpHandler;
import dev.sealpost.store.BlobWriter;
import dev.sealpost.store.Directory;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * MX and submission policy before "250": who may send, to whom, and durable acceptance.
 * <ul>
 *   <li>No open relay: a recipient outside our domains is accepted only from an authenticated
 *       submission session (RFC 5321 §3.6.2, RFC 6409 §4.3).</li>
 *   <li>Unknown local recipients: 550 5.1.1 at RCPT (RFC 3463 X.1.1).</li>
 *   <li>Quota: 452 4.2.2 when the mailbox is already full, 552 5.2.2 when the declared SIZE
 *       alone can never fit (RFC 3463 X.2.2, RFC 1870 §6.2).</li>
 *   <li>"250" only once the blob is fsync'd and the spool row committed (RFC 5321 §6.1).</li>
 * </ul>
 */
final class InboundHandler implements SmtpHandler {
    private static final Logger log = LoggerFactory.getLogger(InboundHandler.class);

    private final Store store;
    private final Directory directory;
    private final InboundSettings settings;
    private final Runnable onEnqueued;
    private final Clock clock;
    private final List<ContentPolicy> policies;
    private final java.nio.file.Path tmpDir;

    /** Messages up to this size are held in memory while the policies run; larger ones in a temp file. */
    static final int MEMORY_BUFFER = 1024 * 1024;

    /** Whether every recipient so far ends in our own mailboxes (then we add Return-Path, RFC 5321 §4.4). */
    private boolean allLocal = true;
    /** Recipients that resolved to local accounts only at RCPT (no remote forwarding): their account ids. */
    private final java.util.Map<EmailAddress, List<Long>> localAccounts = new java.util.HashMap<>();
    /** Recipients we rewrote at RCPT (postmaster fallback): original forward-path to the spool address. */
    private final java.util.Map<EmailAddress, String> rewritten = new java.util.HashMap<>();
    /** Told of each accepted message before its "250" (the evidence log), or null. */
    private AcceptanceListener acceptance;
    /** Of the message being stored, for {@link #acceptance}: its Message-ID, consumed and added fields. */
    private Stored stored;

    private static final class Stored {
        String messageId;
        final List<String> removed = new ArrayList<>();
        List<String> added = List.of();
    }

    InboundHandler withAcceptanceListener(AcceptanceListener l) {
        this.acceptance = l;
        return this;
    }

    /** The filter's client checks at the MX (DNS lists at MAIL, greylisting at RCPT), or null. */
    private ClientChecks clientChecks;
    /** This session's DNS list hits, looked up at its first MAIL FROM; null before. */
    private ClientChecks.ClientHits clientHits;
    /** Per-account rate limits at submission, or null. */
    private OutboundGuard outbound;

    InboundHandler withFilterChecks(ClientChecks checks, OutboundGuard guard) {
        this.clientChecks = checks != null && checks.active() ? checks : null;
        this.outbound = guard;
        return this;
    }

    InboundHandler(Store store, InboundSettings settings, List<ContentPolicy> policies, java.nio.file.Path tmpDir,
                   Runnable onEnqueued, Clock clock) {
        this(store, settings, policies, tmpDir, onEnqueued, clock, null);
    }

    /** Reverses SRS addresses of ours at RCPT (bounces to forwarded mail), or null. */
    private final dev.sealpost.queue.srs.Srs srs;

    InboundHandler(Store store, InboundSettings settings, List<ContentPolicy> policies, java.nio.file.Path tmpDir,
                   Runnable onEnqueued, Clock clock, dev.sealpost.queue.srs.Srs srs) {
        this.srs = srs;
        this.store = store;
        this.policies = policies;
        this.tmpDir = tmpDir;
        this.directory = store.directory();
        this.settings = settings;
        this.onEnqueued = onEnqueued;
        this.clock = clock;
    }

    @Override
    public void mailFrom(SessionInfo session, MailTransaction tx) throws SmtpRejection {
        reset();
        if (store.spool().storageFull()) {
            // RFC 5321 §4.3.2: MAIL may be answered 452; RFC 3463 §3.4 X.3.1 mail system full. The
            // store's hint lasts 2 s: refusing here spares the client sending content we cannot keep
            log.info("{} storage full (last write failed for lack of space): MAIL refused with 452 4.3.1", session.sessionId());
            throw new SmtpRejection(452, "4.3.1", "Insufficient system storage, try again later");
        }
        String user = session.authenticatedUser();
        if (session.kind() != ListenerKind.MX && user != null && settings.senderMustMatch()) {
            EmailAddress from = tx.reversePath();
            // RFC 6409 §8.1 lets the MSA check that the sender is authorised to use the address.
            // The null reverse-path is for notifications (RFC 5321 §4.5.5), which users do not send.
            if (from == null || !directory.maySendAs(user, from)) {
                throw new SmtpRejection(553, "5.7.1", "Sender address " + SmtpHandler.text(from) + " not owned by " + user);
            }
        }
        if (outbound != null && session.kind() != ListenerKind.MX && user != null) outbound.checkMessage(user);
        if (clientChecks != null && session.kind() == ListenerKind.MX && clientHits == null) {
            clientHits = clientChecks.atMail(session); // once per session: the client's address does not change
        }
    }

    @Override
    public void rcptTo(SessionInfo session, MailTransaction tx, MailTransaction.Recipient rcpt) throws SmtpRejection {
        EmailAddress a = rcpt.address();
        if (outbound != null && session.kind() != ListenerKind.MX && session.authenticatedUser() != null) {
            outbound.checkRecipient(session.authenticatedUser(), tx.recipients().size());
        }
        String domain = a.domain().toLowerCase(Locale.ROOT);
        boolean literal = domain.startsWith("[");
        boolean local = !literal && directory.isLocalDomain(domain);
        if (a.localPart().equalsIgnoreCase("postmaster") && (local || domain.equalsIgnoreCase(session.serverName()))
                && directory.resolve(a).isEmpty()) {
            // RFC 5321 §4.5.1: every server MUST accept mail for postmaster, with or without a
            // domain (ours or our host name). Without a directory entry it goes to server.postmaster.
            if (settings.postmaster() == null) {
                throw new SmtpRejection(550, "5.1.1", "<" + a + ">: Recipient address rejected: no postmaster configured");
            }
            rewritten.put(a, settings.postmaster());
            return;
        }
        if (!local) {
            if (session.kind() != ListenerKind.MX && session.authenticatedUser() != null && !literal) {
                // an authenticated user sends to another domain: the outbound queue takes it
                allLocal = false;
                return;
            }
            // RFC 5321 §3.6.2 / §7.1: we relay only for our authenticated users. Address literals,
            // source routes (already stripped by the parser) and foreign domains all end here.
            log.info("{} relay denied for <{}>", session.sessionId(), a);
            throw new SmtpRejection(550, "5.7.1", "Relay access denied");
        }
        if (srs != null && dev.sealpost.queue.srs.Srs.looksLikeSrs(a.localPart()) && directory.resolve(a).isEmpty()) {
            // An SRS address of ours (docs/srs.md): mail to it (a bounce of mail we forwarded) goes on to
            // the address it stands for, with its envelope sender kept; a forged or expired one is
            // refused here, so that we never relay for it (no backscatter)
            switch (srs.reverse(a.localPart())) {
                case dev.sealpost.queue.srs.Srs.Original o -> {
                    log.info("{} SRS recipient <{}> reversed to <{}>", session.sessionId(), a, o.address());
                    rewritten.put(a, o.address());
                    allLocal = false;
                    return;
                }
                case dev.sealpost.queue.srs.Srs.Refused rf -> {
                    log.info("{} SRS recipient <{}> refused: {}", session.sessionId(), a, rf.reason());
                    // RFC 3463 X.1.1: no such mailbox
                    throw new SmtpRejection(550, "5.1.1", "<" + a + ">: Recipient address rejected: invalid SRS address");
                }
                case dev.sealpost.queue.srs.Srs.NotSrs n -> { }
            }
        }
        // A local domain: '%' hacks, '!' paths and quoted '@' in the local part are just local
        // parts we do not know, so they fail the look-up below (RFC 5321 §3.6.1: no source routing).
        Directory.Resolution r = directory.resolve(a);
        if (r.accounts().isEmpty() && r.remoteAddresses().isEmpty() && store.lists().handles(a)) {
            // a list address or one of its roles (-request, -bounces+VERP, -confirm+TOKEN, -owner):
            // the list engine takes it at local delivery (docs/lists.md)
            allLocal = false;
            return;
        }
        if (r.accounts().isEmpty() && r.remoteAddresses().isEmpty()) {
            throw new SmtpRejection(550, "5.1.1", "<" + a + ">: Recipient address rejected: User unknown");
        }
        if (!r.accounts().isEmpty()) {
            boolean allFull = true;
            for (Directory.Account acc : r.accounts()) {
                long q = acc.quotaBytes();
                if (q <= 0 || acc.usedBytes() < q) allFull = false;
                if (q > 0 && tx.declaredSize() > q) {
                    throw new SmtpRejection(552, "5.2.2", "<" + a + ">: message larger than the mailbox quota");
                }
            }
            if (allFull && r.remoteAddresses().isEmpty()) {
                throw new SmtpRejection(452, "4.2.2", "<" + a + ">: Mailbox full");
            }
        }
        // RFC 6647: greylisting once the recipient is known to be ours (an unknown one got its 550 above)
        if (clientChecks != null) clientChecks.atRcpt(session, tx, a.toString(), clientHits);
        if (!r.remoteAddresses().isEmpty()) allLocal = false;
        else localAccounts.put(a, r.accounts().stream().map(Directory.Account::id).toList());
    }

    @Override
    public MessageSink beginMessage(SessionInfo session, MailTransaction tx) throws SmtpRejection {
        ContentBuffer content = new ContentBuffer(tmpDir, MEMORY_BUFFER);
        LoopDetector loop = new LoopDetector(content, settings.maxReceivedHeaders());
        return new MessageSink() {
            @Override
            public OutputStream stream() {
                return loop;
            }

            @Override
            public Reply commit(SessionInfo s, MailTransaction t) throws SmtpRejection, IOException {
                try {
                    if (content.failure() != null) throw content.failure(); // the temp file of a large message
                    if (loop.looping()) {
                        // RFC 5321 §6.3: too many Received fields means a routing loop
                        throw new SmtpRejection(554, "5.4.6", "Too many hops (mail loop?)");
                    }
                    List<String> added = new ArrayList<>();
                    if (clientHits != null) content.attach(ClientChecks.ClientHits.class, clientHits);
                    for (ContentPolicy p : policies) added.addAll(p.apply(s, t, content));
                    Reply accepted;
                    try (BlobWriter blob = write(s, t, added, content)) { // closing aborts unless stored
                        accepted = enqueue(s, t, blob, content.folder());
                    }
                    if (outbound != null && s.kind() != ListenerKind.MX && s.authenticatedUser() != null) {
                        outbound.sent(s.authenticatedUser(), t.recipients().size());
                    }
                    return accepted;
                } catch (StoreException e) {
                    throw storeFailure(s, e, e.kind());
                } catch (IOException e) {
                    if (StoreException.kindOf(e) == StoreException.Kind.FULL) throw storeFailure(s, e, StoreException.Kind.FULL);
                    throw e; // the session answers 451 4.3.0 (RFC 5321 §4.2.3) and goes on
                } finally {
                    content.discard();
                }
            }

            @Override
            public void abort() {
                content.discard();
            }
        };
    }

    /**
     * A store failure at the end of DATA/BDAT: a temporary reply, the session goes on
     * (ARCHITECTURE.md: a store failure is neither the peer's fault nor a bug of the session).
     * Nothing was stored: the blob writer is aborted and the spool transaction rolled back, so
     * the client may retry this very message later.
     */
    private static SmtpRejection storeFailure(SessionInfo s, Exception e, StoreException.Kind kind) {
        if (kind == StoreException.Kind.FULL) {
            log.warn("{} storage full, message refused with 452 4.3.1: {}", s.sessionId(), rootMessage(e));
            // RFC 5321 §4.2.2 452 insufficient system storage; RFC 3463 §3.4 X.3.1 mail system full
            return new SmtpRejection(452, "4.3.1", "Insufficient system storage, try again later");
        }
        log.error("{} storing the message failed, refused with 451 4.3.0", s.sessionId(), e);
        // RFC 5321 §4.2.3 451 local error in processing; RFC 3463 §3.4 X.3.0 other mail system status
        return new SmtpRejection(451, "4.3.0", "Local error in processing, try again later");
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        for (int depth = 0; root.getCause() != null && depth < 16; depth++) root = root.getCause();
        return root == t ? t.toString() : t.getMessage() + " (" + root + ")";
    }

    /**
     * Writes the final message: our trace and policy header fields, then the content as
     * received, into a blob writer that {@link #enqueue} commits together with the queue rows
     * (small messages: one database transaction; large ones: a durable file first).
     */
    private BlobWriter write(SessionInfo s, MailTransaction t, List<String> added, ContentBuffer content) throws IOException {
        StringBuilder head = new StringBuilder();
        if (allLocal) {
            // RFC 5321 §4.4: the final delivery adds Return-Path with the reverse-path.
            head.append("Return-Path: ").append(SmtpHandler.text(t.reversePath())).append("\r\n");
        }
        // RFC 8601 §5 (A-R) and RFC 6376 §5.6 (DKIM-Signature): prepended, above our Received
        added.forEach(head::append);
        String single = t.recipients().size() == 1 ? t.recipients().getFirst().address().toString() : null;
        head.append(ReceivedHeader.received(s, s.sessionId(), single, t.smtpUtf8(), ZonedDateTime.now(clock)));
        BlobWriter writer = store.blobs().newWriter();
        try {
            // a copy of a small final message, parsed for the mailbox copies when it is filed at acceptance
            OutputStream out = wantsCopy() && !content.deliverLaterAsked() ? new CopyingStream(writer, (int) store.blobs().inlineLimit()) : writer;
            Stored st = acceptance == null ? null : new Stored();
            stored = st;
            if (st != null) st.added = List.copyOf(added);
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            try (java.io.InputStream in = content.open()) {
                int removed = HeaderFilter.copy(in, out, (name, value) -> {
                    if (st != null) {
                        if (st.messageId == null && name.equalsIgnoreCase("Message-ID")) st.messageId = value;
                        if (acceptance.consumesHeader(s, name, value)) {
                            st.removed.add(name + ": " + value);
                            return true;
                        }
                    }
                    for (ContentPolicy p : policies) if (p.removeHeader(s, name, value)) return true;
                    return false;
                });
                if (removed > 0) log.info("{} removed {} header field(s) claiming to be ours", s.sessionId(), removed);
            }
            copy = out instanceof CopyingStream cs ? cs.copy() : null;
            return writer;
        } catch (IOException | RuntimeException e) {
            writer.abort();
            throw e;
        }
    }

    /** The final message when it is small and some recipient may be filed at acceptance, else null. */
    private byte[] copy;

    private boolean wantsCopy() {
        copy = null;
        return settings.fileLocalAtAcceptance() && !localAccounts.isEmpty() && store.blobs().inlineLimit() > 0;
    }

    /** Passes everything on and keeps a copy while it stays within {@code limit} bytes. */
    private static final class CopyingStream extends OutputStream {
        private final OutputStream target;
        private final int limit;
        private java.io.ByteArrayOutputStream copy = new java.io.ByteArrayOutputStream(8192);

        CopyingStream(OutputStream target, int limit) {
            this.target = target;
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target.write(b, off, len);
            if (copy != null) {
                if (copy.size() + len > limit) copy = null;
                else copy.write(b, off, len);
            }
        }

        byte[] copy() {
            return copy == null ? null : copy.toByteArray();
        }
    }

    /**
     * Which recipients are filed at acceptance: those that resolved to local accounts only, when
     * the message is small (held in the database), and not for a report mailbox (local delivery
     * reads those for reports), and not when one of its accounts has an active Sieve script (local
     * delivery runs it: RFC 5228). A recipient given twice, or two reaching the same account, give
     * one copy per account (the spool's exactly-once rule).
     */
    private Spool.LocalFiling filing(List<Spool.Recipient> rcpts, MailTransaction t, String sessionId) {
        if (copy == null) return null;
        java.util.Map<Integer, List<Long>> accounts = new java.util.HashMap<>();
        for (int i = 0; i < rcpts.size(); i++) {
            MailTransaction.Recipient r = t.recipients().get(i);
            List<Long> ids = localAccounts.get(r.address());
            if (ids == null || ids.isEmpty() || rewritten.containsKey(r.address())) continue;
            if (isReportMailbox(rcpts.get(i).address())) continue;
            if (ids.stream().anyMatch(id -> store.sieveScripts().active(id).isPresent())) continue;
            accounts.put(i, ids);
        }
        if (accounts.isEmpty()) return null;
        return new Spool.LocalFiling(accounts, summarize(copy, sessionId));
    }

    private boolean isReportMailbox(String address) {
        if (settings.reportMailboxes().isEmpty()) return false;
        return settings.reportMailboxes().contains(address.toLowerCase(Locale.ROOT))
                || EmailAddress.parse(address).map(a -> settings.reportMailboxes().contains(a.canonical())).orElse(false);
    }

    /** As local delivery does: parse once for the IMAP cache; a parser failure only loses the cache. */
    private static dev.sealpost.store.MessageSummary summarize(byte[] message, String sessionId) {
        try {
            dev.sealpost.message.MessageStructure s = dev.sealpost.message.MessageStructure.parse(
                    new java.io.ByteArrayInputStream(message), dev.sealpost.message.MessageStructure.Limits.defaults());
            dev.sealpost.message.Envelope env = s.envelope();
            return new dev.sealpost.store.MessageSummary(s.toBytes(), env.decodedSubject(), env.displayFrom(), env.messageId(),
                    env.inReplyTo());
        } catch (IOException | RuntimeException e) {
            log.error("{} message parser failed, filing without a summary", sessionId, e);
            return null;
        }
    }

    private Reply enqueue(SessionInfo s, MailTransaction t, BlobWriter blob, String folder) throws IOException {
        List<Spool.Recipient> rcpts = new ArrayList<>();
        for (MailTransaction.Recipient r : t.recipients()) {
            String to = rewritten.getOrDefault(r.address(), r.address().toString());
            // a rewritten recipient keeps its original address as ORCPT (RFC 3461 §4.2)
            String orcpt = r.orcpt() != null || to.equals(r.address().toString()) ? r.orcpt() : "rfc822;" + r.address();
            rcpts.add(new Spool.Recipient(to, r.dsnNotify().isEmpty() ? null : String.join(",", r.dsnNotify()), orcpt));
        }
        Spool.Envelope env = new Spool.Envelope(
                t.reversePath() == null ? "" : t.reversePath().toString(), rcpts,
                s.remote().getAddress().getHostAddress(), s.helo(), s.authenticatedUser(), s.sessionId(),
                t.requireTls(), t.smtpUtf8(), t.bodyType(), t.dsnRet(), t.dsnEnvid(), clock.instant());
        Spool.LocalFiling filing = filing(rcpts, t, s.sessionId());
        copy = null;
        Stored st = stored;
        stored = null;
        List<String> filed = new ArrayList<>();
        if (filing != null) filing.accountsByRecipient().keySet().stream().sorted().forEach(i -> filed.add(rcpts.get(i).address()));
        // the evidence records, if any, commit in the same transaction as the spool rows (docs/evidence.md)
        Spool.Journal journal = acceptance != null && st != null
                ? acceptance.journal(s, t, new AcceptanceListener.Pending(st.messageId, st.added, List.copyOf(st.removed), List.copyOf(filed)))
                : null;
        // durable on return (blob, queue rows, any mailbox copies and evidence records): only now "250"
        Spool.Enqueued queued = journal == null ? store.spool().enqueue(env, blob, folder, filing)
                : store.spool().enqueue(env, blob, folder, filing, journal);
        long id = queued.queueId();
        log.info("{} queued id={} size={} rcpts={}{}{}", s.sessionId(), id, queued.blob().size(), rcpts.size(),
                filing == null ? "" : " filed=" + filing.accountsByRecipient().size(), folder == null ? "" : " folder=" + folder);
        if (filing != null) {
            // the same words as local delivery's line, so that log watchers see one kind of "delivered"
            long accounts = filing.accountsByRecipient().values().stream().flatMap(List::stream).distinct().count();
            log.info("queue id={} delivered: mailboxes={} (at acceptance)", id, accounts);
            Meters.counter(Meters.DELIVERIES, "Recipient deliveries settled", "route", "local", "outcome", "delivered")
                    .increment(filing.accountsByRecipient().size());
        }
        if (acceptance != null && st != null) {
            // the acceptance's evidence record is durable before the "250" it attests (docs/evidence.md)
            // the blob id is the SHA-256 of the exact bytes stored
            acceptance.accepted(s, t, new AcceptanceListener.Accepted(id, queued.blob().id(), queued.blob().size(),
                    st.messageId, st.added, List.copyOf(st.removed), filed), journal);
        }
        if (filing == null || filing.accountsByRecipient().size() < rcpts.size()) onEnqueued.run(); // local delivery has work
        Meters.count(Meters.MESSAGES_ACCEPTED, "Messages accepted with 250", "listener", s.kind().name().toLowerCase(java.util.Locale.ROOT));
        return new Reply(250, "2.0.0", "Ok: queued as " + id);
    }

    @Override
    public void reset() {
        allLocal = true;
        rewritten.clear();
        localAccounts.clear();
    }
}
