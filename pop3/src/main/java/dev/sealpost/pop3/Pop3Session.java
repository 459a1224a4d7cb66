package dev.sealpost.pop3;

import dev.sealpost.core.login.LoginGate;
import dev.sealpost.core.login.LoginPolicy;
import dev.sealpost.core.sasl.ChannelBinding;
import dev.sealpost.core.sasl.SaslDialog;
import dev.sealpost.core.sasl.SaslMechanism;
import dev.sealpost.core.sasl.SaslMechanisms;
import dev.sealpost.core.tls.ServerTls;
import dev.sealpost.pop3.proto.MultilineWriter;
import dev.sealpost.pop3.proto.Pop3Command;
import dev.sealpost.pop3.proto.Pop3Input;
import dev.sealpost.store.Directory;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One POP3 connection: the command loop and its states (RFC 1939 §3: AUTHORIZATION,
 * TRANSACTION, UPDATE), run on its own virtual thread with blocking I/O. Not thread-safe except
 * {@link #abortConnection()}.
 */
final class Pop3Session implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Pop3Session.class);

    /** RFC 2449 §8 / RFC 3206 response codes. */
    enum Code {
        NONE(""), AUTH("[AUTH] "), SYS_TEMP("[SYS/TEMP] "), SYS_PERM("[SYS/PERM] "), IN_USE("[IN-USE] ");

        final String prefix;

        Code(String prefix) {
            this.prefix = prefix;
        }
    }

    private enum State { AUTHORIZATION, TRANSACTION }

    /** One message of the session's snapshot of INBOX; its number is its index + 1 (RFC 1939 §5). */
    private static final class Msg {
        final Mailboxes.MessageInfo info;
        boolean deleted;

        Msg(Mailboxes.MessageInfo info) {
            this.info = info;
        }
    }

    /** Ends the session after the responses in hand have been flushed. */
    private static final class Close extends RuntimeException {
        Close() {
            super(null, null, false, false);
        }
    }

    /** Reading a stored message failed after "+OK" went out: the session cannot continue. */
    private static final class BlobReadException extends IOException {
        BlobReadException(IOException cause) {
            super(cause.toString(), cause);
        }
    }

    private final Pop3ServerConfig cfg;
    private final Store store;
    private final LoginGate gate;
    private final List<SaslMechanism> mechanisms;
    private final Duration idleTimeout;
    private final Runnable onEnd;
    private final String id;
    private final InetSocketAddress remote, local;

    /** The TCP connection; closing it wakes a blocked read at once, TLS or not. */
    private final Socket raw;
    private volatile Socket socket;
    private Pop3Input in;
    /** Under {@link #in}: one command line must arrive within its deadline from its first octet (slowloris). */
    private dev.sealpost.core.io.CommandDeadline deadline;
    private dev.sealpost.core.io.LineOutput out;
    private boolean tls;
    private ChannelBinding binding;
    private int badCommands;

    private State state = State.AUTHORIZATION;
    private String pendingUser;
    // TRANSACTION state
    private Directory.Account account;
    private boolean locked;
    private Pop3Mode mode;
    private long mailboxId;
    private long uidValidity;
    private Msg[] msgs;

    Pop3Session(Pop3ServerConfig cfg, Store store, LoginGate gate, List<SaslMechanism> mechanisms,
                Duration idleTimeout, Socket socket, Runnable onEnd) {
        this.cfg = cfg;
        this.store = store;
        this.gate = gate;
        this.mechanisms = mechanisms;
        this.idleTimeout = idleTimeout;
        this.socket = socket;
        this.raw = socket;
        this.onEnd = onEnd;
        this.id = dev.sealpost.core.net.SessionIds.next();
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.local = (InetSocketAddress) socket.getLocalSocketAddress();
    }

    String sessionId() {
        return id;
    }

    /**
     * Closes the TCP socket, not the TLS one: a blocked read fails and the session ends (no
     * UPDATE). At server shutdown the listener closes the same socket from another thread
     * (closing an SSLSocket would wait for a read in progress to finish, up to the idle timeout).
     */
    void abortConnection() {
        try {
            raw.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** At the end of the session, on its own thread: TLS close_notify where possible, then the TCP socket. */
    private void closeConnection() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        abortConnection();
    }

    // ---------------------------------------------------------------- main loop

    @Override
    public void run() {
        long started = System.nanoTime();
        try {
            socket.setSoTimeout(millis(idleTimeout));
            log.info("{} connect from {} to {}{}", id, remote, local, cfg.implicitTls() ? " (implicit TLS)" : "");
            if (cfg.implicitTls()) {
                handshake(); // RFC 8314 §3.3: the handshake comes before the greeting
            } else {
                streams(socket);
            }
            // RFC 1939 §4: greeting. No APOP timestamp: APOP (MD5 of a shared secret) is not offered.
            ok(cfg.hostname() + " POP3 Sealpost ready");
            commandLoop();
        } catch (Close c) {
            quietFlush();
        } catch (SocketTimeoutException e) {
            // RFC 1939 §3: autologout; the session ends without entering the UPDATE state
            boolean deadlinePassed = e instanceof dev.sealpost.core.io.CommandDeadline.DeadlineExceededException;
            log.info("{} {}; closing without UPDATE", id, deadlinePassed ? "command deadline passed" : "idle timeout");
            quietLine(deadlinePassed ? "-ERR Autologout: command took too long" : "-ERR Autologout: idle for too long");
        } catch (BlobReadException e) {
            log.warn("{} reading a stored message failed mid-response; closing: {}", id, e.getMessage());
            quietFlush();
        } catch (EOFException e) {
            log.info("{} connection closed by client: {}", id, e.getMessage());
        } catch (IOException e) {
            log.info("{} connection lost: {}", id, e.toString());
        } catch (RuntimeException e) {
            log.error("{} internal error; closing session", id, e);
            quietLine("-ERR [SYS/TEMP] Internal error, closing connection");
        } finally {
            if (locked) {
                MaildropLocks.unlock(store, account.id(), id);
                locked = false;
            }
            closeConnection();
            log.info("{} disconnect after {} ms", id, (System.nanoTime() - started) / 1_000_000);
            onEnd.run();
        }
    }

    private void commandLoop() throws IOException {
        int lineMax = Math.max(cfg.maxLineLength(), Pop3Command.MAX_AUTH_LINE);
        while (true) {
            deadline.begin(); // armed by the command's first octet; RFC 1939 §3's autologout covers the wait
            Pop3Input.Line line = in.readLine(lineMax);
            switch (line.status()) {
                case EOF -> {
                    // RFC 1939 §6: no QUIT, no UPDATE: messages marked as deleted stay
                    log.info("{} client closed the connection without QUIT{}", id,
                            state == State.TRANSACTION ? "; nothing deleted" : "");
                    return;
                }
                case TOO_LONG -> bad(Code.NONE, "Line too long");
                case OK -> {
                    byte[] b = line.bytes();
                    if (b.length > cfg.maxLineLength() && !startsWithAuth(b)) {
                        bad(Code.NONE, "Line too long");
                        continue;
                    }
                    switch (Pop3Command.parse(b)) {
                        case Pop3Command.Invalid inv -> bad(Code.NONE, inv.text());
                        case Pop3Command.Parsed p -> dispatch(p.command());
                    }
                }
            }
        }
    }

    private static boolean startsWithAuth(byte[] b) {
        return b.length > 5 && new String(b, 0, 5, StandardCharsets.ISO_8859_1).equalsIgnoreCase("AUTH ");
    }

    private void dispatch(Pop3Command cmd) throws IOException {
        switch (cmd) {
            case Pop3Command.Capa c -> capa();
            case Pop3Command.Quit q -> quit();
            case Pop3Command.Noop n -> {
                if (transaction()) ok(""); // RFC 1939 §5
            }
            case Pop3Command.Stls s -> stls();
            case Pop3Command.User u -> user(u);
            case Pop3Command.Pass p -> pass(p);
            case Pop3Command.Auth a -> auth(a);
            case Pop3Command.Stat s -> {
                if (transaction()) ok(count() + " " + octets()); // RFC 1939 §5: drop listing
            }
            case Pop3Command.ListMessages l -> list(l.msg());
            case Pop3Command.Uidl u -> uidl(u.msg());
            case Pop3Command.Retr r -> retr(r.msg(), MultilineWriter.ALL);
            case Pop3Command.Top t -> retr(t.msg(), t.lines());
            case Pop3Command.Dele d -> dele(d.msg());
            case Pop3Command.Rset r -> rset();
        }
    }

    // ---------------------------------------------------------------- CAPA, STLS, QUIT

    /** RFC 2449 §5 */
    private void capa() throws IOException {
        List<String> caps = new ArrayList<>();
        caps.add("TOP"); // RFC 2449 §6.1
        caps.add("UIDL"); // RFC 2449 §6.8
        caps.add("RESP-CODES"); // RFC 2449 §6.4
        caps.add("AUTH-RESP-CODE"); // RFC 3206 §6
        caps.add("PIPELINING"); // RFC 2449 §6.6
        if (state == State.AUTHORIZATION) {
            if (loginAllowed()) {
                caps.add("USER"); // RFC 2449 §6.2: only where USER/PASS may be used
                List<SaslMechanism> offered = SaslMechanisms.advertised(mechanisms, tls, binding, cfg.allowAuthWithoutTls());
                if (!offered.isEmpty()) {
                    caps.add("SASL " + String.join(" ", offered.stream().map(SaslMechanism::name).toList())); // RFC 5034 §3
                }
            }
            if (cfg.tls() != null && !tls) caps.add("STLS"); // RFC 2595 §4: not once TLS is active
        }
        caps.add("IMPLEMENTATION Sealpost"); // RFC 2449 §6.9
        multiline("Capability list follows", caps);
    }

    /** RFC 2595 §4 */
    private void stls() throws IOException {
        if (state != State.AUTHORIZATION) {
            bad(Code.NONE, "STLS is only valid in the AUTHORIZATION state");
            return;
        }
        if (tls) {
            bad(Code.NONE, "TLS is already active");
            return;
        }
        if (cfg.tls() == null) {
            bad(Code.NONE, "STLS not available");
            return;
        }
        ok("Begin TLS negotiation");
        out.flush();
        // RFC 2595 §4 / CVE-2011-0411: anything pipelined after STLS was sent in the clear and
        // must not be executed after the handshake.
        int discarded = in.discardBuffered();
        if (discarded > 0) log.warn("{} discarded {} octets sent after STLS (command injection attempt?)", id, discarded);
        handshake();
        pendingUser = null; // forget what was learned before TLS
    }

    /** RFC 1939 §4 (AUTHORIZATION) and §6 (UPDATE) */
    private void quit() throws IOException {
        if (state == State.AUTHORIZATION) {
            ok(cfg.hostname() + " POP3 server signing off");
            throw new Close();
        }
        // RFC 1939 §6: the UPDATE state is entered only on QUIT from the TRANSACTION state
        List<Long> uids = new ArrayList<>();
        for (Msg m : msgs) if (m.deleted) uids.add(m.info.uid());
        int left = msgs.length - uids.size();
        if (!uids.isEmpty()) {
            try {
                Mailboxes mb = store.mailboxes();
                long now = mb.mailbox(mailboxId).map(Mailboxes.MailboxInfo::uidValidity).orElse(-1L);
                if (now != uidValidity) {
                    // RFC 3501 §2.3.1.1: other UIDVALIDITY, other messages: our UIDs no longer name them
                    throw new IllegalStateException("INBOX changed its UIDVALIDITY during the session");
                }
                if (mode == Pop3Mode.KEEP) {
                    mb.store(mailboxId, uids, Mailboxes.FlagMode.ADD, Set.of("\\Seen", Pop3Mode.DELETED_KEYWORD), -1);
                    log.info("{} QUIT: {} message(s) marked {} (keep mode), {} left", id, uids.size(), Pop3Mode.DELETED_KEYWORD, left);
                } else {
                    // set \Deleted on exactly these messages, then expunge only them (not what IMAP marked)
                    mb.store(mailboxId, uids, Mailboxes.FlagMode.ADD, Set.of("\\Deleted"), -1);
                    Mailboxes.ExpungeResult r = mb.expunge(mailboxId, uids);
                    log.info("{} QUIT: {} message(s) expunged, {} left", id, r.uids().size(), left);
                }
            } catch (RuntimeException e) {
                log.warn("{} QUIT: removing {} message(s) failed: {}", id, uids.size(), e.toString());
                // RFC 1939 §6: "-ERR some deleted messages not removed"
                err(Code.SYS_TEMP, "Some deleted messages not removed");
                throw new Close();
            }
        } else {
            log.info("{} QUIT: nothing deleted, {} left", id, left);
        }
        ok(cfg.hostname() + " POP3 server signing off (" + (left == 0 ? "maildrop empty" : left + " messages left") + ")");
        throw new Close();
    }

    // ---------------------------------------------------------------- USER / PASS / AUTH

    /** USER/PASS and AUTH (every mechanism) are possible on this connection: {@link LoginPolicy} (RFC 8314 §3, RFC 2595 §2.1). */
    private boolean loginAllowed() {
        return LoginPolicy.mayAuthenticate(tls, cfg.allowAuthWithoutTls());
    }

    /** Mechanisms a client may use now (none before TLS unless configured). */
    private List<SaslMechanism> usableMechanisms() {
        return SaslMechanisms.forConnection(mechanisms, tls, binding, cfg.allowAuthWithoutTls());
    }

    private LoginGate.Client client() {
        return new LoginGate.Client("pop3", id, remote.getAddress());
    }

    private boolean authorizationState() throws IOException {
        if (state == State.AUTHORIZATION) return true;
        bad(Code.NONE, "Already logged in");
        return false;
    }

    private boolean loginPossible() throws IOException {
        if (loginAllowed()) return true;
        // RFC 2595 §2.1: no plaintext passwords in the clear
        bad(Code.NONE, cfg.tls() != null ? "Use STLS first: login is only possible over TLS" : "Login is only possible over TLS");
        return false;
    }

    /** RFC 1939 §7 */
    private void user(Pop3Command.User u) throws IOException {
        if (!authorizationState() || !loginPossible()) return;
        // The same "+OK" for every name: whether an account exists shows neither here nor at PASS
        pendingUser = u.name();
        ok("Send PASS");
    }

    /** RFC 1939 §7 */
    private void pass(Pop3Command.Pass p) throws IOException {
        try {
            if (!authorizationState() || !loginPossible()) return;
            if (pendingUser == null) {
                bad(Code.NONE, "Send USER first");
                return;
            }
            String user = pendingUser;
            pendingUser = null; // RFC 1939 §7: after a failed PASS the client starts again with USER
            if (blocked("USER")) return;
            char[] password = utf8Chars(p.password());
            Optional<Directory.Account> acc;
            if (password == null) {
                acc = Optional.empty();
            } else {
                try {
                    acc = store.directory().authenticate(user, password);
                } finally {
                    Arrays.fill(password, '\0');
                }
            }
            if (acc.isEmpty()) {
                loginFailed("USER", user, "bad-credentials");
                return;
            }
            loggedIn(acc.get(), "USER");
        } finally {
            Arrays.fill(p.password(), (byte) 0);
        }
    }

    /** RFC 5034 §4 */
    private void auth(Pop3Command.Auth a) throws IOException {
        if (!authorizationState()) return;
        if (a.mechanism() == null) {
            // Leniency, a decision: a bare AUTH lists the mechanisms (RFC 1734 era clients, as Dovecot does)
            if (!loginPossible()) return;
            multiline("Methods supported", SaslMechanisms.advertised(mechanisms, tls, binding, cfg.allowAuthWithoutTls())
                    .stream().map(SaslMechanism::name).toList());
            return;
        }
        if (!loginPossible()) {
            gate.aborted(client(), a.mechanism(), null, "tls-required");
            return;
        }
        SaslMechanism mech = SaslMechanisms.find(usableMechanisms(), a.mechanism()).orElse(null);
        if (mech == null) {
            bad(Code.NONE, "Unsupported authentication mechanism");
            return;
        }
        if (blocked(mech.name())) return;
        SaslDialog.Outcome outcome = SaslDialog.run(mech, binding, a.initialResponse(), this::challenge);
        switch (outcome) {
            case SaslDialog.Outcome.Authenticated ok -> {
                Optional<Directory.Account> acc = store.directory().account(ok.user());
                if (acc.isEmpty()) { // removed in the meantime
                    loginFailed(ok.mechanism(), ok.user(), "no-such-account");
                    return;
                }
                loggedIn(acc.get(), ok.mechanism());
            }
            case SaslDialog.Outcome.Failed f -> loginFailed(f.mechanism(), f.claimedUser(), f.reason());
            case SaslDialog.Outcome.Malformed m -> {
                gate.aborted(client(), m.mechanism(), m.claimedUser(), m.reason());
                bad(Code.NONE, switch (m.reason()) {
                    case "line-too-long" -> "Line too long";
                    case "bad-base64", "non-empty-final-response" -> "Malformed SASL response";
                    default -> "Malformed SASL message";
                });
            }
            case SaslDialog.Outcome.Cancelled c -> { // RFC 5034 §4: the client cancels; the server answers -ERR
                gate.aborted(client(), c.mechanism(), c.claimedUser(), "cancelled");
                err(Code.NONE, "Authentication cancelled");
            }
            case SaslDialog.Outcome.TooManyRounds t -> {
                gate.aborted(client(), t.mechanism(), t.claimedUser(), "too-many-rounds");
                bad(Code.NONE, "Too many SASL rounds");
            }
            case SaslDialog.Outcome.Disconnected d -> {
                gate.aborted(client(), d.mechanism(), d.claimedUser(), "client-closed");
                throw new EOFException("connection closed during AUTH");
            }
        }
    }

    /** A "+ " continuation (RFC 5034 §4) and the client's answer line. */
    private SaslDialog.Answer challenge(byte[] data) throws IOException {
        line("+ " + Base64.getEncoder().encodeToString(data));
        deadline.begin();
        Pop3Input.Line l = in.readLine(Pop3Command.MAX_AUTH_LINE);
        return switch (l.status()) {
            case EOF -> new SaslDialog.Answer.Closed();
            case TOO_LONG -> new SaslDialog.Answer.Unreadable("line-too-long");
            case BARE_LF -> throw new IllegalStateException("POP3 input accepts bare LF line ends"); // LineEnd.CRLF_OR_LF
            case OK -> new SaslDialog.Answer.Line(new String(l.bytes(), StandardCharsets.ISO_8859_1));
        };
    }

    /** True (after responding) when the login throttle refuses this client now. */
    private boolean blocked(String mechanism) throws IOException {
        if (!gate.blocked(client(), mechanism)) return false;
        // RFC 3206 §4: SYS/TEMP, a temporary condition: the client may try later
        err(Code.SYS_TEMP, "Too many failed logins; try again later");
        return true;
    }

    private void loginFailed(String mechanism, String claimedUser, String reason) throws IOException {
        gate.failed(client(), mechanism, claimedUser, reason, out); // logs; never the password
        // RFC 3206 §5: [AUTH]; one text for an unknown user and a wrong password: no enumeration
        bad(Code.AUTH, "Authentication failed");
    }

    /** Credentials are good: lock the maildrop and take the snapshot (RFC 1939 §4, §7 PASS). */
    private void loggedIn(Directory.Account acc, String method) throws IOException {
        gate.succeeded(client(), method, acc.address());
        if (!MaildropLocks.tryLock(store, acc.id(), id)) {
            log.info("{} {} as {}: maildrop locked by session {}", id, method, acc.address(), MaildropLocks.holder(store, acc.id()));
            // RFC 2449 §8.1.2 IN-USE: the maildrop is locked by another POP3 session
            err(Code.IN_USE, "Maildrop is locked by another session");
            return;
        }
        account = acc;
        locked = true;
        try {
            Mailboxes mb = store.mailboxes();
            Pop3Mode m = Pop3Mode.of(mb, acc.id());
            Mailboxes.MailboxInfo inbox = mb.mailbox(acc.id(), "INBOX").orElse(null);
            if (inbox == null) {
                log.warn("{} {} as {}: the account has no INBOX", id, method, acc.address());
                releaseLock();
                err(Code.SYS_PERM, "Maildrop not available");
                return;
            }
            // Messages a POP3 client already deleted in keep mode are never shown again
            List<Msg> list = new ArrayList<>();
            for (Mailboxes.MessageInfo info : mb.messages(inbox.id())) {
                if (!hasFlag(info.flags(), Pop3Mode.DELETED_KEYWORD)) list.add(new Msg(info));
            }
            mode = m;
            mailboxId = inbox.id();
            uidValidity = inbox.uidValidity();
            msgs = list.toArray(new Msg[0]);
        } catch (RuntimeException e) {
            log.warn("{} {} as {}: opening the maildrop failed: {}", id, method, acc.address(), e.toString());
            releaseLock();
            err(Code.SYS_TEMP, "Unable to open the maildrop; try again later");
            return;
        }
        state = State.TRANSACTION;
        log.info("{} {} succeeded as {} ({} messages, {} mode)", id, method, acc.address(), msgs.length, mode.value());
        ok("Maildrop locked and ready: " + count() + " messages (" + octets() + " octets)");
    }

    private void releaseLock() {
        MaildropLocks.unlock(store, account.id(), id);
        locked = false;
        account = null;
    }

    private static boolean hasFlag(Set<String> flags, String flag) {
        for (String f : flags) if (f.equalsIgnoreCase(flag)) return true;
        return false;
    }

    /** Strict UTF-8 to a char array, without making a String; null when not UTF-8. */
    private static char[] utf8Chars(byte[] b) {
        CharBuffer cb;
        try {
            cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
        } catch (CharacterCodingException e) {
            return null;
        }
        char[] out = new char[cb.remaining()];
        cb.get(out);
        if (cb.hasArray()) Arrays.fill(cb.array(), '\0');
        return out;
    }

    // ---------------------------------------------------------------- TRANSACTION commands

    private boolean transaction() throws IOException {
        if (state == State.TRANSACTION) return true;
        bad(Code.NONE, "Command not valid in the AUTHORIZATION state: log in first");
        return false;
    }

    private int count() {
        int n = 0;
        for (Msg m : msgs) if (!m.deleted) n++;
        return n;
    }

    private long octets() {
        long n = 0;
        for (Msg m : msgs) if (!m.deleted) n += m.info.size();
        return n;
    }

    /** The message with this number, or null after responding (RFC 1939 §5: no such message / already deleted). */
    private Msg message(int n) throws IOException {
        if (n < 1 || n > msgs.length) {
            bad(Code.NONE, "No such message");
            return null;
        }
        Msg m = msgs[n - 1];
        if (m.deleted) {
            bad(Code.NONE, "Message " + n + " already deleted");
            return null;
        }
        return m;
    }

    /** RFC 1939 §5 */
    private void list(Integer n) throws IOException {
        if (!transaction()) return;
        if (n != null) {
            Msg m = message(n);
            if (m != null) ok(n + " " + m.info.size());
            return;
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < msgs.length; i++) if (!msgs[i].deleted) lines.add((i + 1) + " " + msgs[i].info.size());
        multiline(count() + " messages (" + octets() + " octets)", lines);
    }

    /** RFC 1939 §7: unique-id = 1*70 of 0x21-0x7E, stable across sessions: UIDVALIDITY "." UID */
    private String uid(Msg m) {
        return uidValidity + "." + m.info.uid();
    }

    private void uidl(Integer n) throws IOException {
        if (!transaction()) return;
        if (n != null) {
            Msg m = message(n);
            if (m != null) ok(n + " " + uid(m));
            return;
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < msgs.length; i++) if (!msgs[i].deleted) lines.add((i + 1) + " " + uid(msgs[i]));
        multiline("Unique-id listing follows", lines);
    }

    /** RETR (RFC 1939 §5) or, with {@code bodyLines >= 0}, TOP (RFC 1939 §7). */
    private void retr(int n, int bodyLines) throws IOException {
        if (!transaction()) return;
        Msg m = message(n);
        if (m == null) return;
        InputStream content;
        try {
            content = store.blobs().open(m.info.blobId());
        } catch (NoSuchFileException e) {
            log.warn("{} message {} (uid {}) has no stored content", id, n, m.info.uid());
            err(Code.NONE, "Message " + n + " is no longer available");
            return;
        } catch (IOException | RuntimeException e) {
            log.warn("{} opening message {} (uid {}) failed: {}", id, n, m.info.uid(), e.toString());
            err(Code.SYS_TEMP, "Message " + n + " cannot be read now");
            return;
        }
        try (InputStream guarded = new GuardedInput(content)) {
            ok(bodyLines == MultilineWriter.ALL ? m.info.size() + " octets" : "Top of message follows");
            MultilineWriter.write(guarded, out.stream(), bodyLines);
        }
        log.debug("{} {} {} (uid {})", id, bodyLines == MultilineWriter.ALL ? "RETR" : "TOP", n, m.info.uid());
    }

    /** RFC 1939 §5 */
    private void dele(int n) throws IOException {
        if (!transaction()) return;
        Msg m = message(n);
        if (m == null) return;
        m.deleted = true;
        ok("Message " + n + " deleted");
    }

    /** RFC 1939 §5 */
    private void rset() throws IOException {
        if (!transaction()) return;
        for (Msg m : msgs) m.deleted = false;
        ok("Maildrop has " + count() + " messages (" + octets() + " octets)");
    }

    /** Tags read failures of a stored message, so they are not taken for the client going away. */
    private static final class GuardedInput extends FilterInputStream {
        GuardedInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw new BlobReadException(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw new BlobReadException(e);
            }
        }

        @Override
        public void close() {
            try {
                super.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
    }

    // ---------------------------------------------------------------- TLS

    /** TLS handshake on the current socket (implicit TLS, or after STLS); ends the session on failure. */
    private void handshake() throws IOException {
        // the listener's ServerTls announces ALPN "pop3" (Pop3ServerConfig)
        switch (cfg.tls().handshake(socket, idleTimeout)) {
            case ServerTls.Handshake.Failed f -> {
                socket = f.socket();
                log.info("{} TLS handshake failed: {}", id, f.reason());
                throw new Close();
            }
            case ServerTls.Handshake.Established e -> {
                socket = e.socket();
                streams(e.socket());
                tls = true;
                binding = e.channelBinding(); // RFC 9266: TLS 1.3 only, see ServerTls.channelBinding
                log.info("{} TLS established: {}", id, e.description());
            }
        }
    }

    private void streams(Socket s) throws IOException {
        deadline = new dev.sealpost.core.io.CommandDeadline(s.getInputStream(), s, cfg.deadline());
        in = new Pop3Input(deadline, this::flush);
        out = new dev.sealpost.core.io.LineOutput(s.getOutputStream());
    }

    // ---------------------------------------------------------------- responses

    private void ok(String text) throws IOException {
        line(text.isEmpty() ? "+OK" : "+OK " + text);
    }

    /** A negative response that is not the client's fault (no bad-command count). */
    private void err(Code code, String text) throws IOException {
        line("-ERR " + code.prefix + text);
    }

    /**
     * A negative response to a client error. Past {@code maxBadCommands} the session ends with
     * a final -ERR instead.
     */
    private void bad(Code code, String text) throws IOException {
        if (++badCommands > cfg.maxBadCommands()) {
            log.info("{} too many bad commands ({}); closing", id, badCommands);
            line("-ERR Too many bad commands; closing connection");
            throw new Close();
        }
        err(code, text);
    }

    /** "+OK text", the lines (dot-stuffed), "." (RFC 1939 §3). */
    private void multiline(String first, List<String> lines) throws IOException {
        ok(first);
        for (String l : lines) line(l.startsWith(".") ? "." + l : l);
        line(".");
    }

    private void line(String s) throws IOException {
        out.line(s);
    }

    private void flush() throws IOException {
        out.flush();
    }

    private void quietFlush() {
        if (out != null) out.quietFlush();
    }

    private void quietLine(String s) {
        if (out != null) out.quietLine(s);
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }
}
