package dev.sealpost.smtp.server;

import dev.sealpost.core.io.CommandDeadline;
import dev.sealpost.core.mail.Domain;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.core.login.LoginGate;
import dev.sealpost.core.login.LoginPolicy;
import dev.sealpost.core.sasl.ChannelBinding;
import dev.sealpost.core.sasl.SaslDialog;
import dev.sealpost.core.sasl.SaslMechanism;
import dev.sealpost.core.sasl.SaslMechanisms;
import dev.sealpost.core.tls.ServerTls;
import dev.sealpost.smtp.proto.DataReader;
import dev.sealpost.core.io.HeaderGuard;
import dev.sealpost.smtp.proto.Replies;
import dev.sealpost.smtp.proto.Reply;
import dev.sealpost.smtp.proto.SmtpCommand;
import dev.sealpost.smtp.proto.SmtpInput;
import dev.sealpost.smtp.proto.SmtpRejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * One SMTP connection: the command loop and its state machine (RFC 5321 §4.1.4), run on its
 * own virtual thread with blocking I/O. Not thread-safe except {@link #abortConnection()}.
 */
final class SmtpSession implements SessionInfo, Runnable {
    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);

    /** RFC 4954 §4: an AUTH command line with initial response may reach 12288 octets. */
    static final int AUTH_LINE_MAX = 12288;

    private final SmtpServerConfig cfg;
    private final SmtpHandlerFactory factory;
    private final LoginGate gate;
    private final Runnable onEnd;
    private final String id;
    private final InetSocketAddress remote, local;

    private volatile Socket socket;
    /** The accepted TCP socket: closing it also ends a read blocked inside a TLS socket layered on it. */
    private final Socket tcp;
    private SmtpInput in;
    /** Under {@link #in}: the per-command deadline (RFC 5321 §4.5.3.2: 5 minutes per command). */
    private CommandDeadline deadline;
    private OutputStream out;

    private SmtpHandler handler;
    private String helo;
    private boolean extended;
    private boolean tls;
    private String tlsDescription;
    private ChannelBinding binding;
    private String authUser;
    /** A timeout while reading a SASL answer, rethrown once the dialogue has been logged. */
    private SocketTimeoutException authTimeout;
    private int errors;

    // the current mail transaction (RFC 5321 §3.3)
    private MailTransaction tx;
    private SmtpHandler.MessageSink sink;
    private GuardedStream sinkStream;
    /** In front of {@link #sinkStream}: the header section limits (DATA and BDAT alike). */
    private HeaderGuard headerGuard;
    private long bdatSize;

    /** Ends the session after the reply in hand has been flushed. */
    private static final class Close extends RuntimeException {
        Close() { super(null, null, false, false); }
    }

    SmtpSession(SmtpServerConfig cfg, SmtpHandlerFactory factory, LoginGate gate, Socket socket, Runnable onEnd) {
        this.cfg = cfg;
        this.factory = factory;
        this.gate = gate;
        this.socket = socket;
        this.tcp = socket;
        this.onEnd = onEnd;
        this.id = dev.sealpost.core.net.SessionIds.next();
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.local = (InetSocketAddress) socket.getLocalSocketAddress();
    }

    // ---------------------------------------------------------------- SessionInfo

    @Override public String sessionId() { return id; }
    @Override public ListenerKind kind() { return cfg.kind(); }
    @Override public InetSocketAddress remote() { return remote; }
    @Override public InetSocketAddress local() { return local; }
    @Override public String helo() { return helo; }
    @Override public boolean extended() { return extended; }
    @Override public boolean tls() { return tls; }
    @Override public String tlsDescription() { return tlsDescription; }
    @Override public String authenticatedUser() { return authUser; }
    @Override public String serverName() { return cfg.serverName(); }

    /**
     * Closes the TCP socket: a blocked read fails and the session ends. At server shutdown the
     * listener closes the same socket from another thread.
     */
    void abortConnection() {
        try {
            // SSLSocket.close() waits for a read in progress on another thread; the TCP socket does not
            tcp.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    // ---------------------------------------------------------------- main loop

    @Override
    public void run() {
        long started = System.nanoTime();
        try {
            socket.setSoTimeout(millis(cfg.limits().idleTimeout()));
            log.info("{} connect from {} to {} ({})", id, remote, local, cfg.kind());
            if (cfg.kind() == ListenerKind.SUBMISSIONS) {
                handshake(); // RFC 8314 §3.3: implicit TLS, the handshake comes before the greeting
            } else {
                streams(socket);
            }
            try {
                handler = factory.open(this);
            } catch (SmtpRejection r) {
                log.info("{} connection refused by policy: {}", id, r.reply());
                write(r.reply());
                flush();
                return;
            }
            // RFC 5321 §4.2 / §3.1: greeting
            write(Reply.of(220, null, cfg.serverName() + " ESMTP Sealpost"));
            commandLoop();
        } catch (Close c) {
            quietFlush();
        } catch (SocketTimeoutException e) {
            // RFC 5321 §4.5.3.2.7: the server may close an idle connection, with 421; likewise
            // a command that does not end within its deadline (§4.5.3.2: 5 minutes per command)
            log.info("{} {}", id, e instanceof CommandDeadline.DeadlineExceededException ? "command deadline passed" : "timeout");
            quietWrite(Replies.timeout(cfg.serverName()));
        } catch (EOFException e) {
            log.info("{} connection closed by client: {}", id, e.getMessage());
        } catch (IOException e) {
            log.info("{} connection lost: {}", id, e.toString());
        } catch (RuntimeException e) {
            log.error("{} internal error; closing session", id, e);
            quietWrite(Reply.of(421, "4.3.0", cfg.serverName() + " Internal error, closing connection"));
        } finally {
            if (sink != null) sink.abort();
            sink = null;
            if (handler != null) {
                try {
                    handler.close();
                } catch (RuntimeException e) {
                    log.error("{} handler close failed", id, e);
                }
            }
            abortConnection();
            log.info("{} disconnect after {} ms", id, (System.nanoTime() - started) / 1_000_000);
            onEnd.run();
        }
    }

    private void commandLoop() throws IOException {
        int lineMax = Math.max(cfg.limits().maxLineLength(), AUTH_LINE_MAX);
        while (true) {
            deadline.begin(); // armed by the command's first octet
            SmtpInput.Line line = in.readLine(lineMax);
            switch (line.status()) {
                case EOF -> {
                    log.info("{} client closed the connection without QUIT", id);
                    return;
                }
                // RFC 5321 §4.5.3.1.4: command line limit; the rest of the line was skipped, so we are in sync
                case TOO_LONG -> send(Replies.LINE_TOO_LONG);
                // RFC 5321 §2.3.8: CRLF only
                case BARE_LF -> send(Replies.BARE_LF_COMMAND);
                case OK -> {
                    byte[] b = line.bytes();
                    if (b.length > cfg.limits().maxLineLength() && !startsWithAuth(b)) {
                        send(Replies.LINE_TOO_LONG);
                        continue;
                    }
                    switch (SmtpCommand.parse(b, tx != null && tx.smtpUtf8())) {
                        case SmtpCommand.Invalid inv -> {
                            SmtpMeters.invalidCommand();
                            send(inv.reply());
                            if (inv.closeConnection()) throw new Close();
                        }
                        case SmtpCommand.Parsed p -> dispatch(p.command());
                    }
                }
            }
        }
    }

    private static boolean startsWithAuth(byte[] b) {
        return b.length > 5 && new String(b, 0, 5, StandardCharsets.ISO_8859_1).equalsIgnoreCase("AUTH ");
    }

    private void dispatch(SmtpCommand cmd) throws IOException {
        SmtpMeters.command(cmd);
        switch (cmd) {
            case SmtpCommand.Ehlo e -> hello(e.domain(), true);
            case SmtpCommand.Helo h -> hello(h.domain(), false);
            case SmtpCommand.Mail m -> mail(m);
            case SmtpCommand.Rcpt r -> rcpt(r);
            case SmtpCommand.Data d -> data();
            case SmtpCommand.Bdat b -> bdat(b);
            case SmtpCommand.Rset r -> { // RFC 5321 §4.1.1.5
                endTransaction();
                send(Replies.OK);
            }
            case SmtpCommand.Noop n -> send(Replies.OK); // RFC 5321 §4.1.1.9
            case SmtpCommand.Quit q -> { // RFC 5321 §4.1.1.10
                send(Replies.bye(cfg.serverName()));
                throw new Close();
            }
            // RFC 5321 §3.5.3 / §7.3: 252 without revealing whether the user exists
            case SmtpCommand.Vrfy v -> send(Replies.VRFY_CANNOT);
            // RFC 5321 §3.5.3 / §7.3: EXPN is not offered (list membership is private)
            case SmtpCommand.Expn e -> send(Replies.EXPN_DISABLED);
            case SmtpCommand.Help h -> send(Replies.HELP); // RFC 5321 §4.1.1.8
            case SmtpCommand.StartTls s -> startTls();
            case SmtpCommand.Auth a -> auth(a);
        }
    }

    // ---------------------------------------------------------------- EHLO / HELO

    private void hello(String name, boolean ehlo) throws IOException {
        // RFC 5321 §4.1.4: a later EHLO resets the session like RSET
        endTransaction();
        try {
            handler.helo(this, name);
        } catch (SmtpRejection r) {
            log.info("{} {} {} refused: {}", id, ehlo ? "EHLO" : "HELO", name, r.reply());
            reject(r);
            return;
        }
        helo = name;
        extended = ehlo;
        log.info("{} {} {}", id, ehlo ? "EHLO" : "HELO", name);
        if (!ehlo) {
            send(Reply.of(250, null, cfg.serverName())); // RFC 5321 §4.1.1.1: HELO lists no extensions
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(cfg.serverName());
        lines.add("PIPELINING"); // RFC 2920
        lines.add("SIZE " + cfg.limits().maxMessageSize()); // RFC 1870
        lines.add("8BITMIME"); // RFC 6152
        lines.add("SMTPUTF8"); // RFC 6531
        lines.add("ENHANCEDSTATUSCODES"); // RFC 2034
        if (cfg.tls() != null && !tls) lines.add("STARTTLS"); // RFC 3207 §4.2: not after TLS
        lines.add("CHUNKING"); // RFC 3030
        lines.add("BINARYMIME"); // RFC 3030 §3
        lines.add("DSN"); // RFC 3461
        if (tls) lines.add("REQUIRETLS"); // RFC 8689 §4: only on a TLS connection
        List<String> mechs = advertisedMechanisms().stream().map(SaslMechanism::name).toList();
        if (!mechs.isEmpty()) lines.add("AUTH " + String.join(" ", mechs)); // RFC 4954 §3; none before TLS (LoginPolicy)
        // RFC 2034 §3: no enhanced codes on the EHLO response
        send(new Reply(250, null, lines));
    }

    /** Mechanisms a client may use now: none on MX; none before TLS unless configured ({@link LoginPolicy}). */
    private List<SaslMechanism> usableMechanisms() {
        if (cfg.kind() == ListenerKind.MX) return List.of();
        return SaslMechanisms.forConnection(cfg.mechanisms(), tls, binding, cfg.allowAuthWithoutTls());
    }

    /** Mechanisms listed in EHLO: the usable ones minus those accepted but not advertised (-PLUS by default). */
    private List<SaslMechanism> advertisedMechanisms() {
        if (cfg.kind() == ListenerKind.MX) return List.of();
        return SaslMechanisms.advertised(cfg.mechanisms(), tls, binding, cfg.allowAuthWithoutTls());
    }

    private LoginGate.Client client() {
        return new LoginGate.Client("smtp", id, remote.getAddress());
    }

    // ---------------------------------------------------------------- MAIL / RCPT

    private void mail(SmtpCommand.Mail m) throws IOException {
        if (helo == null) { // RFC 5321 §4.1.4: EHLO/HELO before a transaction
            send(Reply.of(503, "5.5.1", "Send EHLO or HELO first"));
            return;
        }
        if (tx != null) { // RFC 5321 §4.1.4: no nested MAIL
            send(Reply.of(503, "5.5.1", "Nested MAIL command"));
            return;
        }
        if (cfg.authRequired() && authUser == null) { // RFC 4954 §6, RFC 6409 §4.3
            send(Replies.AUTH_REQUIRED);
            return;
        }
        if (m.hasParameters() && !extended) { // RFC 5321 §4.1.1.11: parameters only after EHLO
            send(Replies.UNKNOWN_PARAMETER);
            return;
        }
        if (m.requireTls() && !tls) { // RFC 8689 §4: REQUIRETLS is only offered over TLS
            send(Reply.of(555, "5.5.4", "REQUIRETLS needs a TLS connection"));
            return;
        }
        if (m.size() > cfg.limits().maxMessageSize()) { // RFC 1870 §6.1
            send(Replies.MESSAGE_TOO_BIG);
            return;
        }
        MailTransaction t = new MailTransaction(m.reversePath(), m.body() == null ? "7BIT" : m.body(), m.smtpUtf8(),
                m.requireTls(), m.size(), m.ret(), m.envid(), List.of());
        try {
            handler.mailFrom(this, t);
        } catch (SmtpRejection r) {
            log.info("{} MAIL FROM:{} -> {}", id, SmtpHandler.text(m.reversePath()), r.reply());
            handler.reset();
            reject(r);
            return;
        }
        tx = t;
        log.info("{} MAIL FROM:{} -> 250", id, SmtpHandler.text(m.reversePath()));
        send(Replies.SENDER_OK);
    }

    private void rcpt(SmtpCommand.Rcpt r) throws IOException {
        if (tx == null || sink != null) { // RFC 5321 §4.1.4: RCPT needs MAIL; not within BDAT chunks
            send(Reply.of(503, "5.5.1", "Need MAIL command"));
            return;
        }
        if (r.hasParameters() && !extended) { // RFC 5321 §4.1.1.11
            send(Replies.UNKNOWN_PARAMETER);
            return;
        }
        if (tx.recipients().size() >= cfg.limits().maxRecipients()) { // RFC 5321 §4.5.3.1.10
            send(Replies.TOO_MANY_RECIPIENTS);
            return;
        }
        EmailAddress address = r.forwardPath();
        if (address == null) {
            // RFC 5321 §4.5.1: <Postmaster> without a domain means our postmaster
            address = new EmailAddress("postmaster", Domain.toAscii(cfg.serverName())
                    .orElse(cfg.serverName().toLowerCase(Locale.ROOT)));
        }
        MailTransaction.Recipient rec = new MailTransaction.Recipient(address, r.dsnNotify(), r.orcpt());
        try {
            handler.rcptTo(this, tx, rec);
        } catch (SmtpRejection x) {
            log.info("{} RCPT TO:<{}> -> {}", id, address, x.reply());
            reject(x);
            return;
        }
        List<MailTransaction.Recipient> all = new ArrayList<>(tx.recipients());
        all.add(rec);
        tx = new MailTransaction(tx.reversePath(), tx.bodyType(), tx.smtpUtf8(), tx.requireTls(), tx.declaredSize(),
                tx.dsnRet(), tx.dsnEnvid(), List.copyOf(all));
        log.info("{} RCPT TO:<{}> -> 250", id, address);
        send(Replies.RECIPIENT_OK);
    }

    /** Ends the transaction: sink discarded if still open, handler told (RFC 5321 §4.1.1.5). */
    private void endTransaction() {
        if (sink != null) sink.abort();
        boolean had = tx != null;
        sink = null;
        sinkStream = null;
        headerGuard = null;
        bdatSize = 0;
        tx = null;
        if (had) handler.reset();
    }

    // ---------------------------------------------------------------- DATA / BDAT

    private void data() throws IOException {
        if (tx == null) {
            send(Reply.of(503, "5.5.1", "Need MAIL command"));
            return;
        }
        if (sink != null) { // RFC 3030 §2: DATA may not follow BDAT in one transaction
            send(Reply.of(503, "5.5.1", "DATA not allowed after BDAT"));
            return;
        }
        if (tx.recipients().isEmpty()) {
            // RFC 5321 §3.3 suggests 503; we follow Postfix with 554 "no valid recipients",
            // a reply §4.3.2 lists for DATA, so that clients treat it as a transaction failure.
            send(Replies.NO_VALID_RECIPIENTS);
            return;
        }
        if ("BINARYMIME".equals(tx.bodyType())) { // RFC 3030 §3: BINARYMIME content only with BDAT
            send(Reply.of(503, "5.5.1", "BODY=BINARYMIME requires BDAT"));
            return;
        }
        if (!openSink()) return;
        send(Replies.START_DATA);
        DataReader.Result res;
        socket.setSoTimeout(millis(cfg.limits().dataTimeout()));
        // the content is one transfer for the deadline: 5 minutes plus its octets at the minimum rate
        deadline.begin();
        try {
            res = DataReader.read(in, headerGuard, cfg.limits().maxMessageSize(), cfg.limits().maxLineLength());
        } finally {
            socket.setSoTimeout(millis(cfg.limits().idleTimeout()));
        }
        finish(res.outcome(), res.size());
    }

    /** Opens the handler's sink; on refusal sends the reply, ends the transaction and returns false. */
    private boolean openSink() throws IOException {
        try {
            sink = handler.beginMessage(this, tx);
        } catch (SmtpRejection r) {
            log.info("{} message refused before content: {}", id, r.reply());
            endTransaction();
            reject(r);
            return false;
        }
        sinkStream = new GuardedStream(sink.stream());
        headerGuard = newHeaderGuard();
        bdatSize = 0;
        return true;
    }

    private void bdat(SmtpCommand.Bdat b) throws IOException {
        long max = cfg.limits().maxMessageSize();
        Reply early = null;
        if (tx == null) early = Reply.of(503, "5.5.1", "Need MAIL command");
        else if (tx.recipients().isEmpty()) early = Reply.of(503, "5.5.1", "No valid recipients");
        if (early != null) {
            // RFC 3030 §2: the chunk is already on its way; consume it to stay in sync, then refuse
            drainChunk(b.size());
            send(early);
            return;
        }
        if (sink == null) {
            try {
                sink = handler.beginMessage(this, tx);
            } catch (SmtpRejection r) {
                log.info("{} message refused before content: {}", id, r.reply());
                drainChunk(b.size());
                endTransaction();
                reject(r);
                return;
            }
            sinkStream = new GuardedStream(sink.stream());
            headerGuard = newHeaderGuard();
            bdatSize = 0;
        }
        if (b.size() > max - bdatSize) { // RFC 1870 §6.1 / RFC 3030 §2: size limit across all chunks
            log.info("{} message too large (BDAT)", id);
            if (b.size() > max) {
                // far too large to drain: refuse and close rather than read it all
                endTransaction();
                send(Replies.MESSAGE_TOO_BIG);
                throw new Close();
            }
            drainChunk(b.size());
            endTransaction(); // RFC 3030 §2: after a failed BDAT the transaction is over; further BDATs get 503
            send(Replies.MESSAGE_TOO_BIG);
            return;
        }
        socket.setSoTimeout(millis(cfg.limits().dataTimeout()));
        try {
            in.transfer(b.size(), headerGuard); // binary-safe: no dot or line handling (RFC 3030 §2)
        } finally {
            socket.setSoTimeout(millis(cfg.limits().idleTimeout()));
        }
        bdatSize += b.size();
        if (headerGuard.outcome() != HeaderGuard.Outcome.WITHIN && !b.last()) {
            // RFC 3030 §2: a failed BDAT ends the transaction; further BDATs get 503
            finish(DataReader.Outcome.COMPLETE, bdatSize);
            return;
        }
        if (!b.last()) {
            send(Reply.of(250, "2.0.0", b.size() + " octets received"));
            return;
        }
        finish(DataReader.Outcome.COMPLETE, bdatSize);
    }

    private HeaderGuard newHeaderGuard() {
        return new HeaderGuard(sinkStream, cfg.limits().maxHeaderSize(), cfg.limits().maxHeaderFields());
    }

    private void drainChunk(long n) throws IOException {
        socket.setSoTimeout(millis(cfg.limits().dataTimeout()));
        try {
            in.transfer(n, null);
        } finally {
            socket.setSoTimeout(millis(cfg.limits().idleTimeout()));
        }
    }

    /** The end of a message's content: reply and end the transaction (RFC 5321 §4.1.1.4). */
    private void finish(DataReader.Outcome outcome, long size) throws IOException {
        try {
            Reply reply = switch (outcome) {
                case BARE_CR_OR_LF -> Replies.BARE_CR_LF_IN_DATA;
                case LINE_TOO_LONG -> Replies.DATA_LINE_TOO_LONG;
                case TOO_LARGE -> Replies.MESSAGE_TOO_BIG;
                case COMPLETE -> switch (headerGuard.outcome()) { // framing and size first, then the header limits
                    case TOO_LARGE -> Replies.HEADER_TOO_LARGE;
                    case TOO_MANY_FIELDS -> Replies.TOO_MANY_HEADER_FIELDS;
                    case WITHIN -> null;
                };
            };
            if (reply != null) {
                log.info("{} message rejected: {}/{} -> {}", id, outcome, headerGuard.outcome(), reply);
                send(reply);
                return;
            }
            sinkStream.flush();
            if (sinkStream.failure != null) {
                log.warn("{} writing the message failed: {}", id, sinkStream.failure.toString());
                send(Replies.LOCAL_ERROR);
                return;
            }
            SmtpHandler.MessageSink s = sink;
            sink = null; // committed or failed: not aborted again by endTransaction
            try {
                Reply r = s.commit(this, tx);
                log.info("{} message of {} octets for {} recipient(s) -> {}", id, size, tx.recipients().size(), r);
                send(r);
            } catch (SmtpRejection r) {
                log.info("{} message of {} octets refused: {}", id, size, r.reply());
                s.abort();
                reject(r);
            } catch (IOException e) {
                log.warn("{} storing the message failed: {}", id, e.toString());
                s.abort();
                send(Replies.LOCAL_ERROR); // RFC 5321 §4.2.3: 451 local error in processing
            }
        } finally {
            endTransaction();
        }
    }

    // ---------------------------------------------------------------- STARTTLS

    private void startTls() throws IOException {
        if (tls) { // RFC 3207 §4.2: STARTTLS is not offered again once TLS is up
            send(Reply.of(503, "5.5.1", "TLS already active"));
            return;
        }
        if (cfg.tls() == null) {
            send(Reply.of(502, "5.5.1", "STARTTLS not available"));
            return;
        }
        send(Replies.READY_FOR_TLS);
        flush();
        // RFC 3207 §4.2 / CVE-2011-0411: anything pipelined after STARTTLS was sent in the clear
        // and must not be executed after the handshake.
        int discarded = in.discardBuffered();
        if (discarded > 0) log.warn("{} discarded {} octets sent after STARTTLS (command injection attempt?)", id, discarded);
        handshake();
        // RFC 3207 §4.2: forget everything learned before TLS (EHLO, AUTH, transaction)
        endTransaction();
        helo = null;
        extended = false;
        authUser = null;
    }

    /** TLS handshake on the current socket (implicit TLS, or after STARTTLS); closes the session on failure. */
    private void handshake() throws IOException {
        switch (cfg.tls().handshake(socket, cfg.limits().idleTimeout())) {
            case ServerTls.Handshake.Failed f -> {
                log.info("{} TLS handshake failed: {}", id, f.reason());
                socket = f.socket();
                throw new Close();
            }
            case ServerTls.Handshake.Established e -> {
                socket = e.socket();
                streams(e.socket());
                tls = true;
                tlsDescription = e.description();
                binding = e.channelBinding(); // RFC 9266: TLS 1.3 only, see ServerTls.channelBinding
                log.info("{} TLS established: {}", id, tlsDescription);
            }
        }
    }

    private void streams(Socket s) throws IOException {
        deadline = new CommandDeadline(s.getInputStream(), s, cfg.limits().deadline());
        in = new SmtpInput(deadline, this::flush);
        out = new BufferedOutputStream(s.getOutputStream(), 8192);
    }

    // ---------------------------------------------------------------- AUTH

    private void auth(SmtpCommand.Auth a) throws IOException {
        if (cfg.kind() == ListenerKind.MX) { // AUTH is never offered on MX
            send(Reply.of(503, "5.5.1", "AUTH not available"));
            return;
        }
        if (!LoginPolicy.mayAuthenticate(tls, cfg.allowAuthWithoutTls())) { // RFC 4954 §6: 538 encryption required
            gate.aborted(client(), a.mechanism(), null, "tls-required");
            send(Replies.AUTH_NEEDS_ENCRYPTION);
            return;
        }
        if (!extended) { // RFC 4954 §4: AUTH is an ESMTP extension: EHLO first
            send(Reply.of(503, "5.5.1", "Send EHLO first"));
            return;
        }
        if (authUser != null) { // RFC 4954 §4: only one successful AUTH per session
            send(Replies.ALREADY_AUTHENTICATED);
            return;
        }
        if (tx != null) { // RFC 4954 §4: not during a mail transaction
            send(Reply.of(503, "5.5.1", "AUTH not allowed during a mail transaction"));
            return;
        }
        SaslMechanism mech = SaslMechanisms.find(usableMechanisms(), a.mechanism()).orElse(null);
        if (mech == null) { // RFC 4954 §4
            send(Replies.AUTH_MECH_UNKNOWN);
            return;
        }
        if (gate.blocked(client(), mech.name())) {
            send(Replies.AUTH_TEMP_FAIL);
            return;
        }
        SaslDialog.Outcome outcome = SaslDialog.run(mech, binding, a.initialResponse(), this::challenge);
        switch (outcome) {
            case SaslDialog.Outcome.Authenticated ok -> {
                try {
                    handler.authenticated(this, ok.user());
                } catch (SmtpRejection r) {
                    gate.aborted(client(), ok.mechanism(), ok.user(), "refused-by-policy");
                    reject(r);
                    return;
                }
                authUser = ok.user();
                gate.succeeded(client(), ok.mechanism(), ok.user());
                send(Replies.AUTH_OK);
            }
            case SaslDialog.Outcome.Failed f -> {
                // the claimed user (null when the mechanism never got that far) also feeds the
                // per-account slowdown; one reply for unknown user and wrong password
                gate.failed(client(), f.mechanism(), f.claimedUser(), f.reason(), out);
                send(Replies.AUTH_FAILED);
            }
            case SaslDialog.Outcome.Malformed m -> {
                gate.aborted(client(), m.mechanism(), m.claimedUser(), m.reason());
                send(m.reason().equals("line-too-long") ? Replies.LINE_TOO_LONG : Replies.AUTH_MALFORMED);
            }
            case SaslDialog.Outcome.Cancelled c -> {
                gate.aborted(client(), c.mechanism(), c.claimedUser(), "cancelled");
                send(Replies.AUTH_CANCELLED); // RFC 4954 §4: 501 after "*"
            }
            case SaslDialog.Outcome.TooManyRounds t -> {
                gate.aborted(client(), t.mechanism(), t.claimedUser(), "too-many-rounds");
                send(Replies.AUTH_MALFORMED);
            }
            case SaslDialog.Outcome.Disconnected d -> {
                gate.aborted(client(), d.mechanism(), d.claimedUser(), authTimeout != null ? "timeout" : "client-closed");
                if (authTimeout != null) throw authTimeout;
                throw new EOFException("connection closed during AUTH");
            }
        }
    }

    /** One 334 challenge (RFC 4954 §4) and the client's answer line. */
    private SaslDialog.Answer challenge(byte[] data) throws IOException {
        write(new Reply(334, null, Base64.getEncoder().encodeToString(data)));
        SmtpInput.Line line;
        deadline.begin(); // each SASL answer line is a command of its own for the deadline
        try {
            line = in.readLine(AUTH_LINE_MAX);
        } catch (SocketTimeoutException e) {
            authTimeout = e; // the dialogue ends as Disconnected and is logged; then the usual 421
            return new SaslDialog.Answer.Closed();
        }
        return switch (line.status()) {
            case EOF -> new SaslDialog.Answer.Closed();
            case TOO_LONG -> new SaslDialog.Answer.Unreadable("line-too-long");
            case BARE_LF -> new SaslDialog.Answer.Unreadable("bare-lf");
            case OK -> new SaslDialog.Answer.Line(new String(line.bytes(), StandardCharsets.ISO_8859_1));
        };
    }

    // ---------------------------------------------------------------- replies

    private void reject(SmtpRejection r) throws IOException {
        send(r.reply());
        if (r.closeAfter()) throw new Close();
    }

    /**
     * Queues a reply (flushed before the next blocking read: RFC 2920 §3). Permanent failures
     * count as errors; past the limit the session ends with 421 instead.
     */
    private void send(Reply r) throws IOException {
        if (r.code() >= 500 && ++errors > cfg.limits().maxErrors()) {
            log.info("{} too many errors ({})", id, errors);
            write(Replies.tooManyErrors(cfg.serverName()));
            throw new Close();
        }
        write(r);
    }

    private void write(Reply r) throws IOException {
        SmtpMeters.reply(r.code());
        out.write(r.encode(extended));
    }

    private void flush() throws IOException {
        out.flush();
    }

    private void quietFlush() {
        try {
            if (out != null) out.flush();
        } catch (IOException ignored) {
            // the connection is going away
        }
    }

    private void quietWrite(Reply r) {
        try {
            if (out != null) {
                write(r);
                out.flush();
            }
        } catch (IOException ignored) {
            // the connection is going away
        }
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    /** Writes to the handler's sink; records a failure instead of throwing, so it is not taken for a network error. */
    static final class GuardedStream extends OutputStream {
        private final OutputStream target;
        IOException failure;

        GuardedStream(OutputStream target) {
            this.target = new BufferedOutputStream(target, 8192);
        }

        @Override
        public void write(int b) {
            if (failure != null) return;
            try {
                target.write(b);
            } catch (IOException e) {
                failure = e;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (failure != null) return;
            try {
                target.write(b, off, len);
            } catch (IOException e) {
                failure = e;
            }
        }

        @Override
        public void flush() {
            if (failure != null) return;
            try {
                target.flush();
            } catch (IOException e) {
                failure = e;
            }
        }
    }
}
