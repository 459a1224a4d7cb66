package dev.sealpost.managesieve;

import dev.sealpost.core.io.CommandDeadline;
import dev.sealpost.core.login.LoginGate;
import dev.sealpost.core.login.LoginPolicy;
import dev.sealpost.core.sasl.ChannelBinding;
import dev.sealpost.core.sasl.SaslDialog;
import dev.sealpost.core.sasl.SaslExchange;
import dev.sealpost.core.sasl.SaslMechanism;
import dev.sealpost.core.sasl.SaslMechanisms;
import dev.sealpost.core.tls.ServerTls;
import dev.sealpost.managesieve.proto.SieveCommandReader;
import dev.sealpost.managesieve.proto.SieveCommandReader.Read;
import dev.sealpost.managesieve.proto.SieveCommandReader.Token;
import dev.sealpost.managesieve.proto.SieveStrings;
import dev.sealpost.sieve.run.Interpreter;
import dev.sealpost.sieve.script.Language;
import dev.sealpost.sieve.script.ParseLimits;
import dev.sealpost.sieve.script.SieveCompiler;
import dev.sealpost.sieve.script.SieveError;
import dev.sealpost.store.Directory;
import dev.sealpost.store.SieveScripts;
import dev.sealpost.store.SieveScripts.Outcome;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One ManageSieve connection (RFC 5804): greeting, the command loop and its two states
 * (non-authenticated, authenticated), on its own virtual thread with blocking I/O. Not
 * thread-safe except {@link #abortConnection()}.
 */
final class ManageSieveSession implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ManageSieveSession.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    /** Ends the session after the responses in hand have been flushed. */
    private static final class Close extends RuntimeException {
        Close() {
            super(null, null, false, false);
        }
    }

    private final ManageSieveConfig cfg;
    private final Store store;
    private final LoginGate gate;
    private final List<SaslMechanism> mechanisms;
    private final Runnable onEnd;
    private final String id;
    private final InetSocketAddress remote, local;
    private final Socket raw;
    private volatile Socket socket;
    private SieveCommandReader in;
    private CommandDeadline deadline;
    private dev.sealpost.core.io.LineOutput out;
    private boolean tls;
    private ChannelBinding binding;
    private int badCommands;
    private Directory.Account account;

    ManageSieveSession(ManageSieveConfig cfg, Store store, LoginGate gate, List<SaslMechanism> mechanisms, Socket socket, Runnable onEnd) {
        this.cfg = cfg;
        this.store = store;
        this.gate = gate;
        this.mechanisms = mechanisms;
        this.socket = socket;
        this.raw = socket;
        this.onEnd = onEnd;
        this.id = newId();
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.local = (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private static String newId() {
        long r = RANDOM.nextLong();
        char[] c = new char[12];
        for (int i = 0; i < c.length; i++) {
            c[i] = BASE32[(int) (r & 31)];
            r >>>= 5;
        }
        return new String(c);
    }

    String sessionId() {
        return id;
    }

    /** Closes the TCP socket: a blocked read fails and the session ends (server shutdown). */
    void abortConnection() {
        try {
            raw.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, cfg.idleTimeout().toMillis())));
            log.info("{} connect from {} to {}", id, remote, local);
            streams(socket);
            capabilities(); // RFC 5804 §1.7: the greeting is the capability list and OK
            ok(null, "Sealpost ManageSieve ready");
            loop();
        } catch (Close c) {
            quietFlush();
        } catch (SocketTimeoutException e) {
            boolean deadlinePassed = e instanceof CommandDeadline.DeadlineExceededException;
            log.info("{} {}; closing", id, deadlinePassed ? "command deadline passed" : "idle timeout");
            quietLine("BYE " + SieveStrings.encode(deadlinePassed ? "Command took too long" : "Idle for too long"));
        } catch (EOFException e) {
            log.info("{} connection closed by client: {}", id, e.getMessage());
        } catch (IOException e) {
            log.info("{} connection lost: {}", id, e.toString());
        } catch (RuntimeException e) {
            log.error("{} internal error; closing session", id, e);
            quietLine("BYE (TRYLATER) \"Internal error, closing connection\"");
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            abortConnection();
            log.info("{} disconnect after {} ms", id, (System.nanoTime() - started) / 1_000_000);
            onEnd.run();
        }
    }

    private void loop() throws IOException {
        while (true) {
            deadline.begin();
            Read r = in.read();
            switch (r) {
                case Read.Eof e -> {
                    log.info("{} client closed the connection without LOGOUT", id);
                    return;
                }
                case Read.Invalid inv -> bad(null, inv.reason());
                // RFC 5804 §2.6: a script over the size quota gets QUOTA/MAXSIZE
                case Read.LiteralTooLarge t -> bad("QUOTA/MAXSIZE", "String of " + t.size() + " octets is too large");
                case Read.Line l -> {
                    if (!(l.tokens().getFirst() instanceof Token.Atom name)) {
                        bad(null, "Expected a command name");
                        continue;
                    }
                    try {
                        dispatch(name.text().toUpperCase(Locale.ROOT), l.tokens().subList(1, l.tokens().size()));
                    } catch (StoreException e) {
                        // the store is unwell (disk full, database away): say so, keep the session
                        log.warn("{} store failure ({}): {}", id, e.kind(), e.getMessage());
                        no("TRYLATER", "Storage temporarily unavailable, try again later");
                    }
                }
            }
        }
    }

    private void dispatch(String cmd, List<Token> args) throws IOException {
        switch (cmd) {
            case "CAPABILITY" -> {
                if (arity(args, 0, 0)) {
                    capabilities();
                    ok(null, "Capability completed");
                }
            }
            case "NOOP" -> noop(args);
            case "LOGOUT" -> {
                ok(null, "Logout completed"); // RFC 5804 §2.3
                throw new Close();
            }
            case "STARTTLS" -> startTls(args);
            case "AUTHENTICATE" -> authenticate(args);
            case "UNAUTHENTICATE" -> unauthenticate(args);
            case "HAVESPACE", "PUTSCRIPT", "LISTSCRIPTS", "SETACTIVE", "GETSCRIPT", "DELETESCRIPT", "RENAMESCRIPT", "CHECKSCRIPT" -> {
                if (account == null) {
                    bad(null, "Authenticate first");
                    return;
                }
                scripts(cmd, args);
            }
            default -> bad(null, "Unknown command");
        }
    }

    private void scripts(String cmd, List<Token> args) throws IOException {
        SieveScripts s = store.sieveScripts();
        long acc = account.id();
        switch (cmd) {
            case "HAVESPACE" -> { // RFC 5804 §2.5
                if (!arity(args, 2, 2)) return;
                String name = name(args.get(0));
                if (name == null) return;
                if (!(args.get(1) instanceof Token.Number size)) {
                    bad(null, "Expected a number");
                    return;
                }
                outcome(s.haveSpace(acc, name, size.value(), cfg.quota()), "Putscript would succeed");
            }
            case "PUTSCRIPT" -> { // RFC 5804 §2.6
                if (!arity(args, 2, 2)) return;
                String name = name(args.get(0));
                String text = text(args.get(1));
                if (name == null || text == null) return;
                if (!compiles(text)) return;
                Outcome o = s.put(acc, name, text, cfg.quota());
                if (o instanceof Outcome.Done) log.info("{} PUTSCRIPT {} ({} octets)", id, name, SieveScripts.sizeOf(text));
                outcome(o, "Script stored");
            }
            case "CHECKSCRIPT" -> { // RFC 5804 §2.12
                if (!arity(args, 1, 1)) return;
                String text = text(args.get(0));
                if (text != null && compiles(text)) ok(null, "Script is valid");
            }
            case "LISTSCRIPTS" -> { // RFC 5804 §2.7
                if (!arity(args, 0, 0)) return;
                for (SieveScripts.Summary sc : s.list(acc)) line(SieveStrings.encode(sc.name()) + (sc.active() ? " ACTIVE" : ""));
                ok(null, "Listscripts completed");
            }
            case "SETACTIVE" -> { // RFC 5804 §2.8: the empty name deactivates
                if (!arity(args, 1, 1)) return;
                if (args.getFirst() instanceof Token.Str str && str.text().isEmpty()) {
                    outcome(s.setActive(acc, null), "No script is active now");
                    return;
                }
                String name = name(args.getFirst());
                if (name == null) return;
                Optional<SieveScripts.Script> sc = s.get(acc, name);
                // a script stored before the language changed must still compile to be run
                if (sc.isPresent() && !compiles(sc.get().content())) return;
                outcome(s.setActive(acc, name), "Script activated");
            }
            case "GETSCRIPT" -> { // RFC 5804 §2.9
                if (!arity(args, 1, 1)) return;
                String name = name(args.getFirst());
                if (name == null) return;
                Optional<SieveScripts.Script> sc = s.get(acc, name);
                if (sc.isEmpty()) {
                    no("NONEXISTENT", "There is no script of that name");
                    return;
                }
                String text = sc.get().content();
                byte[] octets = text.getBytes(StandardCharsets.UTF_8);
                line("{" + octets.length + "}"); // literal-s2c: "{" number "}" CRLF *OCTET
                out.stream().write(octets);
                line("");
                ok(null, "Getscript completed");
            }
            case "DELETESCRIPT" -> { // RFC 5804 §2.10
                if (!arity(args, 1, 1)) return;
                String name = name(args.getFirst());
                if (name != null) outcome(s.delete(acc, name), "Script deleted");
            }
            case "RENAMESCRIPT" -> { // RFC 5804 §2.11
                if (!arity(args, 2, 2)) return;
                String from = name(args.get(0));
                String to = from == null ? null : name(args.get(1));
                if (to != null) outcome(s.rename(acc, from, to), "Script renamed");
            }
            default -> throw new IllegalStateException(cmd);
        }
    }

    /** Compiles {@code text}; on errors responds NO with each error's line (RFC 5804 §2.6) and returns false. */
    private boolean compiles(String text) throws IOException {
        SieveCompiler.Result r = SieveCompiler.compile(text, Language.standard(), ParseLimits.defaults());
        if (r instanceof SieveCompiler.Errors e) {
            StringBuilder b = new StringBuilder();
            for (SieveError err : e.errors()) {
                if (!b.isEmpty()) b.append("\r\n");
                b.append(describe(err));
            }
            no(null, b.toString());
            return false;
        }
        return true;
    }

    /** "line 3: message" as Pigeonhole words it; SieveError carries the line only, no column. */
    static String describe(SieveError e) {
        return (e.line() > 0 ? "line " + e.line() + ": " : "") + e.message();
    }

    private void outcome(Outcome o, String done) throws IOException {
        switch (o) {
            case Outcome.Done d -> ok(null, done);
            // RFC 5804 §1.3 response codes
            case Outcome.NonExistent n -> no("NONEXISTENT", "There is no script of that name");
            case Outcome.AlreadyExists a -> no("ALREADYEXISTS", "A script of that name exists already");
            case Outcome.Active a -> no("ACTIVE", "The active script cannot be deleted; deactivate it first");
            case Outcome.TooManyScripts t -> no("QUOTA/MAXSCRIPTS", "At most " + t.max() + " scripts");
            case Outcome.TooLarge t -> no("QUOTA/MAXSIZE", "Scripts are at most " + t.max() + " octets");
        }
    }

    /** A script name argument (RFC 5804 §1.6), or null after responding NO. */
    private String name(Token t) throws IOException {
        if (!(t instanceof Token.Str s)) {
            bad(null, "Expected a string");
            return null;
        }
        if (!SieveStrings.validScriptName(s.text(), SieveScripts.MAX_NAME)) {
            bad(null, "Invalid script name");
            return null;
        }
        return s.text();
    }

    private String text(Token t) throws IOException {
        if (t instanceof Token.Str s) {
            if (s.text().indexOf('\0') >= 0) {
                bad(null, "A script cannot contain NUL");
                return null;
            }
            return s.text();
        }
        bad(null, "Expected a string");
        return null;
    }

    private boolean arity(List<Token> args, int min, int max) throws IOException {
        if (args.size() >= min && args.size() <= max) return true;
        bad(null, "Wrong number of arguments");
        return false;
    }

    // ---------------------------------------------------------------- CAPABILITY, NOOP

    /** RFC 5804 §1.7 */
    private void capabilities() throws IOException {
        line("\"IMPLEMENTATION\" \"Sealpost\"");
        List<String> mechs = loginAllowed() && account == null
                ? SaslMechanisms.advertised(mechanisms, tls, binding, cfg.allowAuthWithoutTls()).stream().map(SaslMechanism::name).toList()
                : List.of();
        line("\"SASL\" " + SieveStrings.encode(String.join(" ", mechs)));
        line("\"SIEVE\" " + SieveStrings.encode(String.join(" ", new TreeSet<>(Language.STANDARD_EXTENSIONS))));
        if (cfg.tls() != null && !tls && account == null) line("\"STARTTLS\"");
        // RFC 5804 §1.7: redirects one script run may do (the interpreter's bound)
        line("\"MAXREDIRECTS\" " + SieveStrings.encode(Integer.toString(Interpreter.Options.defaults().maxRedirects())));
        if (account != null) line("\"OWNER\" " + SieveStrings.encode(account.address()));
        line("\"UNAUTHENTICATE\""); // RFC 5804 §2.14
        line("\"VERSION\" \"1.0\""); // RFC 5804 §1.7: this protocol version
    }

    /** RFC 5804 §2.13: NOOP with an optional tag echoed in a TAG code. */
    private void noop(List<Token> args) throws IOException {
        if (!arity(args, 0, 1)) return;
        if (args.isEmpty()) {
            ok(null, "Done");
        } else if (args.getFirst() instanceof Token.Str s) {
            ok("TAG " + SieveStrings.encode(s.text()), "Done");
        } else {
            bad(null, "Expected a string");
        }
    }

    // ---------------------------------------------------------------- STARTTLS

    /** RFC 5804 §2.2 */
    private void startTls(List<Token> args) throws IOException {
        if (!arity(args, 0, 0)) return;
        if (account != null || tls || cfg.tls() == null) {
            bad(null, tls ? "TLS is already active" : account != null ? "Not after authentication" : "STARTTLS not available");
            return;
        }
        ok(null, "Begin TLS negotiation now");
        out.flush();
        // anything pipelined after STARTTLS came in clear: it must not run inside TLS (CVE-2011-0411 class)
        int discarded = in.discardBuffered();
        if (discarded > 0) log.warn("{} discarded {} octets sent after STARTTLS", id, discarded);
        switch (cfg.tls().handshake(socket, cfg.idleTimeout())) {
            case ServerTls.Handshake.Failed f -> {
                socket = f.socket();
                log.info("{} TLS handshake failed: {}", id, f.reason());
                throw new Close();
            }
            case ServerTls.Handshake.Established e -> {
                socket = e.socket();
                streams(e.socket());
                tls = true;
                binding = e.channelBinding(); // RFC 9266: TLS 1.3 only
                log.info("{} TLS established: {}", id, e.description());
            }
        }
        // RFC 5804 §2.2: after the handshake the server re-issues the capabilities, then OK
        capabilities();
        ok(null, "TLS negotiation successful");
    }

    // ---------------------------------------------------------------- AUTHENTICATE, UNAUTHENTICATE

    private boolean loginAllowed() {
        return LoginPolicy.mayAuthenticate(tls, cfg.allowAuthWithoutTls());
    }

    private LoginGate.Client client() {
        return new LoginGate.Client("managesieve", id, remote.getAddress());
    }

    /** RFC 5804 §2.1 */
    private void authenticate(List<Token> args) throws IOException {
        if (!arity(args, 1, 2)) return;
        if (account != null) {
            bad(null, "Already authenticated");
            return;
        }
        if (!(args.getFirst() instanceof Token.Str mechName) || (args.size() == 2 && !(args.get(1) instanceof Token.Str))) {
            bad(null, "Expected strings");
            return;
        }
        if (!loginAllowed()) {
            gate.aborted(client(), mechName.text(), null, "tls-required");
            // RFC 5804 §1.3: the ENCRYPT-NEEDED response code is for exactly this
            bad("ENCRYPT-NEEDED", cfg.tls() != null ? "Use STARTTLS first: login is only possible over TLS" : "Login is only possible over TLS");
            return;
        }
        SaslMechanism mech = SaslMechanisms.find(SaslMechanisms.forConnection(mechanisms, tls, binding, cfg.allowAuthWithoutTls()),
                mechName.text()).orElse(null);
        if (mech == null) {
            bad(null, "Unsupported authentication mechanism");
            return;
        }
        if (gate.blocked(client(), mech.name())) {
            no("TRYLATER", "Too many failed logins; try again later");
            return;
        }
        String initial = args.size() == 2 ? ((Token.Str) args.get(1)).text() : null;
        if (initial != null && initial.isEmpty()) initial = "="; // an empty string is an empty initial response
        FinalData fin = new FinalData(mech);
        SaslDialog.Outcome outcome = SaslDialog.run(fin, binding, initial, this::challenge);
        switch (outcome) {
            case SaslDialog.Outcome.Authenticated a -> {
                Optional<Directory.Account> acc = store.directory().account(a.user());
                if (acc.isEmpty()) {
                    loginFailed(a.mechanism(), a.user(), "no-such-account");
                    return;
                }
                gate.succeeded(client(), a.mechanism(), acc.get().address());
                account = acc.get();
                log.info("{} {} succeeded as {}", id, a.mechanism(), account.address());
                // RFC 5804 §2.1: additional data with success goes in the SASL response code
                ok(fin.data == null || fin.data.length == 0 ? null : "SASL " + SieveStrings.encode(Base64.getEncoder().encodeToString(fin.data)),
                        "Authenticated");
            }
            case SaslDialog.Outcome.Failed f -> loginFailed(f.mechanism(), f.claimedUser(), f.reason());
            case SaslDialog.Outcome.Malformed m -> {
                gate.aborted(client(), m.mechanism(), m.claimedUser(), m.reason());
                bad(null, "Malformed SASL message");
            }
            case SaslDialog.Outcome.Cancelled c -> {
                gate.aborted(client(), c.mechanism(), c.claimedUser(), "cancelled");
                no(null, "Authentication cancelled");
            }
            case SaslDialog.Outcome.TooManyRounds t -> {
                gate.aborted(client(), t.mechanism(), t.claimedUser(), "too-many-rounds");
                bad(null, "Too many SASL rounds");
            }
            case SaslDialog.Outcome.Disconnected d -> {
                gate.aborted(client(), d.mechanism(), d.claimedUser(), "client-closed");
                throw new EOFException("connection closed during AUTHENTICATE");
            }
        }
    }

    private void loginFailed(String mechanism, String claimedUser, String reason) throws IOException {
        gate.failed(client(), mechanism, claimedUser, reason, out); // logs; never the password
        bad(null, "Authentication failed"); // one text for unknown user and wrong password
    }

    /** RFC 5804 §2.1: a challenge is a string of base64; the answer a string, {@code "*"} to cancel. */
    private SaslDialog.Answer challenge(byte[] data) throws IOException {
        line(SieveStrings.encode(Base64.getEncoder().encodeToString(data)));
        deadline.begin();
        return switch (in.read()) {
            case Read.Eof e -> new SaslDialog.Answer.Closed();
            case Read.Invalid i -> new SaslDialog.Answer.Unreadable("bad-syntax");
            case Read.LiteralTooLarge t -> new SaslDialog.Answer.Unreadable("line-too-long");
            case Read.Line l when l.tokens().size() == 1 && l.tokens().getFirst() instanceof Token.Str s -> new SaslDialog.Answer.Line(s.text());
            case Read.Line l -> new SaslDialog.Answer.Unreadable("bad-syntax");
        };
    }

    /** RFC 5804 §2.14: back to the non-authenticated state (TLS stays). */
    private void unauthenticate(List<Token> args) throws IOException {
        if (!arity(args, 0, 0)) return;
        if (account == null) {
            bad(null, "Not authenticated");
            return;
        }
        log.info("{} UNAUTHENTICATE {}", id, account.address());
        account = null;
        ok(null, "Unauthenticate completed");
    }

    /**
     * A mechanism whose success data is kept for the OK's SASL code instead of being sent by
     * {@link SaslDialog} as one more challenge (RFC 5804 §2.1).
     */
    private static final class FinalData implements SaslMechanism {
        private final SaslMechanism inner;
        byte[] data;

        FinalData(SaslMechanism inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public boolean revealsPassword() {
            return inner.revealsPassword();
        }

        @Override
        public boolean needsChannelBinding() {
            return inner.needsChannelBinding();
        }

        @Override
        public SaslExchange start(ChannelBinding b) {
            SaslExchange x = inner.start(b);
            return new SaslExchange() {
                @Override
                public SaslStep evaluate(byte[] response) {
                    SaslStep step = x.evaluate(response);
                    if (step instanceof SaslStep.Success s && s.finalData() != null && s.finalData().length > 0) {
                        data = s.finalData();
                        return new SaslStep.Success(s.user(), new byte[0]);
                    }
                    return step;
                }

                @Override
                public String claimedUser() {
                    return x.claimedUser();
                }
            };
        }
    }

    // ---------------------------------------------------------------- responses

    private void streams(Socket s) throws IOException {
        deadline = new CommandDeadline(s.getInputStream(), s, cfg.deadline());
        long maxLiteral = cfg.quota().maxScriptSize() > 0 ? cfg.quota().maxScriptSize() : 1L << 24;
        in = new SieveCommandReader(deadline, this::flush, new SieveCommandReader.Limits(8192, maxLiteral, 8));
        out = new dev.sealpost.core.io.LineOutput(s.getOutputStream());
    }

    /** {@code OK [(code)] "text"} (RFC 5804 §1.2). */
    private void ok(String code, String text) throws IOException {
        line("OK" + (code == null ? "" : " (" + code + ")") + " " + SieveStrings.encode(text));
    }

    /** {@code NO [(code)] "text"}: not the client's fault, no bad-command count. */
    private void no(String code, String text) throws IOException {
        line("NO" + (code == null ? "" : " (" + code + ")") + " " + SieveStrings.encode(text));
    }

    /** NO for a client error; past {@code maxBadCommands} BYE and close instead. */
    private void bad(String code, String text) throws IOException {
        if (++badCommands > cfg.maxBadCommands()) {
            log.info("{} too many bad commands ({}); closing", id, badCommands);
            line("BYE \"Too many bad commands\"");
            throw new Close();
        }
        no(code, text);
    }

    /** A response line; its strings come from SieveStrings.encode, which may frame a line break in a literal. */
    private void line(String s) throws IOException {
        out.framedLine(s);
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
}
