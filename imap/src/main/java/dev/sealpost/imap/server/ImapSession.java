package dev.sealpost.imap.server;

import dev.sealpost.core.login.LoginGate;
import dev.sealpost.core.login.LoginPolicy;
import dev.sealpost.core.sasl.ChannelBinding;
import dev.sealpost.core.sasl.SaslMechanism;
import dev.sealpost.core.sasl.SaslMechanisms;
import dev.sealpost.core.tls.ServerTls;
import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.Command;
import dev.sealpost.imap.proto.CommandReader;
import dev.sealpost.imap.proto.ReaderLimits;
import dev.sealpost.imap.proto.ImapSyntaxException;
import dev.sealpost.store.Directory;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Store;
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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * One IMAP connection (RFC 9051 state machine: not authenticated, authenticated, selected,
 * logout), run on its own virtual thread with blocking I/O. Every command is read whole
 * ({@link CommandReader}), executed against the store and answered; untagged updates about the
 * selected mailbox (EXISTS, EXPUNGE / VANISHED, FETCH FLAGS) are computed from
 * {@link Mailboxes#changes} and sent only where RFC 9051 §7.5.1 allows them.
 */
final class ImapSession implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ImapSession.class);
    /** RFC 4314 §2.1 rights an owner has on its own mailboxes. */
    static final String ALL_RIGHTS = "lrswipkxtea";
    static final String OTHER_USERS = "Other Users";

    enum State { NOT_AUTHENTICATED, AUTHENTICATED, SELECTED, LOGOUT }

    /** Ends the session (after whatever was already written). */
    static final class Close extends RuntimeException {
        Close() {
            super(null, null, false, false);
        }
    }

    private static CommandFailed no(String text) {
        return CommandFailed.no(text);
    }

    private static CommandFailed bad(String text) {
        return CommandFailed.bad(text);
    }

    private final ImapServerConfig cfg;
    private final Store store;
    private final Mailboxes mailboxes;
    private final LoginGate gate;
    private final ImapServer server;
    private final Runnable onEnd;
    private final String id;
    private final InetSocketAddress remote;
    private final List<SaslMechanism> allMechanisms;

    private Socket socket;
    /** The accepted TCP socket: closing it also ends a read blocked inside a TLS socket layered on it. */
    private final Socket tcp;
    private java.io.InputStream in;
    private OutputStream out;
    private CommandReader reader;
    private boolean tls;
    private boolean compressed;
    private ChannelBinding binding;
    private State state = State.NOT_AUTHENTICATED;
    private Directory.Account account;
    private boolean registered;
    private int badCommands;

    // ENABLEd extensions (RFC 5161)
    private boolean rev2;
    private boolean condstore;
    private boolean qresync;
    private boolean utf8;

    private volatile SelectedMailbox selected;
    /** RFC 5182 SEARCHRES: the UIDs saved by the last SEARCH RETURN (SAVE). */
    private List<Long> searchRes = List.of();

    // IDLE wake-ups from the store's change listener
    private final ReentrantLock wakeLock = new ReentrantLock();
    private final Condition wakeCond = wakeLock.newCondition();
    private volatile boolean woken;
    private volatile boolean notifyWoken;
    /** Held while a command runs and while anything is written: serializes NOTIFY output with commands. */
    private final ReentrantLock io = new ReentrantLock();
    /** RFC 5465 NOTIFY state, or null. */
    private volatile NotifySpec notify;
    private volatile Thread notifier;

    ImapSession(ImapServerConfig cfg, Store store, LoginGate gate, List<SaslMechanism> mechanisms, ImapServer server,
                Socket socket, Runnable onEnd) {
        this.cfg = cfg;
        this.store = store;
        this.mailboxes = store.mailboxes();
        this.gate = gate;
        this.server = server;
        this.socket = socket;
        this.tcp = socket;
        this.onEnd = onEnd;
        this.id = dev.sealpost.core.net.SessionIds.next();
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.allMechanisms = mechanisms; // without SASL LOGIN: IMAP has its own LOGIN command
    }

    String sessionId() {
        return id;
    }

    /** Closes the TCP socket (the notifier; the listener does the same at server shutdown); the session thread then ends. */
    void abortConnection() {
        try {
            // SSLSocket.close() waits for a read in progress on another thread; the TCP socket does not
            tcp.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** The store reported a change (runs on the committing thread: only signal). */
    void wake(long accountId, long mailboxId) {
        SelectedMailbox s = selected;
        boolean forSelected = s != null && s.mailboxId == mailboxId;
        Directory.Account acc = account;
        boolean forNotify = notify != null && acc != null && acc.id() == accountId;
        if (!forSelected && !forNotify) return;
        wakeLock.lock();
        try {
            woken = true;
            if (forNotify) notifyWoken = true;
            wakeCond.signalAll();
        } finally {
            wakeLock.unlock();
        }
    }

    // ================================================================ connection

    @Override
    public void run() {
        log.info("{} connection from {}", id, remote.getAddress().getHostAddress());
        try {
            socket.setSoTimeout(millis(cfg.limits().preAuthTimeout()));
            in = socket.getInputStream();
            out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            if (cfg.implicitTls()) handshake();
            newReader();
            // RFC 9051 §7.1.1: greeting with the capabilities as a response code
            untagged("OK [CAPABILITY " + capabilities() + "] Sealpost ready");
            flush();
            loop();
        } catch (Close c) {
            // ended on purpose
        } catch (SocketTimeoutException e) {
            log.info("{} autologout after inactivity", id);
            try {
                untagged("BYE Autologout; idle for too long"); // RFC 9051 §5.4
                flush();
            } catch (IOException | RuntimeException ignored) {
                // the client is gone
            }
        } catch (EOFException e) {
            log.info("{} client closed the connection", id);
        } catch (IOException e) {
            log.info("{} connection error: {}", id, e.toString());
        } catch (RuntimeException e) {
            log.error("{} session failed", id, e);
            try {
                untagged("BYE Internal server error");
                flush();
            } catch (IOException | RuntimeException ignored) {
                // the client is gone
            }
        } finally {
            if (registered) server.unregisterAccount(account.id(), this);
            stopNotifier();
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            log.info("{} closed", id);
            onEnd.run();
        }
    }

    /** Literals larger than this are refused before authentication (an unauthenticated client has no use for them). */
    static final long PRE_AUTH_LITERAL = 8 * 1024;
    /**
     * A refused non-synchronizing literal before authentication up to this size is read and
     * discarded; a larger one ends the session (RFC 7888 §4), so that an unauthenticated client
     * cannot make us read the append limit's worth of octets per command.
     */
    static final long PRE_AUTH_SKIP = 64 * 1024;

    /** A new command reader over {@link #in}: at the start, and after STARTTLS or COMPRESS (dropping anything buffered). */
    private void newReader() {
        ImapServerConfig.Limits l = cfg.limits();
        long literal = Math.min(l.maxLiteralBytes(), Integer.MAX_VALUE - 16);
        long append = Math.min(l.maxAppendBytes(), Integer.MAX_VALUE - 16);
        ReaderLimits rl = new ReaderLimits(l.maxCommandBytes(), literal, append, Math.max(append, Math.min(4 * append, Integer.MAX_VALUE - 16L)),
                Math.max(l.maxCommandBytes(), 4 * literal), MAX_DEPTH, MAX_ARGS,
                false); // RFC 7888 §3: LITERAL+ (non-synchronizing literals of any size up to the limits)
        reader = new CommandReader(new dev.sealpost.core.io.CommandDeadline(in, socket, cfg.limits().deadline()), rl, (tag, name, size, nonSync) -> {
            if (state == State.NOT_AUTHENTICATED && size > PRE_AUTH_LITERAL) {
                if (nonSync && size > PRE_AUTH_SKIP) { // RFC 7888 §4: the server may close instead of reading it
                    return CommandReader.LiteralDecision.refuseAndClose(false, "TOOBIG", "Literal too large before authentication");
                }
                return CommandReader.LiteralDecision.refuse(false, "TOOBIG", "Literal too large before authentication");
            }
            return CommandReader.LiteralDecision.ACCEPT;
        }, () -> {
            io.lock();
            try {
                out.write("+ Ready for literal data\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } finally {
                io.unlock();
            }
        });
    }

    /** Bounds of command structure: nesting of lists, and arguments per command. */
    static final int MAX_DEPTH = 16;
    static final int MAX_ARGS = 10_000;

    private void loop() throws IOException {
        while (state != State.LOGOUT) {
            Command cmd;
            try {
                cmd = reader.read();
            } catch (CommandReader.ReadError e) {
                io.lock();
                try {
                    readError(e);
                } finally {
                    io.unlock();
                }
                continue;
            }
            if (cmd == null) throw new EOFException();
            // the output lock is held for the whole command: NOTIFY's unsolicited responses go between commands
            io.lock();
            try {
                execute(cmd);
                flush();
            } finally {
                io.unlock();
            }
        }
    }

    private void readError(CommandReader.ReadError e) throws IOException {
        write(e.response() + "\r\n");
        if (e.fatal()) {
            log.info("{} command refused, closing: {}", id, e.text());
            untagged("BYE " + e.text());
            flush();
            throw new Close();
        }
        if (!e.no()) countBad();
        flush();
    }

    private void countBad() throws IOException {
        if (++badCommands >= cfg.limits().maxBadCommands()) {
            log.info("{} too many bad commands", id);
            untagged("BYE Too many invalid commands");
            flush();
            throw new Close();
        }
    }

    // ================================================================ output

    private void write(String s) throws IOException {
        output.write(s);
    }

    private void untagged(String s) throws IOException {
        output.untagged(s);
    }

    private void tagged(String tag, String s) throws IOException {
        output.tagged(tag, s);
    }

    private void flush() throws IOException {
        output.flush();
    }

    /** Ends NOTIFY's thread (at UNAUTHENTICATE and when the session ends). */
    private void stopNotifier() {
        notifications.stopNotifier();
    }

    // ================================================================ capabilities

    /** LOGIN and AUTHENTICATE alike, whatever the mechanism: {@link LoginPolicy} (RFC 9051 §6.2.3, RFC 8314 §3). */
    boolean mayLogin() {
        return LoginPolicy.mayAuthenticate(tls, cfg.allowAuthWithoutTls());
    }

    /** Mechanisms a client may use now (none before TLS unless configured). */
    List<SaslMechanism> usable() {
        return SaslMechanisms.forConnection(allMechanisms, tls, binding, cfg.allowAuthWithoutTls());
    }

    String capabilities() {
        StringBuilder sb = new StringBuilder("IMAP4rev2 IMAP4rev1");
        if (state == State.NOT_AUTHENTICATED) {
            if (cfg.tls() != null && !tls) sb.append(" STARTTLS"); // RFC 9051 §6.2.1
            if (!mayLogin()) sb.append(" LOGINDISABLED"); // RFC 9051 §6.2.3; and no AUTH= either (LoginPolicy)
            for (SaslMechanism m : SaslMechanisms.advertised(allMechanisms, tls, binding, cfg.allowAuthWithoutTls())) {
                sb.append(" AUTH=").append(m.name()); // RFC 9051 §6.2.2
            }
            sb.append(" SASL-IR"); // RFC 4959
        }
        // RFC 7888 §3 LITERAL+ (never together with LITERAL-, §6; it includes what LITERAL- allows)
        sb.append(" ID ENABLE LITERAL+ NAMESPACE UNSELECT UIDPLUS IDLE MOVE CHILDREN SPECIAL-USE LIST-EXTENDED"
                + " LIST-STATUS ESEARCH SEARCHRES CONDSTORE QRESYNC UTF8=ACCEPT STATUS=SIZE CREATE-SPECIAL-USE"
                + " MULTIAPPEND CATENATE APPENDLIMIT=" + cfg.limits().maxAppendBytes()
                + " QUOTA QUOTA=RES-STORAGE METADATA ACL NOTIFY RIGHTS=texk SORT SORT=DISPLAY ESORT THREAD=ORDEREDSUBJECT THREAD=REFERENCES"
                + " BINARY PARTIAL PREVIEW SAVEDATE CONTEXT=SEARCH CONTEXT=SORT");
        if (state != State.NOT_AUTHENTICATED && !compressed) sb.append(" COMPRESS=DEFLATE"); // RFC 4978
        if (state != State.NOT_AUTHENTICATED) sb.append(" UNAUTHENTICATE"); // RFC 8437
        return sb.toString();
    }

    // ================================================================ the command families' view of the session

    private final ImapOutput output = new ImapOutput(() -> out);
    private final MailboxResolver resolver = new MailboxResolver(this);
    private final SelectedSync selectedSync = new SelectedSync(this);

    ImapOutput output() {
        return output;
    }

    MailboxResolver resolver() {
        return resolver;
    }

    SelectedSync selectedSync() {
        return selectedSync;
    }

    ImapServerConfig cfg() {
        return cfg;
    }

    Store store() {
        return store;
    }

    Mailboxes mailboxes() {
        return mailboxes;
    }

    State state() {
        return state;
    }

    void state(State s) {
        state = s;
    }

    Directory.Account account() {
        return account;
    }

    SelectedMailbox selected() {
        return selected;
    }

    void selected(SelectedMailbox s) {
        selected = s;
    }

    boolean rev2() {
        return rev2;
    }

    void rev2(boolean on) {
        rev2 = on;
    }

    boolean condstore() {
        return condstore;
    }

    void condstore(boolean on) {
        condstore = on;
    }

    boolean qresync() {
        return qresync;
    }

    void qresync(boolean on) {
        qresync = on;
    }

    boolean utf8() {
        return utf8;
    }

    void utf8(boolean on) {
        utf8 = on;
    }

    List<Long> searchRes() {
        return searchRes;
    }

    void searchRes(List<Long> uids) {
        searchRes = uids;
    }

    // IDLE's and NOTIFY's wake-ups, and the output lock NOTIFY's thread takes
    ReentrantLock wakeLock() {
        return wakeLock;
    }

    Condition wakeCond() {
        return wakeCond;
    }

    /** Whether the store signalled a change since the last call (IDLE); clears the signal. */
    boolean takeWoken() {
        boolean w = woken;
        woken = false;
        return w;
    }

    boolean woken() {
        return woken;
    }

    boolean notifyWoken() {
        return notifyWoken;
    }

    void notifyWoken(boolean on) {
        notifyWoken = on;
    }

    ReentrantLock io() {
        return io;
    }

    CommandReader reader() {
        return reader;
    }

    NotifySpec notifySpec() {
        return notify;
    }

    void notifySpec(NotifySpec spec) {
        notify = spec;
    }

    Thread notifierThread() {
        return notifier;
    }

    void notifierThread(Thread t) {
        notifier = t;
    }

    // ================================================================ dispatch

    // the command families (each in the file named after its commands; see CommandTable)
    final AnyStateCommands anyState = new AnyStateCommands(this);
    final SelectCommands select = new SelectCommands(this);
    final MailboxCommands mailbox = new MailboxCommands(this);
    final ListCommands list = new ListCommands(this);
    final StatusCommand status = new StatusCommand(this);
    final AppendCommand append = new AppendCommand(this);
    final IdleCommand idle = new IdleCommand(this);
    final QuotaCommands quota = new QuotaCommands(this);
    final MetadataCommands metadata = new MetadataCommands(this);
    final AclCommands acl = new AclCommands(this);
    final MessageCommands message = new MessageCommands(this);
    final FetchCommand fetch = new FetchCommand(this);
    final SearchCommands search = new SearchCommands(this);
    final Notifier notifications = new Notifier(this);
    final AuthCommands auth = new AuthCommands(this);

    private void execute(Command cmd) throws IOException {
        String tag = cmd.tag();
        String name = cmd.name();
        List<Arg> a = cmd.args();
        boolean uid = false;
        if (name.equals("UID")) {
            if (a.isEmpty() || !(a.getFirst() instanceof Arg.Atom sub)) {
                tagged(tag, "BAD UID needs a command");
                countBad();
                return;
            }
            uid = true;
            name = sub.value().toUpperCase(Locale.ROOT);
            a = a.subList(1, a.size());
        }
        log.debug("{} command {}{}", id, uid ? "UID " : "", name);
        CommandSpec spec = CommandTable.find(name);
        boolean allowExpunge = true;
        try {
            if (state == State.NOT_AUTHENTICATED) {
                // RFC 9051 §6: other commands need authentication
                if (spec == null || !spec.validIn(state)) throw bad("Log in first");
            } else {
                if (uid && (spec == null || !spec.uidForm())) throw bad("Unknown UID command");
                if (spec == null) throw bad("Unknown command");
                allowExpunge = spec.mayExpunge(uid); // RFC 9051 §7.5.1
                if (spec.allowed() == CommandSpec.Allowed.NOT_AUTHENTICATED) throw bad("Already authenticated");
                if (!spec.validIn(state)) throw bad("No mailbox selected");
            }
            String done = spec.handler().run(this, new CommandSpec.Call(tag, name, a, uid));
            if (done == null) return; // the command answered itself (LOGOUT, STARTTLS, IDLE, ...)
            if (state == State.SELECTED && selected != null) {
                selectedSync.sync(allowExpunge);
                search.searchUpdates();
            }
            tagged(tag, "OK " + done);
        } catch (CommandFailed f) {
            answerFailure(tag, f.status, f.getMessage(), allowExpunge);
        } catch (ImapSyntaxException e) {
            tagged(tag, "BAD " + e.getMessage());
            countBad();
        } catch (IllegalArgumentException e) {
            // the store refused a value our own checks let through (its contract names these cases)
            log.info("{} {} refused by the store: {}", id, name, e.getMessage());
            tagged(tag, "NO [CANNOT] " + e.getMessage());
        } catch (dev.sealpost.store.StoreException e) {
            // storage failure (disk, database): not the client's fault; the session carries on.
            // RFC 5530 §3: UNAVAILABLE, a temporary failure (OVERQUOTA is a user's quota, SERVERBUG our bug)
            if (e.full()) {
                log.warn("{} {} failed: storage full ({})", id, name, e.getMessage());
                tagged(tag, "NO [UNAVAILABLE] Mail system full, try again later");
            } else {
                log.warn("{} {} failed in the store", id, name, e);
                tagged(tag, "NO [UNAVAILABLE] Temporary server failure, try again later");
            }
        }
    }

    /** A tagged NO or BAD; a NO in the selected state still reports the mailbox's changes first. */
    private void answerFailure(String tag, String status, String text, boolean allowExpunge) throws IOException {
        if (state == State.SELECTED && selected != null && status.equals("NO")) {
            selectedSync.sync(allowExpunge);
            search.searchUpdates();
        }
        tagged(tag, status + " " + text);
        if (status.equals("BAD")) countBad();
    }

    // bridges from the command table to the handlers of the connection and login code below
    String startTlsCommand(CommandSpec.Call c) throws IOException, CommandFailed {
        return startTls(c.tag(), c.args());
    }

    String compressCommand(CommandSpec.Call c) throws IOException, CommandFailed {
        return compress(c.tag(), c.args());
    }

    // ================================================================ STARTTLS

    private String startTls(String tag, List<Arg> a) throws IOException, CommandFailed {
        CommandFamily.noArgs(a);
        if (tls || cfg.tls() == null) throw bad("STARTTLS not available");
        tagged(tag, "OK Begin TLS negotiation now");
        flush();
        // RFC 9051 §6.2.1 (and CVE-2011-0411 / CVE-2021-33515): pipelined input sent before the
        // handshake is never executed after it: the old reader and its buffer are dropped
        handshake();
        newReader();
        return null;
    }

    /** TLS handshake on the current socket (implicit TLS, or after STARTTLS); ends the session on failure. */
    private void handshake() throws IOException {
        // the listener's ServerTls announces ALPN "imap" (ImapServerConfig)
        switch (cfg.tls().handshake(socket, Duration.ofMillis(socket.getSoTimeout()))) {
            case ServerTls.Handshake.Failed f -> {
                log.info("{} TLS handshake failed: {}", id, f.reason());
                socket = f.socket();
                throw new Close();
            }
            case ServerTls.Handshake.Established e -> {
                socket = e.socket();
                in = e.socket().getInputStream();
                out = new BufferedOutputStream(e.socket().getOutputStream(), 16 * 1024);
                tls = true;
                binding = e.channelBinding(); // RFC 9266: TLS 1.3 only, see ServerTls.channelBinding
                log.info("{} TLS established: {}", id, e.description());
            }
        }
    }

    // ================================================================ COMPRESS (RFC 4978)

    private String compress(String tag, List<Arg> a) throws IOException, CommandFailed {
        CommandFamily.argc(a, 1);
        if (!"DEFLATE".equalsIgnoreCase(Arg.text(a.getFirst()))) throw bad("Unknown compression mechanism");
        if (compressed) throw no("[COMPRESSIONACTIVE] Compression already active"); // RFC 4978 §3
        tagged(tag, "OK DEFLATE active");
        flush();
        compressed = true;
        // RFC 4978 §4: the client sends nothing between COMPRESS and our OK, so the old reader holds nothing
        in = new java.util.zip.InflaterInputStream(socket.getInputStream(), new java.util.zip.Inflater(true), 8192);
        newReader();
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        out = new BufferedOutputStream(new DeflaterOutputStream(socket.getOutputStream(), deflater, 8192, true), 16 * 1024);
        log.info("{} COMPRESS=DEFLATE active", id);
        return null;
    }

    // ================================================================ login state (AuthCommands drives it)

    LoginGate.Client client() {
        return new LoginGate.Client("imap", id, remote.getAddress());
    }

    LoginGate gate() {
        return gate;
    }

    List<SaslMechanism> allMechanisms() {
        return allMechanisms;
    }

    ChannelBinding binding() {
        return binding;
    }

    /**
     * The login succeeded: the account is registered (its session count checked), the state
     * becomes AUTHENTICATED and the idle timeout replaces the shorter pre-authentication one.
     *
     * @return false when the account has too many sessions (nothing changed)
     */
    boolean enterAuthenticated(Directory.Account acc) throws IOException {
        if (!server.registerAccount(acc.id(), this)) return false;
        registered = true;
        account = acc;
        state = State.AUTHENTICATED;
        socket.setSoTimeout(millis(cfg.limits().idleTimeout()));
        return true;
    }

    /** RFC 8437 UNAUTHENTICATE: every per-login state is dropped; the connection (TLS, COMPRESS) stays. */
    void leaveAuthenticated() throws IOException {
        selected = null;
        if (registered) server.unregisterAccount(account.id(), this);
        registered = false;
        stopNotifier();
        notify = null;
        account = null;
        state = State.NOT_AUTHENTICATED;
        rev2 = condstore = qresync = utf8 = false;
        searchRes = List.of();
        socket.setSoTimeout(millis(cfg.limits().preAuthTimeout()));
    }

    private static int millis(Duration d) {
        long m = d.toMillis();
        return m > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(m, 1);
    }

}
