package dev.sealpost.imap.server;

import dev.sealpost.core.login.LoginGate;
import dev.sealpost.core.login.LoginPolicy;
import dev.sealpost.core.sasl.ChannelBinding;
import dev.sealpost.core.sasl.SaslDialog;
import dev.sealpost.core.sasl.SaslMechanism;
import dev.sealpost.core.sasl.SaslMechanisms;
import dev.sealpost.core.tls.ServerTls;
import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.Command;
import dev.sealpost.imap.proto.CommandReader;
import dev.sealpost.imap.proto.ModifiedUtf7;
import dev.sealpost.imap.proto.ListPattern;
import dev.sealpost.imap.proto.ReaderLimits;
import dev.sealpost.imap.proto.ImapSyntaxException;
import dev.sealpost.imap.proto.SequenceSet;
import dev.sealpost.imap.MessageView;
import dev.sealpost.imap.fetch.FetchRenderer;
import dev.sealpost.imap.fetch.FetchRequest;
import dev.sealpost.imap.fetch.UnknownCteException;
import dev.sealpost.imap.search.BadCharsetException;
import dev.sealpost.imap.search.ReturnOption;
import dev.sealpost.imap.search.Search;
import dev.sealpost.imap.search.SearchCommand;
import dev.sealpost.imap.search.SearchContext;
import dev.sealpost.imap.search.Sort;
import dev.sealpost.imap.search.SortCommand;
import dev.sealpost.imap.search.ThreadCommand;
import dev.sealpost.imap.search.Threads;
import dev.sealpost.message.Envelope;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.store.BlobRef;
import dev.sealpost.store.Directory;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Mailboxes.MailboxInfo;
import dev.sealpost.store.Mailboxes.MessageInfo;
import dev.sealpost.store.MessageSummary;
import dev.sealpost.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
    /** RFC 9051 §6.2.2: SASL responses are base64 lines; 12 KiB is plenty for SCRAM and PLAIN. */
    static final int AUTH_LINE_MAX = 12288;
    /** RFC 4314 §2.1 rights an owner has on its own mailboxes. */
    static final String ALL_RIGHTS = "lrswipkxtea";
    static final String OTHER_USERS = "Other Users";
    static final List<String> SYSTEM_FLAGS = SelectedMailbox.SYSTEM_FLAGS;
    /** RFC 9051 §9 date-time, e.g. {@code "17-Jul-1996 02:44:25 -0700"} (day may be space-padded). */
    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("d-MMM-yyyy HH:mm:ss Z", Locale.ROOT);

    enum State { NOT_AUTHENTICATED, AUTHENTICATED, SELECTED, LOGOUT }

    /** Ends the session (after whatever was already written). */
    static final class Close extends RuntimeException {
        Close() {
            super(null, null, false, false);
        }
    }

    /** A command's failure answered with a tagged NO or BAD (stackless). */
    static final class Reply extends Exception {
        final String status;
        Reply(String status, String text) {
            super(text, null, false, false);
            this.status = status;
        }
    }

    private static Reply no(String text) {
        return new Reply("NO", text);
    }

    private static Reply bad(String text) {
        return new Reply("BAD", text);
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
    /** Last state of the account's mailboxes that NOTIFY reported, by id. */
    private Map<Long, MailboxInfo> notifyMailboxes = Map.of();
    private Set<String> notifySubscriptions = Set.of();

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
        this.id = "imap-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
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
                Math.max(l.maxCommandBytes(), 4 * literal), CommandReaderDepth.MAX_DEPTH, CommandReaderDepth.MAX_ARGS,
                false); // RFC 7888 §3: LITERAL+ (non-synchronizing literals of any size up to the limits)
        reader = new CommandReader(new dev.sealpost.core.io.CommandDeadline(in, socket, dev.sealpost.core.io.CommandDeadline.Settings.defaults()), rl, (tag, name, size, nonSync) -> {
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

    /** Bounds of command structure. */
    static final class CommandReaderDepth {
        static final int MAX_DEPTH = 16;
        static final int MAX_ARGS = 10_000;
    }

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
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    private void untagged(String s) throws IOException {
        write("* " + s + "\r\n");
    }

    private void tagged(String tag, String s) throws IOException {
        write(tag + " " + s + "\r\n");
    }

    private void flush() throws IOException {
        out.flush();
    }

    /** A mailbox name as {@code mailbox} on the wire: modified UTF-7 unless UTF8=ACCEPT is on (RFC 9051 §5.1, RFC 6855 §3). */
    private String mbox(String name) {
        return q(utf8 ? name : ModifiedUtf7.encode(name));
    }

    /** A {@code string}: quoted when short and plain ASCII, otherwise a literal. */
    static String q(String s) {
        boolean plain = s.length() <= 1000;
        for (int i = 0; plain && i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) plain = false;
        }
        if (!plain) return "{" + s.getBytes(StandardCharsets.UTF_8).length + "}\r\n" + s;
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String nq(String s) {
        return s == null ? "NIL" : q(s);
    }

    // ================================================================ capabilities

    /** LOGIN and AUTHENTICATE alike, whatever the mechanism: {@link LoginPolicy} (RFC 9051 §6.2.3, RFC 8314 §3). */
    private boolean mayLogin() {
        return LoginPolicy.mayAuthenticate(tls, cfg.allowAuthWithoutTls());
    }

    /** Mechanisms a client may use now (none before TLS unless configured). */
    private List<SaslMechanism> usable() {
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

    // ================================================================ dispatch

    /** The tag of the command being executed (ESEARCH responses carry it). */
    private String currentTag;

    private void execute(Command c) throws IOException {
        String tag = c.tag();
        currentTag = tag;
        String name = c.name();
        List<Arg> a = c.args();
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
        boolean allowExpunge = true;
        try {
            String done;
            switch (state) {
                case NOT_AUTHENTICATED -> done = switch (name) {
                    case "CAPABILITY", "NOOP", "LOGOUT", "ID" -> any(tag, name, a);
                    case "STARTTLS" -> startTls(tag, a);
                    case "LOGIN" -> login(tag, a);
                    case "AUTHENTICATE" -> authenticate(tag, a);
                    default -> throw bad("Log in first"); // RFC 9051 §6: other commands need authentication
                };
                default -> {
                    if (uid && !Set.of("FETCH", "STORE", "SEARCH", "COPY", "MOVE", "EXPUNGE", "SORT", "THREAD").contains(name)) {
                        throw bad("Unknown UID command");
                    }
                    if (!uid && Set.of("FETCH", "STORE", "SEARCH", "SORT", "THREAD", "COPY").contains(name)) {
                        allowExpunge = false; // RFC 9051 §7.5.1
                    }
                    done = switch (name) {
                        case "CAPABILITY", "NOOP", "LOGOUT", "ID" -> any(tag, name, a);
                        case "STARTTLS", "LOGIN", "AUTHENTICATE" -> throw bad("Already authenticated");
                        case "ENABLE" -> enable(a);
                        case "SELECT", "EXAMINE" -> select(tag, a, name.equals("EXAMINE"));
                        case "CREATE" -> create(a);
                        case "DELETE" -> delete(a);
                        case "RENAME" -> rename(a);
                        case "SUBSCRIBE", "UNSUBSCRIBE" -> subscribe(a, name.equals("SUBSCRIBE"));
                        case "LIST" -> list(a);
                        case "LSUB" -> lsub(a);
                        case "NAMESPACE" -> namespace(a);
                        case "STATUS" -> status(a);
                        case "APPEND" -> append(a);
                        case "IDLE" -> idle(tag, a);
                        case "GETQUOTAROOT" -> getQuotaRoot(a);
                        case "GETQUOTA" -> getQuota(a);
                        case "SETQUOTA" -> throw no("[NOPERM] Quotas are set by the administrator");
                        case "GETMETADATA" -> getMetadata(a);
                        case "SETMETADATA" -> setMetadata(a);
                        case "GETACL" -> getAcl(a);
                        case "SETACL" -> setAcl(a);
                        case "DELETEACL" -> deleteAcl(a);
                        case "LISTRIGHTS" -> listRights(a);
                        case "MYRIGHTS" -> myRights(a);
                        case "COMPRESS" -> compress(tag, a);
                        case "UNAUTHENTICATE" -> unauthenticate(a);
                        case "NOTIFY" -> notifyCommand(a);
                        case "CHECK", "CLOSE", "UNSELECT", "EXPUNGE", "FETCH", "STORE", "SEARCH", "COPY", "MOVE",
                             "SORT", "THREAD", "CANCELUPDATE" -> selectedCommand(tag, name, uid, a);
                        default -> throw bad("Unknown command");
                    };
                }
            }
            if (done == null) return; // the command answered itself (LOGOUT, STARTTLS, IDLE, ...)
            if (state == State.SELECTED && selected != null) {
                sync(allowExpunge);
                searchUpdates();
            }
            tagged(tag, done.startsWith("NO ") || done.startsWith("BAD ") ? done : "OK " + done);
        } catch (Reply r) {
            if (state == State.SELECTED && selected != null && r.status.equals("NO")) {
                sync(allowExpunge);
                searchUpdates();
            }
            tagged(tag, r.status + " " + r.getMessage());
            if (r.status.equals("BAD")) countBad();
        } catch (ImapSyntaxException e) {
            tagged(tag, "BAD " + e.getMessage());
            countBad();
        } catch (IllegalArgumentException e) {
            // the store refused a value our own checks let through (its contract names these cases)
            log.info("{} {} refused by the store: {}", id, name, e.getMessage());
            tagged(tag, "NO [CANNOT] " + e.getMessage());
        } catch (dev.sealpost.store.StoreException e) {
            // storage failure (disk, database): not the client's fault; the session carries on
            log.warn("{} {} failed in the store", id, name, e);
            tagged(tag, "NO [UNAVAILABLE] Temporary server failure, try again later");
        }
    }


    private String selectedCommand(String tag, String name, boolean uid, List<Arg> a) throws IOException, Reply, ImapSyntaxException {
        if (state != State.SELECTED) throw bad("No mailbox selected");
        return switch (name) {
            case "CHECK" -> { // RFC 3501 §6.4.1 (removed in RFC 9051; harmless)
                noArgs(a);
                yield "CHECK completed";
            }
            case "CLOSE" -> close(a);
            case "UNSELECT" -> unselect(a);
            case "EXPUNGE" -> expunge(a, uid);
            case "FETCH" -> fetch(a, uid);
            case "STORE" -> storeFlags(a, uid);
            case "SEARCH" -> search(tag, a, uid);
            case "SORT" -> sort(a, uid);
            case "THREAD" -> thread(a, uid);
            case "CANCELUPDATE" -> cancelUpdate(a);
            case "COPY" -> copy(a, uid, false);
            case "MOVE" -> copy(a, uid, true);
            default -> throw bad("Unknown command");
        };
    }

    private static void noArgs(List<Arg> a) throws Reply {
        if (!a.isEmpty()) throw bad("Unexpected arguments");
    }

    private static void argc(List<Arg> a, int n) throws Reply {
        if (a.size() != n) throw bad("Expected " + n + " argument" + (n == 1 ? "" : "s"));
    }

    /** {@code astring} argument as text. */
    private static String text(Arg a) throws Reply {
        String t = Arg.text(a);
        if (t == null) throw bad("Expected a string");
        return t;
    }

    private String any(String tag, String name, List<Arg> a) throws IOException, Reply {
        switch (name) {
            case "CAPABILITY" -> {
                noArgs(a);
                untagged("CAPABILITY " + capabilities());
                return "CAPABILITY completed";
            }
            case "NOOP" -> {
                noArgs(a);
                return "NOOP completed";
            }
            case "ID" -> { // RFC 2971 §3.1
                argc(a, 1);
                if (a.getFirst() instanceof Arg.ListArg l) {
                    if (l.items().size() > 60) throw bad("Too many ID fields");
                } else if (!(a.getFirst() instanceof Arg.Atom n && n.is("NIL"))) {
                    throw bad("ID expects a list or NIL");
                }
                untagged("ID (\"name\" \"Sealpost\" \"vendor\" \"Sealpost\")");
                return "ID completed";
            }
            default -> { // LOGOUT, RFC 9051 §6.1.3
                noArgs(a);
                untagged("BYE Sealpost logging out");
                tagged(tag, "OK LOGOUT completed");
                flush();
                state = State.LOGOUT;
                log.info("{} logout", id);
                return null;
            }
        }
    }

    // ================================================================ STARTTLS

    private String startTls(String tag, List<Arg> a) throws IOException, Reply {
        noArgs(a);
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

    private String compress(String tag, List<Arg> a) throws IOException, Reply {
        argc(a, 1);
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

    // ================================================================ LOGIN / AUTHENTICATE

    private String login(String tag, List<Arg> a) throws IOException, Reply {
        argc(a, 2);
        String user = text(a.get(0));
        if (!mayLogin()) { // RFC 9051 §6.2.3
            gate.aborted(client(), "LOGIN", user, "tls-required");
            throw no("[PRIVACYREQUIRED] LOGIN is disabled before STARTTLS");
        }
        String pass = text(a.get(1));
        if (gate.blocked(client(), "LOGIN")) throw no("[UNAVAILABLE] Too many failed logins; try again later");
        char[] pw = pass.toCharArray();
        Optional<Directory.Account> acc;
        try {
            acc = store.directory().authenticate(user, pw);
        } finally {
            Arrays.fill(pw, '\0');
        }
        if (acc.isEmpty()) {
            gate.failed(client(), "LOGIN", user, "bad-credentials", this::flush);
            throw no("[AUTHENTICATIONFAILED] Authentication failed"); // one text: no user enumeration
        }
        return loggedIn(acc.get(), "LOGIN");
    }

    private LoginGate.Client client() {
        return new LoginGate.Client("imap", id, remote.getAddress());
    }

    private String loggedIn(Directory.Account acc, String mech) throws Reply, IOException {
        if (!server.registerAccount(acc.id(), this)) {
            gate.aborted(client(), mech, acc.address(), "too-many-sessions");
            throw no("[LIMIT] Too many simultaneous sessions for this account");
        }
        registered = true;
        account = acc;
        state = State.AUTHENTICATED;
        gate.succeeded(client(), mech, acc.address());
        socket.setSoTimeout(millis(cfg.limits().idleTimeout()));
        return "[CAPABILITY " + capabilities() + "] Logged in";
    }

    private String authenticate(String tag, List<Arg> a) throws IOException, Reply {
        if (a.isEmpty() || a.size() > 2) throw bad("AUTHENTICATE mechanism [initial-response]");
        String mechName = text(a.get(0));
        if (!mayLogin() && SaslMechanisms.find(allMechanisms, mechName).isPresent()) {
            gate.aborted(client(), mechName, null, "tls-required");
            throw no("[PRIVACYREQUIRED] Use STARTTLS first"); // RFC 9051 §6.2.3, every mechanism alike
        }
        SaslMechanism mech = SaslMechanisms.find(usable(), mechName).orElse(null);
        if (mech == null) throw no("Unsupported authentication mechanism");
        if (gate.blocked(client(), mech.name())) throw no("[UNAVAILABLE] Too many failed logins; try again later");
        // RFC 4959 SASL-IR; "=" is an empty initial response
        String ir = a.size() == 2 ? text(a.get(1)) : null;
        SaslDialog.Outcome outcome = SaslDialog.run(mech, binding, ir, this::challenge);
        switch (outcome) {
            case SaslDialog.Outcome.Authenticated ok -> {
                Optional<Directory.Account> acc = store.directory().account(ok.user());
                if (acc.isEmpty()) { // removed in the meantime
                    gate.failed(client(), ok.mechanism(), ok.user(), "no-such-account", this::flush);
                    throw no("[AUTHENTICATIONFAILED] Authentication failed");
                }
                return loggedIn(acc.get(), ok.mechanism());
            }
            case SaslDialog.Outcome.Failed f -> {
                gate.failed(client(), f.mechanism(), f.claimedUser(), f.reason(), this::flush);
                throw no("[AUTHENTICATIONFAILED] Authentication failed"); // one text: no user enumeration
            }
            case SaslDialog.Outcome.Malformed m -> {
                gate.aborted(client(), m.mechanism(), m.claimedUser(), m.reason());
                throw bad(m.reason().equals("line-too-long") ? "SASL response too long" : "Malformed SASL exchange");
            }
            case SaslDialog.Outcome.Cancelled c -> { // RFC 9051 §6.2.2: a cancelled exchange gets BAD
                gate.aborted(client(), c.mechanism(), c.claimedUser(), "cancelled");
                throw bad("AUTHENTICATE cancelled");
            }
            case SaslDialog.Outcome.TooManyRounds t -> {
                gate.aborted(client(), t.mechanism(), t.claimedUser(), "too-many-rounds");
                throw bad("Too many SASL rounds");
            }
            case SaslDialog.Outcome.Disconnected d -> {
                gate.aborted(client(), d.mechanism(), d.claimedUser(), "client-closed");
                throw new EOFException("connection closed during AUTHENTICATE");
            }
        }
    }

    /** A continuation with base64 data (RFC 9051 §6.2.2, §7.5) and the client's answer line. */
    private SaslDialog.Answer challenge(byte[] data) throws IOException {
        write("+ " + Base64.getEncoder().encodeToString(data) + "\r\n");
        flush();
        String t;
        try {
            t = reader.readLine();
        } catch (CommandReader.ReadError e) {
            return new SaslDialog.Answer.Unreadable("line-too-long");
        }
        return t == null ? new SaslDialog.Answer.Closed() : new SaslDialog.Answer.Line(t);
    }

    /** RFC 8437 UNAUTHENTICATE: back to the not-authenticated state on the same connection. */
    private String unauthenticate(List<Arg> a) throws Reply, IOException {
        noArgs(a);
        selected = null;
        if (registered) server.unregisterAccount(account.id(), this);
        registered = false;
        log.info("{} UNAUTHENTICATE {}", id, account.address());
        stopNotifier();
        notify = null;
        account = null;
        state = State.NOT_AUTHENTICATED;
        rev2 = condstore = qresync = utf8 = false;
        searchRes = List.of();
        socket.setSoTimeout(millis(cfg.limits().preAuthTimeout()));
        return "UNAUTHENTICATE completed";
    }

    private static int millis(Duration d) {
        long m = d.toMillis();
        return m > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(m, 1);
    }

    // ================================================================ names, namespaces, rights

    /** A mailbox the client named: its owner, store name, and this session's rights on it. */
    record Target(long accountId, String storeName, String wireName, MailboxInfo info, String rights, boolean own) {
        boolean has(char right) {
            return rights.indexOf(right) >= 0;
        }
    }

    /** The Unicode mailbox name from a {@code mailbox} argument (RFC 9051 §5.1: INBOX in any case is INBOX). */
    private String mailboxName(Arg a) throws Reply {
        String t = text(a);
        String name;
        if (utf8) {
            name = t;
        } else {
            try {
                name = ModifiedUtf7.decode(t);
            } catch (ImapSyntaxException e) {
                // RFC 3501 §5.1.3: a name that is not modified UTF-7 is a valid astring, so not BAD;
                // no mailbox can have that wire name (as Dovecot: NO)
                throw no("[CANNOT] Mailbox name is not valid modified UTF-7: " + e.getMessage());
            }
        }
        if (name.length() > 1000) throw bad("Mailbox name too long");
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < 0x20 || ch == 0x7f) throw bad("Control character in a mailbox name");
        }
        if (name.equalsIgnoreCase("INBOX")) return "INBOX";
        if (name.regionMatches(true, 0, "INBOX/", 0, 6)) return "INBOX" + name.substring(5);
        return name;
    }

    /** Resolves a name to the session's own mailbox or a shared one under "Other Users/" (RFC 4314 + RFC 2342). */
    private Target target(String name) {
        if (name.startsWith(OTHER_USERS + "/")) {
            String rest = name.substring(OTHER_USERS.length() + 1);
            int slash = rest.indexOf('/');
            if (slash <= 0) return new Target(0, name, name, null, "", false);
            String owner = rest.substring(0, slash);
            String mb = rest.substring(slash + 1);
            for (Shared sh : shared()) {
                if (sh.owner.equalsIgnoreCase(owner) && (sh.info.name().equals(mb)
                        || (sh.info.name().equals("INBOX") && mb.equalsIgnoreCase("INBOX")))) {
                    return new Target(sh.info.accountId(), sh.info.name(), name, sh.info, sh.rights, false);
                }
            }
            return new Target(0, name, name, null, "", false);
        }
        MailboxInfo info = mailboxes.mailbox(account.id(), name).orElse(null);
        return new Target(account.id(), name, name, info, ALL_RIGHTS, true);
    }

    private record Shared(MailboxInfo info, String owner, String rights) {
        String wireName() {
            return OTHER_USERS + "/" + owner + "/" + info.name();
        }
    }

    /** Other accounts' mailboxes this account may see (its own address's rights merged with "anyone"'s). */
    private List<Shared> shared() {
        Map<Long, Shared> byId = new LinkedHashMap<>();
        List<Mailboxes.SharedMailbox> all = new ArrayList<>(mailboxes.sharedWith(account.address().toLowerCase(Locale.ROOT)));
        all.addAll(mailboxes.sharedWith("anyone"));
        for (Mailboxes.SharedMailbox sm : all) {
            if (sm.mailbox().accountId() == account.id()) continue;
            Shared prev = byId.get(sm.mailbox().id());
            String rights = prev == null ? sm.rights() : mergeRights(prev.rights, sm.rights());
            byId.put(sm.mailbox().id(), new Shared(sm.mailbox(), sm.owner(), rights));
        }
        return byId.values().stream().filter(s -> s.rights.indexOf('l') >= 0 || s.rights.indexOf('r') >= 0).toList();
    }

    private static String mergeRights(String a, String b) {
        StringBuilder sb = new StringBuilder();
        for (char c : (ALL_RIGHTS + "cd").toCharArray()) if (a.indexOf(c) >= 0 || b.indexOf(c) >= 0) sb.append(c);
        return sb.toString();
    }

    private Target existing(Arg a, char right) throws Reply {
        Target t = target(mailboxName(a));
        if (t.info() == null) throw no("[NONEXISTENT] No such mailbox");
        if (!t.own() && !t.has(right)) {
            if (!t.has('l') && !t.has('r')) throw no("[NONEXISTENT] No such mailbox"); // RFC 4314 §6: do not reveal
            throw no("[NOPERM] Permission denied");
        }
        return t;
    }

    private String namespace(List<Arg> a) throws IOException, Reply {
        noArgs(a);
        // RFC 2342: personal "", other users "Other Users/", no shared namespace
        untagged("NAMESPACE ((\"\" \"/\")) ((\"" + OTHER_USERS + "/\" \"/\")) NIL");
        return "NAMESPACE completed";
    }

    // ================================================================ ENABLE (RFC 5161)

    private String enable(List<Arg> a) throws IOException, Reply {
        if (a.isEmpty()) throw bad("ENABLE needs a capability");
        List<String> on = new ArrayList<>();
        for (Arg x : a) {
            String c = text(x).toUpperCase(Locale.ROOT);
            switch (c) {
                case "IMAP4REV2" -> {
                    if (!rev2) on.add("IMAP4rev2");
                    rev2 = true;
                }
                case "CONDSTORE" -> {
                    if (!condstore) on.add("CONDSTORE");
                    enableCondstore();
                }
                case "QRESYNC" -> { // RFC 7162 §3.2.3: implies CONDSTORE
                    if (!qresync) on.add("QRESYNC");
                    qresync = true;
                    enableCondstore();
                }
                case "UTF8=ACCEPT" -> { // RFC 6855 §3
                    if (!utf8) on.add("UTF8=ACCEPT");
                    utf8 = true;
                }
                default -> { } // RFC 5161 §3.1: unknown capabilities are ignored
            }
        }
        untagged("ENABLED" + (on.isEmpty() ? "" : " " + String.join(" ", on)));
        return "ENABLE completed";
    }

    // ================================================================ SELECT / EXAMINE

    private String select(String tag, List<Arg> a, boolean examine) throws IOException, Reply, ImapSyntaxException {
        if (a.isEmpty() || a.size() > 2) throw bad("SELECT mailbox [(parameters)]");
        boolean wasSelected = selected != null;
        selected = null;
        state = State.AUTHENTICATED;
        searchRes = List.of();
        // RFC 7162 §3.2.11 / RFC 9051 §7.1: the old mailbox is closed before the new one opens
        if (wasSelected && (qresync || condstore || rev2)) untagged("OK [CLOSED] Previous mailbox closed");
        boolean condstoreParam = false;
        long[] qr = null;
        SequenceSet qrKnown = null;
        if (a.size() == 2) {
            if (!(a.get(1) instanceof Arg.ListArg params)) throw bad("SELECT parameters must be a list");
            List<Arg> p = params.items();
            for (int i = 0; i < p.size(); i++) {
                String n = Arg.text(p.get(i));
                if ("CONDSTORE".equalsIgnoreCase(n)) { // RFC 7162 §3.1.8
                    condstoreParam = true;
                } else if ("QRESYNC".equalsIgnoreCase(n) && i + 1 < p.size() && p.get(i + 1) instanceof Arg.ListArg ql) {
                    if (!qresync) throw bad("QRESYNC is not enabled"); // RFC 7162 §3.2.5
                    i++;
                    List<Arg> q = ql.items();
                    if (q.size() < 2) throw bad("QRESYNC (uidvalidity modseq [known-uids])");
                    qr = new long[] {number(q.get(0)), number(q.get(1))};
                    if (q.size() >= 3 && q.get(2) instanceof Arg.Atom known) qrKnown = SequenceSet.parse(known.value());
                } else {
                    throw bad("Unknown SELECT parameter");
                }
            }
        }
        if (condstoreParam) condstore = true; // RFC 7162 §3.1.8: CONDSTORE parameter enables CONDSTORE
        Target t = existing(a.get(0), 'r');
        MailboxInfo mb = t.info();
        boolean readOnly = examine || (!t.own() && !(t.has('s') || t.has('w') || t.has('t') || t.has('e')));
        List<MessageInfo> msgs = mailboxes.messages(mb.id());
        SelectedMailbox s = new SelectedMailbox(mb.id(), mb.accountId(), t.wireName(), readOnly, t.rights(), mb.uidValidity(), mb.highestModSeq());
        for (MessageInfo m : msgs) {
            s.uids.add(m.uid());
            s.put(m);
            s.knownModSeq = Math.max(s.knownModSeq, m.modSeq());
        }
        untagged(s.flagsResponse()); // RFC 9051 §7.3.5, with the keywords in use
        // RFC 3501 §6.3.1, §6.3.2: SELECT claims the messages no session has seen as \Recent; EXAMINE only looks
        RecentTracker recentTracker = RecentTracker.of(mailboxes);
        long firstRecent = readOnly ? recentTracker.peek(mb.id(), mb.uidValidity())
                : recentTracker.claim(mb.id(), mb.uidValidity(), s.maxUid());
        for (long u : s.uids) if (u >= firstRecent) s.recent.add(u);
        untagged(s.uids.size() + " EXISTS");
        if (!rev2) untagged(s.recent.size() + " RECENT"); // RFC 3501 §7.3.2 (RFC 9051 dropped \Recent)
        if (!rev2) {
            for (int i = 0; i < s.uids.size(); i++) {
                if (!s.byUid.get(s.uids.get(i)).flags().contains("\\Seen")) {
                    untagged("OK [UNSEEN " + (i + 1) + "] First unseen"); // RFC 3501 §6.3.1
                    break;
                }
            }
        }
        untagged("OK [UIDVALIDITY " + mb.uidValidity() + "] UIDs valid");
        untagged("OK [UIDNEXT " + mb.uidNext() + "] Predicted next UID");
        untagged(s.permanentFlagsResponse()); // RFC 9051 §7.1: () when read-only
        s.keywordsAnnounced();
        if (condstore) untagged("OK [HIGHESTMODSEQ " + mb.highestModSeq() + "] Highest"); // RFC 7162 §3.1.2.1
        if (rev2) untagged("LIST (" + String.join(" ", attributes(mb, true)) + ") \"/\" " + mbox(t.wireName())); // RFC 9051 §6.3.2
        selected = s;
        state = State.SELECTED;
        if (qr != null && qr[0] == mb.uidValidity()) qresyncReplay(s, qr[1], qrKnown);
        log.info("{} {} {}", id, examine ? "EXAMINE" : "SELECT", t.storeName());
        return (readOnly ? "[READ-ONLY] " : "[READ-WRITE] ") + (examine ? "EXAMINE" : "SELECT") + " completed";
    }

    /** RFC 7162 §3.2.5.1: what changed since the client's MODSEQ: VANISHED (EARLIER) and FETCH. */
    private void qresyncReplay(SelectedMailbox s, long modSeq, SequenceSet known) throws IOException {
        Mailboxes.Changes ch = mailboxes.changes(s.mailboxId, modSeq).orElse(null);
        if (ch == null) return;
        List<Long> gone = new ArrayList<>();
        long max = Math.max(s.maxUid(), 1);
        for (long u : ch.expungedUids()) if (known == null || known.contains(u, max)) gone.add(u);
        if (!gone.isEmpty()) untagged("VANISHED (EARLIER) " + uidSet(gone));
        for (MessageInfo m : ch.changed()) {
            int seq = s.seq(m.uid());
            if (seq <= 0) continue;
            s.put(m);
            fetchResponse(s, seq, "UID " + m.uid() + " FLAGS " + flagList(viewFlags(m)) + " MODSEQ (" + m.modSeq() + ")");
        }
    }

    /**
     * Turns CONDSTORE on; when that happens with a mailbox selected, the client learns its
     * HIGHESTMODSEQ now (RFC 7162 §3.1: the first CONDSTORE-enabling command in the selected state).
     */
    private void enableCondstore() throws IOException {
        if (condstore) return;
        condstore = true;
        if (selected != null) untagged("OK [HIGHESTMODSEQ " + selected.knownModSeq + "] Highest");
    }

    private static long number(Arg a) throws Reply {
        String t = Arg.text(a);
        if (t == null || t.isEmpty() || t.length() > 19) throw bad("Expected a number");
        for (int i = 0; i < t.length(); i++) if (t.charAt(i) < '0' || t.charAt(i) > '9') throw bad("Expected a number");
        return Long.parseLong(t);
    }

    static String flagList(Collection<String> flags) {
        return "(" + String.join(" ", flags) + ")";
    }

    /** A UID set in compact form, e.g. {@code 1:3,7}. */
    static String uidSet(Collection<Long> uids) {
        List<Long> sorted = new ArrayList<>(new TreeSet<>(uids));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sorted.size(); ) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) j++;
            if (!sb.isEmpty()) sb.append(',');
            sb.append(sorted.get(i));
            if (j > i) sb.append(':').append(sorted.get(j));
            i = j + 1;
        }
        return sb.toString();
    }

    /** A UID set keeping the given order (COPYUID pairs source and target UIDs by position, RFC 4315 §3). */
    static String orderedSet(List<Long> uids) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < uids.size(); ) {
            int j = i;
            while (j + 1 < uids.size() && uids.get(j + 1) == uids.get(j) + 1) j++;
            if (!sb.isEmpty()) sb.append(',');
            sb.append(uids.get(i));
            if (j > i) sb.append(':').append(uids.get(j));
            i = j + 1;
        }
        return sb.toString();
    }

    // ================================================================ updates of the selected mailbox

    /**
     * Reports what changed in the selected mailbox since it was last looked at: new messages
     * (EXISTS), flag changes (FETCH), and expunges (EXPUNGE, or VANISHED with QRESYNC) unless
     * {@code allowExpunge} is false (RFC 9051 §7.5.1), in which case they wait.
     */
    private void sync(boolean allowExpunge) throws IOException {
        SelectedMailbox s = selected;
        if (s == null) return;
        Mailboxes.Changes ch = mailboxes.changes(s.mailboxId, s.knownModSeq).orElse(null);
        if (ch == null) {
            log.info("{} selected mailbox was deleted", id);
            untagged("BYE Selected mailbox was deleted"); // RFC 9051 §7.1.5
            flush();
            throw new Close();
        }
        long lastUid = s.maxUid();
        List<MessageInfo> added = new ArrayList<>();
        List<Long> flagged = new ArrayList<>();
        for (MessageInfo m : ch.changed()) {
            MessageInfo old = s.byUid.get(m.uid());
            if (old != null) {
                if (!old.flags().equals(m.flags()) || (condstore && old.modSeq() != m.modSeq())) flagged.add(m.uid());
                s.put(m);
            } else if (m.uid() > lastUid) {
                added.add(m);
            }
        }
        for (long u : ch.expungedUids()) if (s.byUid.containsKey(u)) s.pendingExpunge.add(u);
        if (allowExpunge && !s.pendingExpunge.isEmpty()) {
            reportExpunged(s, new ArrayList<>(s.pendingExpunge));
            s.pendingExpunge.clear();
        }
        if (!added.isEmpty()) {
            added.sort((x, y) -> Long.compare(x.uid(), y.uid()));
            for (MessageInfo m : added) {
                s.uids.add(m.uid());
                s.put(m);
            }
            // RFC 3501 §2.3.2: new messages are \Recent in the first read-write session that sees them
            RecentTracker recentTracker = RecentTracker.of(mailboxes);
            long firstRecent = s.readOnly ? recentTracker.peek(s.mailboxId, s.uidValidity)
                    : recentTracker.claim(s.mailboxId, s.uidValidity, added.getLast().uid());
            for (MessageInfo m : added) if (m.uid() >= firstRecent) s.recent.add(m.uid());
            untagged(s.uids.size() + " EXISTS");
            if (!rev2) untagged(s.recent.size() + " RECENT"); // RFC 3501 §7.3.1
        }
        for (long u : flagged) {
            int seq = s.seq(u);
            if (seq > 0) fetchResponse(s, seq, flagItems(s.byUid.get(u), true));
        }
        s.knownModSeq = Math.max(s.knownModSeq, ch.mailbox().highestModSeq());
    }

    /**
     * Writes {@code * seq FETCH (items)}, after FLAGS and PERMANENTFLAGS when the view holds a
     * keyword the client was not told about (RFC 9051 §7.3.5: the keyword set is announced before
     * a FETCH can carry it; see {@link SelectedMailbox}). Every FETCH response goes through here
     * or {@link #fetchResponse(SelectedMailbox, int, byte[])}.
     */
    private void fetchResponse(SelectedMailbox s, int seq, String items) throws IOException {
        s.announceKeywords(this::untagged);
        untagged(seq + " FETCH (" + items + ")");
    }

    /** {@code * seq FETCH} followed by rendered data that starts with "(" (see the String form). */
    private void fetchResponse(SelectedMailbox s, int seq, byte[] data) throws IOException {
        s.announceKeywords(this::untagged);
        out.write(("* " + seq + " FETCH ").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write(CRLF);
    }

    /** The flags of a message as this session shows them: with \Recent for IMAP4rev1 (RFC 3501 §2.3.2). */
    private Set<String> viewFlags(MessageInfo m) {
        SelectedMailbox s = selected;
        if (rev2 || s == null || !s.recent.contains(m.uid())) return m.flags();
        Set<String> f = new LinkedHashSet<>();
        f.add("\\Recent");
        f.addAll(m.flags());
        return f;
    }

    private boolean isRecent(long uid) {
        SelectedMailbox s = selected;
        return !rev2 && s != null && s.recent.contains(uid);
    }

    private String flagItems(MessageInfo m, boolean withUid) {
        return (withUid ? "UID " + m.uid() + " " : "") + "FLAGS " + flagList(viewFlags(m))
                + (condstore ? " MODSEQ (" + m.modSeq() + ")" : "");
    }

    /** Removes expunged UIDs from the view and tells the client: VANISHED with QRESYNC (RFC 7162 §3.2.10), else EXPUNGE. */
    private void reportExpunged(SelectedMailbox s, List<Long> uids) throws IOException {
        List<Long> present = uids.stream().filter(s.byUid::containsKey).sorted().toList();
        if (present.isEmpty()) return;
        // RFC 5267 §4.3: results kept up to date lose the expunged messages (numbered as before the expunge)
        for (UpdateContext u : s.updates) {
            List<Long> now = new ArrayList<>(u.result);
            now.removeAll(present);
            if (now.size() != u.result.size()) sendUpdate(s, u, now);
        }
        if (qresync) {
            for (long u : present) s.remove(u);
            untagged("VANISHED " + uidSet(present));
            return;
        }
        // highest sequence number first: the numbers of the others do not move
        for (int i = present.size() - 1; i >= 0; i--) {
            int seq = s.seq(present.get(i));
            s.remove(present.get(i));
            untagged(seq + " EXPUNGE");
        }
    }

    // ================================================================ CREATE / DELETE / RENAME / SUBSCRIBE

    private String create(List<Arg> a) throws Reply {
        if (a.isEmpty() || a.size() > 2) throw bad("CREATE mailbox [(USE (attributes))]");
        String name = mailboxName(a.get(0));
        // RFC 9051 §6.3.4: a trailing separator only says inferiors will be created
        while (name.endsWith("/")) name = name.substring(0, name.length() - 1);
        validName(name);
        String use = null;
        if (a.size() == 2) { // RFC 6154 §3 CREATE-SPECIAL-USE
            if (!(a.get(1) instanceof Arg.ListArg p) || p.items().size() != 2 || !"USE".equalsIgnoreCase(Arg.text(p.items().get(0)))
                    || !(p.items().get(1) instanceof Arg.ListArg uses)) {
                throw bad("CREATE parameters must be (USE (attributes))");
            }
            if (uses.items().size() > 1) throw no("[USEATTR] Only one special-use attribute per mailbox");
            if (uses.items().size() == 1) use = text(uses.items().getFirst());
        }
        if (name.equals("INBOX")) throw no("[ALREADYEXISTS] INBOX always exists");
        if (name.equals(OTHER_USERS) || name.startsWith(OTHER_USERS + "/")) throw no("[NOPERM] Cannot create mailboxes of other users");
        return switch (mailboxes.create(account.id(), name, use)) {
            case Mailboxes.MailboxResult.Done d -> {
                log.info("{} CREATE {}", id, name);
                yield "CREATE completed";
            }
            case Mailboxes.MailboxResult.AlreadyExists x -> throw no("[ALREADYEXISTS] Mailbox already exists");
            case Mailboxes.MailboxResult.NotFound x -> throw no("[NONEXISTENT] No such mailbox");
            case Mailboxes.MailboxResult.Refused r -> throw no((use != null ? "[USEATTR] " : "[CANNOT] ") + r.reason());
        };
    }

    private static void validName(String name) throws Reply {
        if (name.isEmpty()) throw bad("Empty mailbox name");
        if (name.contains("%") || name.contains("*")) throw no("[CANNOT] Mailbox names may not contain % or *");
        if (name.startsWith("/") || name.contains("//")) throw no("[CANNOT] Empty hierarchy level in the name");
        for (int i = 0; i < name.length(); i++) if (name.charAt(i) < 0x20 || name.charAt(i) == 0x7f) throw no("[CANNOT] Control character in the name");
    }

    private String delete(List<Arg> a) throws Reply {
        argc(a, 1);
        String name = mailboxName(a.get(0));
        Target t = target(name);
        if (!t.own()) {
            if (t.info() == null) throw no("[NONEXISTENT] No such mailbox");
            throw no("[NOPERM] Cannot delete other users' mailboxes");
        }
        if (selected != null && t.info() != null && t.info().id() == selected.mailboxId) {
            throw no("[INUSE] Cannot delete the selected mailbox; close it first");
        }
        return switch (mailboxes.delete(account.id(), name)) {
            case Mailboxes.MailboxResult.Done d -> {
                if (t.info() != null) RecentTracker.of(mailboxes).forget(t.info().id(), t.info().uidValidity());
                log.info("{} DELETE {}", id, name);
                yield "DELETE completed";
            }
            case Mailboxes.MailboxResult.NotFound x -> throw no("[NONEXISTENT] No such mailbox");
            case Mailboxes.MailboxResult.AlreadyExists x -> throw no("[CANNOT] Cannot delete");
            case Mailboxes.MailboxResult.Refused r -> throw no("[CANNOT] " + r.reason());
        };
    }

    private String rename(List<Arg> a) throws Reply {
        argc(a, 2);
        String from = mailboxName(a.get(0));
        String to = mailboxName(a.get(1));
        while (to.endsWith("/")) to = to.substring(0, to.length() - 1);
        validName(to);
        if (from.startsWith(OTHER_USERS + "/") || to.equals(OTHER_USERS) || to.startsWith(OTHER_USERS + "/")) {
            throw no("[NOPERM] Cannot rename into or out of other users' mailboxes");
        }
        return switch (mailboxes.rename(account.id(), from, to)) {
            case Mailboxes.MailboxResult.Done d -> {
                log.info("{} RENAME {} -> {}", id, from, to);
                yield "RENAME completed";
            }
            case Mailboxes.MailboxResult.NotFound x -> throw no("[NONEXISTENT] No such mailbox");
            case Mailboxes.MailboxResult.AlreadyExists x -> throw no("[ALREADYEXISTS] Target mailbox already exists");
            case Mailboxes.MailboxResult.Refused r -> throw no("[CANNOT] " + r.reason());
        };
    }

    private String subscribe(List<Arg> a, boolean on) throws Reply {
        argc(a, 1);
        String name = mailboxName(a.get(0));
        if (on && target(name).info() == null) throw no("[NONEXISTENT] No such mailbox"); // RFC 9051 §6.3.7 permits refusing
        mailboxes.subscribe(account.id(), name, on);
        return (on ? "SUBSCRIBE" : "UNSUBSCRIBE") + " completed";
    }

    // ================================================================ LIST / LSUB (RFC 9051 §6.3.9, RFC 5258, RFC 5819, RFC 6154)

    /** One name LIST may return. */
    private static final class Entry {
        final String name;
        MailboxInfo info;
        boolean virtual;
        boolean subscribed;
        String rights = ALL_RIGHTS;

        Entry(String name) {
            this.name = name;
        }
    }

    private TreeMap<String, Entry> universe() {
        TreeMap<String, Entry> all = new TreeMap<>((x, y) -> {
            boolean xi = x.equals("INBOX") || x.startsWith("INBOX/");
            boolean yi = y.equals("INBOX") || y.startsWith("INBOX/");
            if (xi != yi) return xi ? -1 : 1; // INBOX first
            return x.compareTo(y);
        });
        for (MailboxInfo m : mailboxes.list(account.id())) {
            Entry e = all.computeIfAbsent(m.name(), Entry::new);
            e.info = m;
            e.subscribed = m.subscribed();
            // RFC 9051 §6.3.9: a level of hierarchy above a mailbox that is no mailbox itself (e.g. after
            // DELETE of the parent, §6.3.5) is still listed, with \Noselect
            for (int i = m.name().indexOf('/'); i > 0; i = m.name().indexOf('/', i + 1)) {
                Entry p = all.computeIfAbsent(m.name().substring(0, i), Entry::new);
                if (p.info == null) p.virtual = true;
            }
        }
        for (Shared sh : shared()) {
            if (sh.rights.indexOf('l') < 0) continue;
            Entry e = all.computeIfAbsent(sh.wireName(), Entry::new);
            e.info = sh.info;
            e.rights = sh.rights;
            String owner = OTHER_USERS + "/" + sh.owner;
            all.computeIfAbsent(OTHER_USERS, Entry::new).virtual = true;
            all.computeIfAbsent(owner, Entry::new).virtual = true;
            // superiors inside the owner's tree that are not shared themselves
            String n = sh.info.name();
            for (int i = n.indexOf('/'); i > 0; i = n.indexOf('/', i + 1)) {
                Entry p = all.computeIfAbsent(owner + "/" + n.substring(0, i), Entry::new);
                if (p.info == null) p.virtual = true;
            }
        }
        for (String s : mailboxes.subscriptions(account.id())) {
            String n = s.equalsIgnoreCase("INBOX") ? "INBOX" : s;
            all.computeIfAbsent(n, Entry::new).subscribed = true;
        }
        return all;
    }

    /** Patterns in one LIST command (RFC 5258 §3 allows a list of them). */
    static final int LIST_MAX_PATTERNS = 64;
    /**
     * Matching steps one LIST or LSUB may take over all its names and patterns (see
     * {@link ListPattern#steps()}): about a tenth of a second of CPU; past it the command ends with
     * {@code NO [LIMIT]} (RFC 5530).
     */
    static final long LIST_MAX_STEPS = 20_000_000;

    /** RFC 9051 §6.3.9 LIST patterns: matches any of them, within the command's step budget. */
    private static boolean anyMatch(List<ListPattern> patterns, String name) throws Reply {
        long steps = 0;
        boolean hit = false;
        for (ListPattern p : patterns) {
            if (!hit && p.matches(name)) hit = true;
            steps += p.steps();
        }
        if (steps > LIST_MAX_STEPS) throw no("[LIMIT] LIST pattern too costly for these mailbox names; use a simpler pattern");
        return hit;
    }

    private static ListPattern listPattern(String ref, String pattern) throws Reply {
        try {
            return ListPattern.of(ref, pattern);
        } catch (ImapSyntaxException e) {
            throw bad(e.getMessage());
        }
    }

    private List<String> attributes(MailboxInfo mb, boolean children) {
        List<String> attrs = new ArrayList<>();
        if (children) {
            String prefix = mb.name() + "/";
            boolean has = mailboxes.list(mb.accountId()).stream().anyMatch(m -> m.name().startsWith(prefix));
            attrs.add(has ? "\\HasChildren" : "\\HasNoChildren");
        }
        if (mb.specialUse() != null) attrs.add(mb.specialUse());
        return attrs;
    }

    private String list(List<Arg> a) throws IOException, Reply {
        int i = 0;
        Set<String> sel = new LinkedHashSet<>();
        if (i < a.size() && a.get(i) instanceof Arg.ListArg so) { // RFC 5258 §3 selection options
            for (Arg x : so.items()) sel.add(text(x).toUpperCase(Locale.ROOT));
            i++;
        }
        if (a.size() < i + 2) throw bad("LIST [(selection)] reference pattern [RETURN (options)]");
        String ref = mailboxName(a.get(i++));
        List<String> patterns = new ArrayList<>();
        if (a.get(i) instanceof Arg.ListArg pl) { // RFC 5258 §3: several patterns
            for (Arg x : pl.items()) patterns.add(patternText(x));
        } else {
            patterns.add(patternText(a.get(i)));
        }
        i++;
        Set<String> ret = new LinkedHashSet<>();
        List<String> statusItems = null;
        if (i < a.size()) {
            if (!"RETURN".equalsIgnoreCase(Arg.text(a.get(i))) || i + 2 != a.size() || !(a.get(i + 1) instanceof Arg.ListArg ro)) {
                throw bad("Expected RETURN (options)");
            }
            List<Arg> r = ro.items();
            for (int k = 0; k < r.size(); k++) {
                String o = text(r.get(k)).toUpperCase(Locale.ROOT);
                if (o.equals("STATUS")) { // RFC 5819
                    if (k + 1 >= r.size() || !(r.get(k + 1) instanceof Arg.ListArg st)) throw bad("STATUS needs a list of items");
                    statusItems = new ArrayList<>();
                    for (Arg s : st.items()) statusItems.add(text(s).toUpperCase(Locale.ROOT));
                    k++;
                } else if (Set.of("SUBSCRIBED", "CHILDREN", "SPECIAL-USE", "MYRIGHTS").contains(o)) {
                    ret.add(o);
                } else {
                    throw bad("Unknown LIST return option " + o);
                }
            }
        }
        for (String s : sel) {
            if (!Set.of("SUBSCRIBED", "REMOTE", "RECURSIVEMATCH", "SPECIAL-USE").contains(s)) throw bad("Unknown LIST selection option " + s);
        }
        if (sel.contains("RECURSIVEMATCH") && !(sel.contains("SUBSCRIBED") || sel.contains("SPECIAL-USE"))) {
            throw bad("RECURSIVEMATCH needs another selection option"); // RFC 5258 §3
        }
        boolean extended = !sel.isEmpty() || !ret.isEmpty() || statusItems != null || patterns.size() > 1;
        if (!extended && patterns.size() == 1 && patterns.getFirst().isEmpty()) {
            // RFC 9051 §6.3.9: the hierarchy delimiter and root of the reference
            String root = ref.startsWith(OTHER_USERS) ? OTHER_USERS + "/" : "";
            untagged("LIST (\\Noselect) \"/\" " + mbox(root));
            return "LIST completed";
        }
        if (patterns.size() > LIST_MAX_PATTERNS) throw bad("Too many LIST patterns (at most " + LIST_MAX_PATTERNS + ")");
        List<ListPattern> res = new ArrayList<>();
        for (String p : patterns) res.add(listPattern(ref, p));
        TreeMap<String, Entry> all = universe();
        boolean selSub = sel.contains("SUBSCRIBED");
        boolean selSpecial = sel.contains("SPECIAL-USE");
        boolean showSub = selSub || ret.contains("SUBSCRIBED");
        for (Entry e : all.values()) {
            if (!anyMatch(res, e.name)) continue;
            boolean exists = e.info != null || e.virtual;
            String childInfo = null;
            if (selSub && !e.subscribed) {
                // RFC 5258 §3.5 RECURSIVEMATCH: a parent whose inferior is subscribed
                // whose subscribed inferior is not listed itself (matches no pattern), as Dovecot does
                if (sel.contains("RECURSIVEMATCH") && subscribedInferiorNotListed(all, e.name, res)) {
                    childInfo = " (\"CHILDINFO\" (\"SUBSCRIBED\"))";
                } else {
                    continue;
                }
            }
            if (!selSub && !exists) continue;
            if (selSpecial && (e.info == null || e.info.specialUse() == null)) continue;
            List<String> attrs = new ArrayList<>();
            if (!exists) attrs.add("\\NonExistent");
            else if (e.info == null) attrs.add("\\Noselect");
            boolean kids = all.tailMap(e.name + "/").keySet().stream().findFirst()
                    .map(k -> k.startsWith(e.name + "/") && hasExisting(all, e.name)).orElse(false);
            if (exists) attrs.add(kids ? "\\HasChildren" : "\\HasNoChildren");
            if (showSub && e.subscribed) attrs.add("\\Subscribed");
            if (e.info != null && e.info.specialUse() != null) attrs.add(e.info.specialUse());
            untagged("LIST (" + String.join(" ", attrs) + ") \"/\" " + mbox(e.name) + (childInfo == null ? "" : childInfo));
            if (statusItems != null && e.info != null && (e.rights.indexOf('r') >= 0)) {
                untagged("STATUS " + mbox(e.name) + " (" + statusText(e.info, statusItems) + ")");
            }
            if (ret.contains("MYRIGHTS") && exists) {
                untagged("MYRIGHTS " + mbox(e.name) + " " + e.rights);
            }
        }
        return "LIST completed";
    }

    /** RFC 5258 §3.5: an inferior of {@code name} that is subscribed and matches none of the patterns. */
    private static boolean subscribedInferiorNotListed(TreeMap<String, Entry> all, String name, List<ListPattern> res) throws Reply {
        for (Map.Entry<String, Entry> x : all.tailMap(name + "/").entrySet()) {
            if (!x.getKey().startsWith(name + "/")) return false;
            if (x.getValue().subscribed && !anyMatch(res, x.getKey())) return true;
        }
        return false;
    }

    private static boolean hasExisting(TreeMap<String, Entry> all, String name) {
        for (Map.Entry<String, Entry> x : all.tailMap(name + "/").entrySet()) {
            if (!x.getKey().startsWith(name + "/")) return false;
            if (x.getValue().info != null || x.getValue().virtual) return true;
        }
        return false;
    }

    /**
     * A list-mailbox pattern: like a mailbox name, with wildcards kept. A pattern that is not valid
     * modified UTF-7 is taken literally (it then matches no mailbox; RFC 3501 §6.3.8 allows any
     * list-mailbox, and Dovecot answers OK).
     */
    private String patternText(Arg a) throws Reply {
        String t = text(a);
        if (utf8) return t;
        try {
            return ModifiedUtf7.decode(t);
        } catch (ImapSyntaxException e) {
            return t;
        }
    }

    private String lsub(List<Arg> a) throws IOException, Reply {
        argc(a, 2);
        String ref = mailboxName(a.get(0));
        String pat = patternText(a.get(1));
        if (pat.isEmpty()) {
            untagged("LSUB (\\Noselect) \"/\" \"\"");
            return "LSUB completed";
        }
        List<ListPattern> p = List.of(listPattern(ref, pat));
        TreeMap<String, Entry> all = universe();
        Set<String> sent = new LinkedHashSet<>();
        for (Entry e : all.values()) {
            if (!e.subscribed) continue;
            if (anyMatch(p, e.name)) {
                if (sent.add(e.name)) untagged("LSUB (" + (e.info == null ? "\\Noselect" : "") + ") \"/\" " + mbox(e.name)); // RFC 3501 §6.3.9
                continue;
            }
            // RFC 3501 §6.3.9: with "%", a superior of a subscribed name that matches is returned with \Noselect
            for (int k = e.name.lastIndexOf('/'); k > 0; k = e.name.lastIndexOf('/', k - 1)) {
                String sup = e.name.substring(0, k);
                Entry se = all.get(sup);
                if ((se == null || !se.subscribed) && anyMatch(p, sup) && sent.add(sup)) {
                    untagged("LSUB (\\Noselect) \"/\" " + mbox(sup));
                }
            }
        }
        return "LSUB completed";
    }

    // ================================================================ STATUS (RFC 9051 §6.3.11)

    private String status(List<Arg> a) throws IOException, Reply {
        argc(a, 2);
        if (!(a.get(1) instanceof Arg.ListArg items) || items.items().isEmpty()) throw bad("STATUS mailbox (items)");
        List<String> names = new ArrayList<>();
        for (Arg x : items.items()) names.add(text(x).toUpperCase(Locale.ROOT));
        for (String n : names) {
            if (!Set.of("MESSAGES", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "DELETED", "SIZE", "HIGHESTMODSEQ", "RECENT", "APPENDLIMIT")
                    .contains(n)) throw bad("Unknown STATUS item " + n);
        }
        Target t = existing(a.get(0), 'r');
        if (names.contains("HIGHESTMODSEQ")) enableCondstore(); // RFC 7162 §3.1: a CONDSTORE-enabling command
        untagged("STATUS " + mbox(t.wireName()) + " (" + statusText(t.info(), names) + ")");
        return "STATUS completed";
    }

    private String statusText(MailboxInfo m, List<String> names) {
        List<String> parts = new ArrayList<>();
        for (String n : names) {
            switch (n) {
                case "MESSAGES" -> parts.add("MESSAGES " + m.messages());
                case "UIDNEXT" -> parts.add("UIDNEXT " + m.uidNext());
                case "UIDVALIDITY" -> parts.add("UIDVALIDITY " + m.uidValidity());
                case "UNSEEN" -> parts.add("UNSEEN " + m.unseen());
                case "DELETED" -> parts.add("DELETED " + m.deleted());
                case "SIZE" -> parts.add("SIZE " + m.size()); // RFC 8438
                case "HIGHESTMODSEQ" -> parts.add("HIGHESTMODSEQ " + m.highestModSeq());
                case "RECENT" -> parts.add("RECENT " + recentCount(m)); // RFC 3501 §6.3.10
                case "APPENDLIMIT" -> parts.add("APPENDLIMIT " + cfg.limits().maxAppendBytes()); // RFC 7889 §3
                default -> { }
            }
        }
        return String.join(" ", parts);
    }

    /** RFC 3501 §6.3.10 STATUS RECENT: the messages no session has claimed as \Recent yet ({@link RecentTracker}). */
    private long recentCount(MailboxInfo m) {
        long first = RecentTracker.of(mailboxes).peek(m.id(), m.uidValidity());
        if (first <= 1) return m.messages();
        if (first >= m.uidNext()) return 0;
        return mailboxes.messages(m.id()).stream().filter(x -> x.uid() >= first).count();
    }

    // ================================================================ APPEND (RFC 9051 §6.3.12, RFC 3502 MULTIAPPEND, RFC 4315 APPENDUID)

    private static final DateTimeFormatter APPEND_DATE = new java.time.format.DateTimeFormatterBuilder()
            .parseCaseInsensitive().appendPattern("d-MMM-yyyy HH:mm:ss Z").toFormatter(Locale.ENGLISH);

    /** One message of an APPEND: its content, or the RFC 4469 CATENATE parts it is built from. */
    private record Upload(Set<String> flags, Instant date, byte[] content, List<Arg> catenate) {}

    private String append(List<Arg> a) throws IOException, Reply {
        if (a.size() < 2) throw bad("APPEND mailbox [(flags)] [date-time] message");
        String name = mailboxName(a.get(0));
        List<Upload> ups = new ArrayList<>();
        int i = 1;
        while (i < a.size()) {
            Set<String> flags = Set.of();
            Instant date = null;
            if (a.get(i) instanceof Arg.ListArg fl) {
                flags = flags(fl.items());
                i++;
            }
            if (i < a.size() && a.get(i) instanceof Arg.Str ds && !ds.literal()) {
                date = parseDate(ds.text());
                i++;
            }
            if (i >= a.size()) throw bad("APPEND: missing message literal");
            byte[] content = null;
            List<Arg> catenate = null;
            if (a.get(i) instanceof Arg.Str msg && msg.literal()) {
                content = msg.value();
            } else if (a.get(i) instanceof Arg.Atom u && u.is("UTF8") && i + 1 < a.size()
                    && a.get(i + 1) instanceof Arg.ListArg ul && ul.items().size() == 1
                    && ul.items().getFirst() instanceof Arg.Str m8 && m8.literal()) {
                content = m8.value(); // RFC 6855 §4: APPEND with UTF8 (literal8)
                i++;
            } else if (a.get(i) instanceof Arg.Atom c && c.is("CATENATE") && i + 1 < a.size()
                    && a.get(i + 1) instanceof Arg.ListArg parts && !parts.items().isEmpty()) {
                catenate = parts.items(); // RFC 4469 §5: CATENATE (cat-part *(SP cat-part))
                checkCatenateSyntax(catenate);
                i++;
            } else {
                throw bad("APPEND: expected a message literal");
            }
            i++;
            if (content != null && content.length == 0) throw no("Empty message");
            ups.add(new Upload(flags, date, content, catenate));
        }
        Target t = target(name);
        if (t.info() == null) {
            // RFC 9051 §6.3.12: TRYCREATE when the mailbox could be created
            throw no(t.own() ? "[TRYCREATE] No such mailbox" : "[NONEXISTENT] No such mailbox");
        }
        if (!t.own() && !t.has('i')) throw no("[NOPERM] Permission denied");
        List<byte[]> contents = new ArrayList<>();
        for (Upload u : ups) {
            byte[] content = u.catenate() == null ? u.content() : catenate(u.catenate());
            if (content.length == 0) throw no("Empty message");
            contents.add(content);
        }
        List<Mailboxes.NewMessage> news = new ArrayList<>();
        Instant now = Instant.now();
        for (int k = 0; k < ups.size(); k++) {
            Upload u = ups.get(k);
            byte[] content = contents.get(k);
            BlobRef ref = store.blobs().put(content);
            news.add(new Mailboxes.NewMessage(ref, storableFlags(u.flags(), t), u.date() == null ? now : u.date(), summarize(content)));
        }
        return switch (mailboxes.append(t.info().id(), news)) {
            case Mailboxes.AppendResult.Appended ap -> {
                log.info("{} APPEND {} message(s) to {}", id, ap.uids().size(), t.storeName());
                yield "[APPENDUID " + ap.uidValidity() + " " + orderedSet(ap.uids()) + "] APPEND completed";
            }
            case Mailboxes.AppendResult.NoMailbox x -> throw no("[TRYCREATE] No such mailbox");
            case Mailboxes.AppendResult.OverQuota x -> throw no("[OVERQUOTA] Quota exceeded"); // RFC 9208 §4.3
        };
    }

    /** RFC 4469 §5: each cat-part is {@code TEXT literal} or {@code URL astring}. */
    private static void checkCatenateSyntax(List<Arg> parts) throws Reply {
        if (parts.size() % 2 != 0) throw bad("CATENATE parts are TEXT literal or URL url");
        for (int k = 0; k < parts.size(); k += 2) {
            String kind = Arg.text(parts.get(k));
            Arg v = parts.get(k + 1);
            if ("TEXT".equalsIgnoreCase(kind) && parts.get(k) instanceof Arg.Atom) {
                // RFC 4469 §5: text-literal = "TEXT" SP literal
                if (!(v instanceof Arg.Str str) || !str.literal()) throw bad("CATENATE TEXT needs a literal");
            } else if ("URL".equalsIgnoreCase(kind) && parts.get(k) instanceof Arg.Atom) {
                if (v instanceof Arg.ListArg) throw bad("CATENATE URL needs a string");
            } else {
                throw bad("CATENATE parts are TEXT literal or URL url");
            }
        }
    }

    /**
     * RFC 4469 §3: the message built from the parts: TEXT literals as they are, URLs replaced by
     * the octets they refer to. Only relative IMAP URLs into the user's own (or readable shared)
     * mailboxes of this server are resolved: {@code /mailbox[;UIDVALIDITY=n]/;UID=n[/;SECTION=s][/;PARTIAL=o[.l]]}
     * (RFC 5092 §6); anything else is {@code NO [BADURL url]}.
     */
    private byte[] catenate(List<Arg> parts) throws IOException, Reply {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long max = cfg.limits().maxAppendBytes();
        for (int k = 0; k < parts.size(); k += 2) {
            byte[] piece;
            if ("TEXT".equalsIgnoreCase(Arg.text(parts.get(k)))) {
                piece = ((Arg.Str) parts.get(k + 1)).value();
            } else {
                String url = text(parts.get(k + 1));
                piece = resolveUrl(url);
                if (piece == null) {
                    // RFC 4469 §6: url-resp-text excludes "]" and line ends
                    String shown = url.chars().allMatch(ch -> ch > 0 && ch != ']' && ch != '\r' && ch != '\n' && ch < 0x80) ? " " + url : "";
                    throw no("[BADURL" + shown + "] The URL does not refer to a message part we can read");
                }
            }
            if (out.size() + (long) piece.length > max) throw no("[TOOBIG] The catenated message is larger than the APPENDLIMIT"); // RFC 4469 §5
            out.write(piece);
        }
        return out.toByteArray();
    }

    /** The octets an IMAP URL refers to (RFC 5092), or null when it is not valid or not readable here. */
    private byte[] resolveUrl(String url) throws IOException {
        if (!url.startsWith("/") || url.startsWith("//") || url.length() > 2000) return null; // relative to this server only
        String[] segs = url.substring(1).split("/", -1);
        if (segs.length < 2) return null;
        String mailboxPart = segs[0];
        Long uidValidity = null;
        int semi = mailboxPart.indexOf(';');
        if (semi >= 0) {
            String param = mailboxPart.substring(semi + 1);
            if (!param.regionMatches(true, 0, "UIDVALIDITY=", 0, 12)) return null;
            uidValidity = positive(param.substring(12));
            if (uidValidity == null) return null;
            mailboxPart = mailboxPart.substring(0, semi);
        }
        String mailboxName = percentDecode(mailboxPart);
        if (mailboxName == null || mailboxName.isEmpty()) return null;
        Long uid = null;
        String section = null;
        long partialFrom = -1;
        long partialLen = -1;
        for (int k = 1; k < segs.length; k++) {
            String sg = segs[k];
            if (k == 1) {
                if (!sg.regionMatches(true, 0, ";UID=", 0, 5)) return null;
                uid = positive(sg.substring(5));
                if (uid == null) return null;
            } else if (sg.regionMatches(true, 0, ";SECTION=", 0, 9) && section == null && partialFrom < 0) {
                section = percentDecode(sg.substring(9));
                if (section == null) return null;
            } else if (sg.regionMatches(true, 0, ";PARTIAL=", 0, 9) && partialFrom < 0) {
                String pr = sg.substring(9);
                int dot = pr.indexOf('.');
                Long from = positiveOrZero(dot < 0 ? pr : pr.substring(0, dot));
                Long len = dot < 0 ? Long.valueOf(-1) : positive(pr.substring(dot + 1));
                if (from == null || len == null) return null;
                partialFrom = from;
                partialLen = len;
            } else {
                return null;
            }
        }
        if (uid == null) return null;
        if (mailboxName.equalsIgnoreCase("INBOX")) mailboxName = "INBOX";
        Target t = target(mailboxName);
        if (t.info() == null || (!t.own() && !t.has('r'))) return null;
        if (uidValidity != null && uidValidity != t.info().uidValidity()) return null; // RFC 5092 §6: must match
        MessageInfo info = null;
        SelectedMailbox s = selected;
        if (s != null && s.mailboxId == t.info().id()) info = s.byUid.get(uid);
        if (info == null) {
            final long want = uid;
            info = mailboxes.messages(t.info().id()).stream().filter(m -> m.uid() == want).findFirst().orElse(null);
        }
        if (info == null) return null;
        StoredMessage msg = new StoredMessage(0, info, false, store.blobs(), mailboxes);
        byte[] data;
        try {
            data = section == null ? msg.raw() : FetchRenderer.sectionBytes(section, msg);
        } catch (ImapSyntaxException | java.nio.file.NoSuchFileException e) {
            return null;
        }
        if (data == null) return null;
        if (partialFrom >= 0) { // RFC 5092 §3: PARTIAL=offset[.length], past the end gives nothing
            int from = (int) Math.min(partialFrom, data.length);
            int to = partialLen < 0 ? data.length : (int) Math.min((long) data.length, from + partialLen);
            data = Arrays.copyOfRange(data, from, to);
        }
        return data;
    }

    private static Long positive(String digits) {
        Long v = positiveOrZero(digits);
        return v == null || v == 0 ? null : v;
    }

    private static Long positiveOrZero(String digits) {
        if (digits.isEmpty() || digits.length() > 18) return null;
        for (int k = 0; k < digits.length(); k++) if (digits.charAt(k) < '0' || digits.charAt(k) > '9') return null;
        return Long.parseLong(digits);
    }

    /** RFC 3986 percent-decoding to UTF-8 (RFC 5092 §3 enc-mailbox), or null when malformed. */
    private static String percentDecode(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(s.length());
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '%') {
                if (k + 2 >= s.length()) return null;
                int hi = Character.digit(s.charAt(k + 1), 16);
                int lo = Character.digit(s.charAt(k + 2), 16);
                if (hi < 0 || lo < 0) return null;
                b.write(hi * 16 + lo);
                k += 2;
            } else if (c > 0x7e || c < 0x20) {
                return null;
            } else {
                b.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b.toByteArray())).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    /** The structure and header summary cached with the message, as local delivery builds it. */
    static MessageSummary summarize(byte[] content) {
        MessageStructure s = MessageStructure.parse(content);
        Envelope env = s.envelope();
        return new MessageSummary(s.toBytes(), env.decodedSubject(), env.displayFrom(), env.messageId(), env.inReplyTo());
    }

    private static Instant parseDate(String s) throws Reply {
        String t = s.startsWith(" ") ? s.substring(1) : s;
        try {
            return ZonedDateTime.parse(t, APPEND_DATE).toInstant();
        } catch (DateTimeParseException e) {
            throw bad("Invalid date-time");
        }
    }

    /** Flags from a flag list: system flags in canonical case, keywords as atoms (RFC 9051 §2.3.2). */
    private static Set<String> flags(List<Arg> items) throws Reply {
        Set<String> out = new LinkedHashSet<>();
        for (Arg x : items) {
            if (!(x instanceof Arg.Atom at)) throw bad("Flags must be atoms");
            String f = at.value();
            if (f.startsWith("\\")) {
                String canon = SYSTEM_FLAGS.stream().filter(sf -> sf.equalsIgnoreCase(f)).findFirst().orElse(null);
                if (canon == null) {
                    if (f.equalsIgnoreCase("\\Recent")) continue; // RFC 9051 §2.3.2: cannot be set
                    throw bad("Unknown system flag " + f);
                }
                out.add(canon);
            } else {
                if (f.isEmpty() || f.length() > 100) throw bad("Invalid keyword");
                for (int k = 0; k < f.length(); k++) {
                    char c = f.charAt(k);
                    if (c <= 0x20 || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) throw bad("Invalid keyword " + f);
                }
                out.add(f);
            }
        }
        if (out.size() > 100) throw bad("Too many flags");
        return out;
    }

    /** RFC 4314 §4: flags the session has no right to set are dropped silently. */
    private static Set<String> storableFlags(Set<String> flags, Target t) {
        if (t.own()) return flags;
        return permitted(flags, t.rights());
    }

    private static Set<String> permitted(Set<String> flags, String rights) {
        Set<String> out = new LinkedHashSet<>();
        for (String f : flags) {
            char need = f.equals("\\Seen") ? 's' : f.equals("\\Deleted") ? 't' : 'w';
            if (rights.indexOf(need) >= 0) out.add(f);
        }
        return out;
    }

    // ================================================================ IDLE (RFC 2177, RFC 9051 §6.3.13)

    private String idle(String tag, List<Arg> a) throws IOException, Reply {
        noArgs(a);
        write("+ idling\r\n");
        if (selected != null) {
            sync(true);
            searchUpdates(); // RFC 5267 §4.3: updates may come while idling
        }
        flush();
        Object[] result = new Object[1];
        Thread idler = Thread.ofVirtual().name(id + "-idle").start(() -> {
            Object r;
            try {
                String line = reader.readLine();
                r = line == null ? new EOFException() : line;
            } catch (CommandReader.ReadError e) {
                r = "";
            } catch (IOException | RuntimeException e) {
                r = e;
            }
            wakeLock.lock();
            try {
                result[0] = r;
                wakeCond.signalAll();
            } finally {
                wakeLock.unlock();
            }
        });
        long poll = cfg.limits().pollInterval().toMillis();
        try {
            while (true) {
                Object r;
                wakeLock.lock();
                try {
                    if (result[0] == null && !woken) wakeCond.await(poll, TimeUnit.MILLISECONDS);
                    woken = false;
                    r = result[0];
                } finally {
                    wakeLock.unlock();
                }
                if (r != null) break;
                if (selected != null) { // a wake-up from this node, or the poll for changes made elsewhere
                    sync(true);
                    searchUpdates();
                }
                if (notify != null) notifyOthers();
                flush();
            }
            idler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Close();
        }
        Object r = result[0];
        if (r instanceof IOException e) throw e;
        if (r instanceof RuntimeException e) throw e;
        String line = (String) r;
        if (!line.equalsIgnoreCase("DONE")) throw bad("Expected DONE");
        return "IDLE terminated";
    }

    // ================================================================ QUOTA (RFC 9208)

    private String getQuotaRoot(List<Arg> a) throws IOException, Reply {
        argc(a, 1);
        Target t = existing(a.get(0), 'r');
        if (!t.own()) {
            untagged("QUOTAROOT " + mbox(t.wireName())); // the owner's quota is not shown to others
            return "GETQUOTAROOT completed";
        }
        String resources = quotaResources();
        if (resources == null) { // RFC 9208 §5.2: an unlimited account has no quota root
            untagged("QUOTAROOT " + mbox(t.wireName()));
            return "GETQUOTAROOT completed";
        }
        untagged("QUOTAROOT " + mbox(t.wireName()) + " \"\"");
        untagged("QUOTA \"\" " + resources);
        return "GETQUOTAROOT completed";
    }

    private String getQuota(List<Arg> a) throws IOException, Reply {
        argc(a, 1);
        String resources = quotaResources();
        if (!text(a.get(0)).isEmpty() || resources == null) throw no("[NONEXISTENT] No such quota root");
        untagged("QUOTA \"\" " + resources);
        return "GETQUOTA completed";
    }

    /**
     * RFC 9208 §5.1 STORAGE in units of 1024 octets, or null when the account is unlimited (§9: a
     * quota-list has at least one resource, so "()" is not a valid answer).
     */
    private String quotaResources() {
        Directory.Account acc = store.directory().account(account.address()).orElse(account);
        if (acc.quotaBytes() <= 0) return null;
        long used = (acc.usedBytes() + 1023) / 1024;
        return "(STORAGE " + used + " " + acc.quotaBytes() / 1024 + ")";
    }

    // ================================================================ METADATA (RFC 5464)

    static final int MAX_METADATA_VALUE = 64 * 1024;
    /** Entries per mailbox (or server entries per account). */
    static final int MAX_METADATA_ENTRIES = 500;

    private String getMetadata(List<Arg> a) throws IOException, Reply {
        int i = 0;
        long maxSize = -1;
        String depth = "0";
        if (!a.isEmpty() && a.get(0) instanceof Arg.ListArg opts) { // RFC 5464 §4.2
            List<Arg> o = opts.items();
            for (int k = 0; k + 1 < o.size() + 1; k += 2) {
                if (k + 1 >= o.size()) throw bad("GETMETADATA option without value");
                String n = text(o.get(k)).toUpperCase(Locale.ROOT);
                if (n.equals("MAXSIZE")) maxSize = number(o.get(k + 1));
                else if (n.equals("DEPTH")) depth = text(o.get(k + 1)).toLowerCase(Locale.ROOT);
                else throw bad("Unknown GETMETADATA option");
            }
            if (!Set.of("0", "1", "infinity").contains(depth)) throw bad("DEPTH must be 0, 1 or infinity");
            i++;
        }
        if (a.size() != i + 2) throw bad("GETMETADATA [(options)] mailbox entries");
        String wire = text(a.get(i));
        Long mbId = metadataMailbox(a.get(i), false);
        List<String> entries = new ArrayList<>();
        if (a.get(i + 1) instanceof Arg.ListArg el) for (Arg x : el.items()) entries.add(entryName(x));
        else entries.add(entryName(a.get(i + 1)));
        Map<String, String> found = new TreeMap<>();
        long longest = 0;
        for (String e : entries) {
            for (Map.Entry<String, String> kv : mailboxes.metadata(account.id(), mbId, e).entrySet()) {
                String k = kv.getKey();
                boolean ok = k.equals(e) || (!depth.equals("0") && k.startsWith(e + "/")
                        && (depth.equals("infinity") || k.indexOf('/', e.length() + 1) < 0));
                if (!ok) continue;
                long len = kv.getValue().getBytes(StandardCharsets.UTF_8).length;
                if (maxSize >= 0 && len > maxSize) {
                    longest = Math.max(longest, len);
                    continue;
                }
                found.put(k, kv.getValue());
            }
        }
        if (!found.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, String> kv : found.entrySet()) {
                if (!sb.isEmpty()) sb.append(' ');
                sb.append(q(kv.getKey())).append(' ').append(q(kv.getValue()));
            }
            untagged("METADATA " + (mbId == null ? "\"\"" : mbox(mailboxName(a.get(i)))) + " (" + sb + ")");
        }
        return (longest > 0 ? "[METADATA LONGENTRIES " + longest + "] " : "") + "GETMETADATA completed";
    }

    private String setMetadata(List<Arg> a) throws Reply {
        argc(a, 2);
        Long mbId = metadataMailbox(a.get(0), true);
        if (!(a.get(1) instanceof Arg.ListArg l) || l.items().isEmpty() || l.items().size() % 2 != 0) {
            throw bad("SETMETADATA mailbox (entry value ...)");
        }
        List<Arg> kv = l.items();
        if (mailboxes.metadata(account.id(), mbId, "").size() + kv.size() / 2 > MAX_METADATA_ENTRIES) {
            throw no("[METADATA TOOMANY] Too many metadata entries"); // RFC 5464 §4.3
        }
        for (int k = 0; k < kv.size(); k += 2) {
            entryName(kv.get(k));
            Arg v = kv.get(k + 1);
            if (v instanceof Arg.Str s && s.value().length > MAX_METADATA_VALUE) {
                throw no("[METADATA MAXSIZE " + MAX_METADATA_VALUE + "] Value too large"); // RFC 5464 §4.3
            }
            if (v instanceof Arg.ListArg) throw bad("Metadata values are strings or NIL");
            if (v instanceof Arg.Atom at && !at.is("NIL")) throw bad("Metadata values are strings or NIL");
        }
        for (int k = 0; k < kv.size(); k += 2) {
            String value = kv.get(k + 1) instanceof Arg.Str s ? s.text() : null;
            mailboxes.setMetadata(account.id(), mbId, entryName(kv.get(k)), value);
        }
        return "SETMETADATA completed";
    }

    /** The mailbox id of a METADATA command, or null for server entries ({@code ""}); own mailboxes only. */
    private Long metadataMailbox(Arg a, boolean write) throws Reply {
        if (text(a).isEmpty()) return null;
        Target t = existing(a, 'r');
        if (!t.own()) throw no("[NOPERM] Metadata of other users' mailboxes is not available");
        return t.info().id();
    }

    /** RFC 5464 §3.2 entry names: /private/... or /shared/..., case-insensitive (kept lower case). */
    private static String entryName(Arg a) throws Reply {
        String e = text(a).toLowerCase(Locale.ROOT);
        if (!(e.startsWith("/private/") || e.startsWith("/shared/") || e.equals("/private") || e.equals("/shared"))) {
            throw bad("Entry names start with /private or /shared");
        }
        if (e.length() > 1024 || e.endsWith("/") || e.contains("//") || e.contains("*") || e.contains("%")) throw bad("Invalid entry name");
        for (int k = 0; k < e.length(); k++) if (e.charAt(k) < 0x21 || e.charAt(k) > 0x7e) throw bad("Invalid entry name");
        return e;
    }

    // ================================================================ ACL (RFC 4314)

    private Target aclTarget(Arg a) throws Reply {
        Target t = existing(a, 'l');
        if (!t.own() && !t.has('a')) throw no("[NOPERM] You may not administer this mailbox");
        return t;
    }

    private String ownerOf(Target t) {
        if (t.own()) return account.address();
        String rest = t.wireName().substring(OTHER_USERS.length() + 1);
        return rest.substring(0, rest.indexOf('/'));
    }

    private String getAcl(List<Arg> a) throws IOException, Reply {
        argc(a, 1);
        Target t = aclTarget(a.get(0));
        StringBuilder sb = new StringBuilder("ACL ").append(mbox(t.wireName()));
        sb.append(' ').append(q(ownerOf(t))).append(' ').append(ALL_RIGHTS);
        for (Map.Entry<String, String> e : new TreeMap<>(mailboxes.acl(t.info().id())).entrySet()) {
            sb.append(' ').append(q(e.getKey())).append(' ').append(q(e.getValue()));
        }
        untagged(sb.toString());
        return "GETACL completed";
    }

    /** RFC 4314 §2.1.1: the obsolete "c" and "d" stand for "k" and "xte". */
    private static String canonicalRights(String r) throws Reply {
        StringBuilder sb = new StringBuilder();
        for (char c : r.toCharArray()) {
            if (c == 'c') sb.append('k');
            else if (c == 'd') sb.append("xte");
            else if (ALL_RIGHTS.indexOf(c) >= 0) sb.append(c);
            else throw bad("[INVALID] Unknown right " + c);
        }
        StringBuilder out = new StringBuilder();
        for (char c : ALL_RIGHTS.toCharArray()) if (sb.indexOf(String.valueOf(c)) >= 0) out.append(c);
        return out.toString();
    }

    private String identifier(Arg a) throws Reply {
        String idf = text(a).toLowerCase(Locale.ROOT);
        if (idf.isEmpty() || idf.length() > 320) throw bad("Invalid identifier");
        if (idf.startsWith("-")) throw no("[CANNOT] Negative rights are not supported"); // RFC 4314 §2
        return idf;
    }

    private String setAcl(List<Arg> a) throws Reply {
        argc(a, 3);
        Target t = aclTarget(a.get(0));
        String who = identifier(a.get(1));
        if (who.equalsIgnoreCase(ownerOf(t))) throw no("[CANNOT] The owner's rights cannot be changed");
        String r = text(a.get(2));
        String current = mailboxes.acl(t.info().id()).getOrDefault(who, "");
        String next;
        if (r.startsWith("+")) next = canonicalRights(current + canonicalRights(r.substring(1)));
        else if (r.startsWith("-")) {
            String minus = canonicalRights(r.substring(1));
            StringBuilder sb = new StringBuilder();
            for (char c : canonicalRights(current).toCharArray()) if (minus.indexOf(c) < 0) sb.append(c);
            next = sb.toString();
        } else next = canonicalRights(r);
        mailboxes.setRights(t.info().id(), who, next);
        log.info("{} SETACL {} {} {}", id, t.storeName(), who, next);
        return "SETACL completed";
    }

    private String deleteAcl(List<Arg> a) throws Reply {
        argc(a, 2);
        Target t = aclTarget(a.get(0));
        String who = identifier(a.get(1));
        mailboxes.setRights(t.info().id(), who, "");
        return "DELETEACL completed";
    }

    private String listRights(List<Arg> a) throws IOException, Reply {
        argc(a, 2);
        Target t = aclTarget(a.get(0));
        String who = identifier(a.get(1));
        if (who.equalsIgnoreCase(ownerOf(t))) untagged("LISTRIGHTS " + mbox(t.wireName()) + " " + q(who) + " " + ALL_RIGHTS);
        else untagged("LISTRIGHTS " + mbox(t.wireName()) + " " + q(who) + " \"\" l r s w i p k x t e a");
        return "LISTRIGHTS completed";
    }

    private String myRights(List<Arg> a) throws IOException, Reply {
        argc(a, 1);
        Target t = existing(a.get(0), 'l');
        untagged("MYRIGHTS " + mbox(t.wireName()) + " " + t.rights());
        return "MYRIGHTS completed";
    }

    // ================================================================ selected state: CLOSE, UNSELECT, EXPUNGE

    private String close(List<Arg> a) throws Reply {
        noArgs(a);
        SelectedMailbox s = selected;
        if (!s.readOnly && (s.rights.indexOf('e') >= 0)) mailboxes.expunge(s.mailboxId, null); // RFC 9051 §6.4.1: silently
        selected = null;
        state = State.AUTHENTICATED;
        return "CLOSE completed";
    }

    private String unselect(List<Arg> a) throws Reply {
        noArgs(a);
        selected = null;
        state = State.AUTHENTICATED;
        return "UNSELECT completed";
    }

    private String expunge(List<Arg> a, boolean uid) throws IOException, Reply, ImapSyntaxException {
        SelectedMailbox s = selected;
        List<Long> only = null;
        if (uid) { // RFC 4315 §2.1 UID EXPUNGE
            argc(a, 1);
            only = resolve(a.get(0), true);
        } else {
            noArgs(a);
        }
        if (s.readOnly) throw no("[READ-ONLY] Mailbox is read-only");
        if (s.rights.indexOf('e') < 0) throw no("[NOPERM] Permission denied");
        if (only != null && only.isEmpty()) return "EXPUNGE completed";
        Mailboxes.ExpungeResult r = mailboxes.expunge(s.mailboxId, only);
        reportExpunged(s, r.uids());
        return (condstore ? "[HIGHESTMODSEQ " + r.highestModSeq() + "] " : "") + "EXPUNGE completed";
    }

    // ================================================================ sequence sets

    /** The UIDs a sequence set (or UID set, or {@code $}) names in the selected mailbox, in sequence order. */
    private List<Long> resolve(Arg a, boolean uid) throws Reply, ImapSyntaxException {
        SelectedMailbox s = selected;
        if (!(a instanceof Arg.Atom at)) throw bad("Expected a sequence set");
        String t = at.value();
        if (t.equals("$")) { // RFC 5182 §2.1
            return searchRes.stream().filter(s.byUid::containsKey).sorted().toList();
        }
        SequenceSet set = SequenceSet.parse(t);
        List<Long> out = new ArrayList<>();
        if (uid) {
            long max = s.maxUid();
            if (max == 0) return out;
            for (long u : s.uids) if (set.contains(u, max)) out.add(u);
            return out;
        }
        int size = s.uids.size();
        TreeSet<Integer> seqs = new TreeSet<>();
        for (SequenceSet.Range r : set.ranges()) {
            if (size == 0) {
                if (r.from() == SequenceSet.STAR || r.to() == SequenceSet.STAR) continue;
                throw bad("Invalid message sequence number: mailbox is empty");
            }
            SequenceSet.Range x = r.resolve(size);
            if (x.to() > size) throw bad("Invalid message sequence number " + x.to()); // RFC 9051 §9 seq-number
            for (long n = x.from(); n <= x.to(); n++) seqs.add((int) n);
        }
        for (int n : seqs) out.add(s.uids.get(n - 1));
        return out;
    }

    private String seqOrUidSet(Collection<Long> uids, boolean uid) {
        if (uid) return uidSet(uids);
        List<Long> seqs = new ArrayList<>();
        for (long u : uids) {
            int n = selected.seq(u);
            if (n > 0) seqs.add((long) n);
        }
        return uidSet(seqs);
    }

    // ================================================================ STORE (RFC 9051 §6.4.6, RFC 7162 §3.1.3)

    private String storeFlags(List<Arg> a, boolean uid) throws IOException, Reply, ImapSyntaxException {
        SelectedMailbox s = selected;
        if (a.size() < 3) throw bad("STORE set [(UNCHANGEDSINCE n)] item flags");
        List<Long> uids = resolve(a.get(0), uid);
        int i = 1;
        long unchangedSince = -1;
        if (a.get(i) instanceof Arg.ListArg mods) {
            List<Arg> m = mods.items();
            if (m.size() != 2 || !"UNCHANGEDSINCE".equalsIgnoreCase(Arg.text(m.get(0)))) throw bad("Unknown STORE modifier");
            unchangedSince = number(m.get(1));
            enableCondstore(); // RFC 7162 §3.1: a CONDSTORE-enabling command
            i++;
        }
        String item = text(a.get(i++)).toUpperCase(Locale.ROOT);
        boolean silent = item.endsWith(".SILENT");
        if (silent) item = item.substring(0, item.length() - 7);
        Mailboxes.FlagMode mode = switch (item) {
            case "FLAGS" -> Mailboxes.FlagMode.REPLACE;
            case "+FLAGS" -> Mailboxes.FlagMode.ADD;
            case "-FLAGS" -> Mailboxes.FlagMode.REMOVE;
            default -> throw bad("Unknown STORE item " + item);
        };
        List<Arg> rest = a.subList(i, a.size());
        Set<String> fl = rest.size() == 1 && rest.getFirst() instanceof Arg.ListArg l ? flags(l.items()) : flags(rest);
        if (s.readOnly) throw no("[READ-ONLY] Mailbox is read-only");
        fl = permitted(fl, s.rights);
        Mailboxes.FlagResult r = uids.isEmpty() ? new Mailboxes.FlagResult(List.of(), List.of(), s.knownModSeq)
                : mailboxes.store(s.mailboxId, uids, mode, fl, unchangedSince);
        Set<Long> updated = new java.util.HashSet<>();
        for (MessageInfo m : r.updated()) {
            s.update(m);
            updated.add(m.uid());
        }
        Set<Long> modified = new java.util.HashSet<>(r.modified());
        for (long u : uids) {
            if (modified.contains(u)) continue;
            boolean send = !silent || (unchangedSince >= 0 && updated.contains(u));
            MessageInfo m = s.byUid.get(u);
            if (!send || m == null) continue;
            boolean withUid = uid || qresync; // RFC 7162 §3.2.4
            String items = silent ? (withUid ? "UID " + u + " " : "") + "MODSEQ (" + m.modSeq() + ")" : flagItems(m, withUid);
            fetchResponse(s, s.seq(u), items);
        }
        if (!modified.isEmpty()) {
            return "[MODIFIED " + seqOrUidSet(modified, uid) + "] Conditional STORE failed"; // RFC 7162 §3.1.3
        }
        return "STORE completed";
    }

    // ================================================================ COPY / MOVE (RFC 9051 §6.4.7, §6.4.8, RFC 6851, RFC 4315)

    private String copy(List<Arg> a, boolean uid, boolean move) throws IOException, Reply, ImapSyntaxException {
        argc(a, 2);
        SelectedMailbox s = selected;
        List<Long> uids = resolve(a.get(0), uid);
        String name = mailboxName(a.get(1));
        Target t = target(name);
        String what = move ? "MOVE" : "COPY";
        if (t.info() == null) throw no(t.own() ? "[TRYCREATE] No such mailbox" : "[NONEXISTENT] No such mailbox");
        if (!t.own() && !t.has('i')) throw no("[NOPERM] Permission denied");
        if (move && (s.readOnly || s.rights.indexOf('t') < 0 || s.rights.indexOf('e') < 0)) {
            throw no(s.readOnly ? "[READ-ONLY] Mailbox is read-only" : "[NOPERM] Permission denied");
        }
        if (uids.isEmpty()) return what + " completed (no messages)";
        return switch (mailboxes.copy(s.mailboxId, uids, t.info().id(), move)) {
            case Mailboxes.CopyResult.Copied c -> {
                String code = "[COPYUID " + c.uidValidity() + " " + orderedSet(c.sourceUids()) + " " + orderedSet(c.targetUids()) + "]";
                log.info("{} {} {} message(s) to {}", id, what, c.sourceUids().size(), t.storeName());
                if (!move) yield code + " COPY completed";
                untagged("OK " + code + " Moved"); // RFC 6851 §4.3
                reportExpunged(s, c.sourceUids());
                yield "MOVE completed";
            }
            case Mailboxes.CopyResult.NoMailbox x -> throw no("[TRYCREATE] No such mailbox");
            case Mailboxes.CopyResult.OverQuota x -> throw no("[OVERQUOTA] Quota exceeded");
        };
    }

    // ================================================================ FETCH / SEARCH / SORT / THREAD

    private String fetch(List<Arg> a, boolean uid) throws IOException, Reply, ImapSyntaxException {
        SelectedMailbox s = selected;
        if (a.size() < 2) throw bad("FETCH set items");
        List<Long> uids = resolve(a.get(0), uid);
        FetchRequest req = FetchRequest.parse(a.subList(1, a.size()));
        // RFC 9051 §6.4.9: UID FETCH returns the UID; with QRESYNC every FETCH response carries it (RFC 7162 §3.2.4)
        if (uid || qresync) req = req.withUid();
        long since = req.changedSince();
        if (since >= 0 || req.hasModSeq()) enableCondstore(); // RFC 7162 §3.1: CONDSTORE-enabling
        if (req.vanished()) {
            // RFC 7162 §3.2.6: VANISHED only with UID FETCH, QRESYNC enabled, and CHANGEDSINCE
            if (!uid || !qresync || since < 0) throw bad("VANISHED needs UID FETCH, CHANGEDSINCE and an enabled QRESYNC");
            Mailboxes.Changes ch = mailboxes.changes(s.mailboxId, since).orElse(null);
            if (ch != null && a.get(0) instanceof Arg.Atom at && !at.value().equals("$")) {
                SequenceSet set = SequenceSet.parse(at.value());
                long max = Math.max(s.maxUid(), ch.mailbox().uidNext() - 1);
                List<Long> gone = ch.expungedUids().stream().filter(u -> set.contains(u, max)).toList();
                if (!gone.isEmpty()) untagged("VANISHED (EARLIER) " + uidSet(gone));
            }
        }
        boolean flagsChanged = false;
        if (req.setsSeen() && !s.readOnly && s.rights.indexOf('s') >= 0) {
            // RFC 9051 §6.4.5: BODY[...] without .PEEK sets \Seen; the response then carries FLAGS
            List<Long> unseen = uids.stream().filter(u -> {
                MessageInfo m = s.byUid.get(u);
                return m != null && !m.flags().contains("\\Seen");
            }).toList();
            if (!unseen.isEmpty()) {
                Mailboxes.FlagResult r = mailboxes.store(s.mailboxId, unseen, Mailboxes.FlagMode.ADD, Set.of("\\Seen"), -1);
                for (MessageInfo m : r.updated()) s.update(m);
                flagsChanged = true;
            }
        }
        if (flagsChanged) req = req.withFlags();
        if (condstore && req.has(FetchRequest.Attr.FLAGS)) req = req.withModSeq(); // RFC 7162 §3.1.4
        int failed = 0;
        for (long u : uids) {
            MessageInfo m = s.byUid.get(u);
            if (m == null) continue;
            if (since >= 0 && m.modSeq() <= since) continue; // RFC 7162 §3.1.4.1 CHANGEDSINCE
            int seq = s.seq(u);
            byte[] data;
            try {
                data = FetchRenderer.render(req, new StoredMessage(seq, m, isRecent(u), store.blobs(), mailboxes));
            } catch (UnknownCteException e) {
                throw no("[UNKNOWN-CTE] " + e.getMessage()); // RFC 3516 §4.3
            } catch (java.nio.file.NoSuchFileException e) {
                log.warn("{} message uid={} of mailbox {} has no content blob", id, u, s.mailboxId);
                failed++;
                continue;
            }
            fetchResponse(s, seq, data);
        }
        if (failed > 0) throw no("Some messages could not be read");
        return "FETCH completed";
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /** The selected mailbox's messages as views, in sequence order. */
    private List<StoredMessage> views() {
        SelectedMailbox s = selected;
        List<StoredMessage> out = new ArrayList<>(s.uids.size());
        for (int i = 0; i < s.uids.size(); i++) {
            long u = s.uids.get(i);
            out.add(new StoredMessage(i + 1, s.byUid.get(u), isRecent(u), store.blobs(), mailboxes));
        }
        return out;
    }

    private SearchContext searchContext() {
        SelectedMailbox s = selected;
        return new SearchContext(s.uids.size(), s.maxUid(), Set.copyOf(searchRes), java.time.Clock.systemDefaultZone(), true);
    }

    private String search(String tag, List<Arg> a, boolean uid) throws IOException, Reply, ImapSyntaxException {
        SearchCommand sc;
        try {
            sc = SearchCommand.parse(a);
        } catch (BadCharsetException e) {
            throw no("[" + e.responseCode() + "] Unsupported charset");
        }
        if (sc.usesModSeq()) enableCondstore(); // RFC 7162 §3.1: a CONDSTORE-enabling command
        boolean update = sc.returnOptions().contains(ReturnOption.UPDATE);
        if (update) checkUpdateSlot(tag);
        List<MessageView> hits = Search.search(sc.key(), views(), searchContext());
        if (sc.returnSave()) searchRes = sc.resultToSave(hits.stream().map(MessageView::uid).toList()); // RFC 5182 §2.4
        // IMAP4rev1: * SEARCH; IMAP4rev2 or RETURN: * ESEARCH (RFC 9051 §6.4.4, RFC 4731); SAVE alone: nothing
        String r = Search.response(sc, tag, uid, rev2, hits);
        if (r != null) write(r + "\r\n");
        if (update) addUpdate(new UpdateContext(tag, uid, sc.key(), null, hits));
        return "SEARCH completed";
    }

    private String sort(List<Arg> a, boolean uid) throws IOException, Reply, ImapSyntaxException {
        SortCommand sc;
        try {
            sc = SortCommand.parse(a);
        } catch (BadCharsetException e) {
            throw no("[" + e.responseCode() + "] Unsupported charset");
        }
        boolean update = sc.returnOptions().contains(ReturnOption.UPDATE);
        if (update) checkUpdateSlot(currentTag);
        List<MessageView> hits = Sort.sort(sc.criteria(), Search.search(sc.key(), views(), searchContext()));
        write(Sort.response(sc, currentTag, uid, hits) + "\r\n"); // RFC 5256 §4, RFC 5267 ESORT
        if (update) addUpdate(new UpdateContext(currentTag, uid, sc.key(), sc.criteria(), hits));
        return "SORT completed";
    }

    // ================================================================ CONTEXT=SEARCH / CONTEXT=SORT (RFC 5267 §4)

    /** How many searches a session may keep up to date at once (each is re-run when the mailbox changes). */
    static final int MAX_UPDATE_CONTEXTS = 8;

    /** A SEARCH or SORT with RETURN (UPDATE): its criteria and its last result (UIDs, in result order). */
    static final class UpdateContext {
        final String tag;
        final boolean uid;
        final dev.sealpost.imap.search.SearchKey key;
        final List<dev.sealpost.imap.search.SortCriterion> sort;
        List<Long> result;

        UpdateContext(String tag, boolean uid, dev.sealpost.imap.search.SearchKey key,
                      List<dev.sealpost.imap.search.SortCriterion> sort, List<MessageView> hits) {
            this.tag = tag;
            this.uid = uid;
            this.key = key;
            this.sort = sort;
            this.result = hits.stream().map(MessageView::uid).toList();
        }
    }

    private void checkUpdateSlot(String tag) throws Reply {
        SelectedMailbox s = selected;
        boolean replaces = s.updates.stream().anyMatch(u -> u.tag.equals(tag));
        if (!replaces && s.updates.size() >= MAX_UPDATE_CONTEXTS) {
            throw no("[NOUPDATE " + q(tag) + "] Too many searches are kept up to date; CANCELUPDATE one"); // RFC 5267 §4.2
        }
    }

    private void addUpdate(UpdateContext u) {
        SelectedMailbox s = selected;
        s.updates.removeIf(x -> x.tag.equals(u.tag));
        s.updates.add(u);
        s.updatesState = updatesState(s);
    }

    /** RFC 5267 §4.3 CANCELUPDATE tag *(SP tag): stops updating those searches. */
    private String cancelUpdate(List<Arg> a) throws Reply {
        if (a.isEmpty()) throw bad("CANCELUPDATE tag ...");
        SelectedMailbox s = selected;
        List<String> tags = new ArrayList<>();
        for (Arg x : a) tags.add(text(x));
        for (String t : tags) if (s.updates.stream().noneMatch(u -> u.tag.equals(t))) throw no("No search with tag " + q(t) + " is kept up to date");
        s.updates.removeIf(u -> tags.contains(u.tag));
        return "CANCELUPDATE completed";
    }

    /** What a re-run of the kept searches depends on: the view's messages, their flags, \Recent and $. */
    private long updatesState(SelectedMailbox s) {
        return java.util.Objects.hash(s.knownModSeq, s.uids.size(), s.maxUid(), s.recent.size(), searchRes);
    }

    /** Re-runs the kept searches when the view changed and reports the differences (RFC 5267 §4.3). */
    private void searchUpdates() throws IOException {
        SelectedMailbox s = selected;
        if (s == null || s.updates.isEmpty()) return;
        long st = updatesState(s);
        if (st == s.updatesState) return;
        s.updatesState = st;
        List<StoredMessage> views = views();
        SearchContext ctx = searchContext();
        for (UpdateContext u : s.updates) {
            List<MessageView> hits = Search.search(u.key, views, ctx);
            if (u.sort != null) hits = Sort.sort(u.sort, hits);
            sendUpdate(s, u, hits.stream().map(MessageView::uid).toList());
        }
    }

    /**
     * Sends {@code ESEARCH (TAG "t") [UID] REMOVEFROM (...)} and {@code ADDTO (...)} for the change
     * from the context's last result to {@code now}, and keeps {@code now}. RFC 5267 §4.3: an
     * unsorted SEARCH has no positions (0, as in the RFC's examples); for SORT each message comes
     * with its 1-based position, removals in the old order from the end, additions in the new
     * order from the start, so that each position is valid when applied in turn.
     */
    private void sendUpdate(SelectedMailbox s, UpdateContext u, List<Long> now) throws IOException {
        List<Long> old = u.result;
        Set<Long> nowSet = new java.util.HashSet<>(now);
        Set<Long> oldSet = new java.util.HashSet<>(old);
        String head = "ESEARCH (TAG " + q(u.tag) + ")" + (u.uid ? " UID" : "");
        if (u.sort == null) {
            List<Long> removed = old.stream().filter(x -> !nowSet.contains(x)).map(x -> u.uid ? x : (long) s.seq(x)).sorted().toList();
            List<Long> added = now.stream().filter(x -> !oldSet.contains(x)).map(x -> u.uid ? x : (long) s.seq(x)).sorted().toList();
            if (!removed.isEmpty()) untagged(head + " REMOVEFROM (0 " + Search.compact(removed) + ")");
            if (!added.isEmpty()) untagged(head + " ADDTO (0 " + Search.compact(added) + ")");
        } else {
            List<String> removals = new ArrayList<>();
            for (int i = old.size() - 1; i >= 0; i--) {
                if (!nowSet.contains(old.get(i))) removals.add((i + 1) + " " + (u.uid ? old.get(i) : s.seq(old.get(i))));
            }
            // additions are applied to the list without the removals
            List<String> additions = new ArrayList<>();
            for (int i = 0; i < now.size(); i++) {
                if (!oldSet.contains(now.get(i))) additions.add((i + 1) + " " + (u.uid ? now.get(i) : s.seq(now.get(i))));
            }
            if (!removals.isEmpty()) untagged(head + " REMOVEFROM (" + String.join(" ", removals) + ")");
            if (!additions.isEmpty()) untagged(head + " ADDTO (" + String.join(" ", additions) + ")");
        }
        u.result = now;
    }

    private String thread(List<Arg> a, boolean uid) throws IOException, Reply, ImapSyntaxException {
        ThreadCommand tc;
        try {
            tc = ThreadCommand.parse(a);
        } catch (BadCharsetException e) {
            throw no("[" + e.responseCode() + "] Unsupported charset");
        }
        List<MessageView> hits = Search.search(tc.key(), views(), searchContext());
        write(Threads.response(tc.algorithm(), hits, uid) + "\r\n"); // RFC 5256 §4
        return "THREAD completed";
    }

    // ================================================================ NOTIFY (RFC 5465)

    private String notifyCommand(List<Arg> a) throws IOException, Reply {
        if (a.isEmpty()) throw bad("NOTIFY SET ... or NOTIFY NONE");
        String sub = text(a.get(0)).toUpperCase(Locale.ROOT);
        if (sub.equals("NONE")) {
            argc(a, 1);
            notify = null;
            stopNotifier();
            return "NOTIFY completed";
        }
        if (!sub.equals("SET")) throw bad("NOTIFY SET or NOTIFY NONE");
        NotifySpec spec;
        try {
            spec = NotifySpec.parse(a.subList(1, a.size()), this::mailboxName);
        } catch (NotifySpec.BadEvent e) {
            throw no("[BADEVENT (" + String.join(" ", NotifySpec.SUPPORTED) + ")] Unsupported event " + e.getMessage());
        }
        for (NotifySpec.Group g : spec.groups()) {
            for (String n : g.names()) {
                if (n.equals(OTHER_USERS) || n.startsWith(OTHER_USERS + "/")) throw no("[NOTIFICATIONOVERFLOW] Only personal mailboxes can be watched");
            }
        }
        notifySnapshot();
        notify = spec;
        if (spec.status()) { // RFC 5465 §3.1: STATUS for each mailbox of the groups, now
            for (MailboxInfo m : notifyMailboxes.values()) {
                if (selected != null && m.id() == selected.mailboxId) continue;
                if (watched(spec, m.name(), "MessageNew")) untagged("STATUS " + mbox(m.name()) + " (" + notifyStatus(spec, m) + ")");
            }
        }
        startNotifier();
        return "NOTIFY completed";
    }

    private void notifySnapshot() {
        Map<Long, MailboxInfo> now = new LinkedHashMap<>();
        for (MailboxInfo m : mailboxes.list(account.id())) now.put(m.id(), m);
        notifyMailboxes = now;
        notifySubscriptions = new java.util.HashSet<>(mailboxes.subscriptions(account.id()));
    }

    /**
     * The STATUS items of a notification: counts, and HIGHESTMODSEQ with CONDSTORE or when the
     * client watches the mailbox's flag changes (RFC 5465 §5.2, §5.3: the modseq is how it learns
     * that flags changed; Dovecot does the same).
     */
    private String notifyStatus(NotifySpec spec, MailboxInfo m) {
        return "MESSAGES " + m.messages() + " UIDNEXT " + m.uidNext() + " UIDVALIDITY " + m.uidValidity() + " UNSEEN " + m.unseen()
                + (condstore || watched(spec, m.name(), "FlagChange") ? " HIGHESTMODSEQ " + m.highestModSeq() : "");
    }

    /** Whether a group of the spec covers this mailbox name with this event (RFC 5465 §6 filters). */
    private boolean watched(NotifySpec spec, String name, String event) {
        for (NotifySpec.Group g : spec.groups()) {
            if (!g.has(event)) continue;
            boolean match = switch (g.filter()) {
                case "PERSONAL" -> true;
                case "INBOXES" -> name.equals("INBOX") || name.startsWith("INBOX/");
                case "SUBSCRIBED" -> notifySubscriptions.contains(name);
                case "SUBTREE" -> g.names().stream().anyMatch(n -> name.equals(n) || name.startsWith(n + "/"));
                case "MAILBOXES" -> g.names().contains(name);
                default -> false;
            };
            if (match) return true;
        }
        return false;
    }

    /** Sends what changed in the account's other mailboxes (STATUS, LIST) and, when asked, the selected one. */
    private void notifyOthers() throws IOException {
        NotifySpec spec = notify;
        if (spec == null || account == null) return;
        Map<Long, MailboxInfo> before = notifyMailboxes;
        Set<String> subsBefore = notifySubscriptions;
        notifySnapshot();
        Map<Long, MailboxInfo> now = notifyMailboxes;
        for (MailboxInfo m : now.values()) {
            MailboxInfo old = before.get(m.id());
            if (old == null) {
                if (watched(spec, m.name(), "MailboxName")) untagged("LIST () \"/\" " + mbox(m.name())); // RFC 5465 §5.4
                continue;
            }
            if (!old.name().equals(m.name())) {
                if (watched(spec, m.name(), "MailboxName") || watched(spec, old.name(), "MailboxName")) {
                    untagged("LIST () \"/\" " + mbox(m.name()) + " (\"OLDNAME\" (" + mbox(old.name()) + "))"); // RFC 5465 §5.4
                }
            }
            if (selected != null && m.id() == selected.mailboxId) continue;
            boolean counts = old.messages() != m.messages() || old.uidNext() != m.uidNext() || old.uidValidity() != m.uidValidity();
            boolean flags = old.highestModSeq() != m.highestModSeq();
            if ((counts && watched(spec, m.name(), "MessageNew")) || (flags && watched(spec, m.name(), "FlagChange"))) {
                untagged("STATUS " + mbox(m.name()) + " (" + notifyStatus(spec, m) + ")"); // RFC 5465 §5.2, §5.3
            }
        }
        for (MailboxInfo old : before.values()) {
            if (!now.containsKey(old.id()) && watched(spec, old.name(), "MailboxName")) {
                untagged("LIST (\\NonExistent) \"/\" " + mbox(old.name()));
            }
        }
        for (String n : notifySubscriptions) {
            if (!subsBefore.contains(n) && watched(spec, n, "SubscriptionChange")) untagged("LIST (\\Subscribed) \"/\" " + mbox(n)); // RFC 5465 §5.5
        }
        for (String n : subsBefore) {
            if (!notifySubscriptions.contains(n) && watched(spec, n, "SubscriptionChange")) untagged("LIST () \"/\" " + mbox(n));
        }
    }

    private void startNotifier() {
        if (notifier != null) return;
        Thread t = Thread.ofVirtual().name(id + "-notify").unstarted(this::notifyLoop);
        notifier = t;
        t.start();
    }

    /** Ends the notifier thread: without interrupting it (an interrupt could close the store's file channels mid-I/O). */
    private void stopNotifier() {
        notifier = null;
        wakeLock.lock();
        try {
            notifyWoken = true;
            wakeCond.signalAll();
        } finally {
            wakeLock.unlock();
        }
    }

    /** Waits for store wake-ups (or the poll interval) and sends notifications between commands. */
    private void notifyLoop() {
        long poll = cfg.limits().pollInterval().toMillis();
        try {
            while (notifier == Thread.currentThread() && notify != null) {
                wakeLock.lock();
                try {
                    if (!notifyWoken) wakeCond.await(poll, TimeUnit.MILLISECONDS);
                    notifyWoken = false;
                } finally {
                    wakeLock.unlock();
                }
                io.lock();
                try {
                    if (notifier != Thread.currentThread() || notify == null || state == State.LOGOUT || account == null) continue;
                    NotifySpec spec = notify;
                    // the selected mailbox: new messages and flag changes now; EXPUNGE waits for a command (RFC 9051 §7.5.1)
                    if (selected != null && spec.selected().contains("MessageNew")) sync(false);
                    notifyOthers();
                    flush();
                } finally {
                    io.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Close c) {
            abortConnection();
        } catch (IOException | RuntimeException e) {
            log.debug("{} notifier ended: {}", id, e.toString());
            abortConnection();
        }
    }
}
