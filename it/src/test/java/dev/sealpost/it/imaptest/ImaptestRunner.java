package dev.sealpost.it.imaptest;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Runs one imaptest script against an IMAP server over plain TCP, the way imaptest's
 * test-exec.c does: prepare the start-up state (log in with LOGIN; delete every mailbox matching
 * {@code <mailbox>*}, create the test mailbox, APPEND the script's messages, SELECT it on every
 * connection), then send each command group on its connection and match the replies. Only the
 * group's connection is read while the group runs, so replies another session triggered are
 * matched with the next group on that connection, as in imaptest.
 *
 * <p>imaptest's own mailbox-state tracking (its checks of flags, \Recent and UIDs across
 * sessions outside the script) is not reproduced: only what the scripts state is checked.
 */
public final class ImaptestRunner {

    /**
     * Where to run.
     *
     * @param user     login name of the first connection ({@code $user})
     * @param user2    login name for scripts with {@code user 2: $user2}; null skips those scripts
     * @param password the password of both users
     * @param mailbox  the test mailbox ({@code $mailbox}), destroyed and recreated by each script
     * @param timeout  how long to wait for any one reply
     * @param literalPlus send non-synchronizing literals when the server offers LITERAL+ (or
     *                 LITERAL- for small ones); false: always wait for the "+" continuation
     */
    public record Target(String host, int port, String user, String user2, String password, String mailbox,
                         Duration timeout, boolean literalPlus) {
        public Target {
            Objects.requireNonNull(host);
            Objects.requireNonNull(user);
            Objects.requireNonNull(password);
            Objects.requireNonNull(mailbox);
            Objects.requireNonNull(timeout);
        }

        public Target(String host, int port, String user, String user2, String password) {
            this(host, port, user, user2, password, "imaptest", Duration.ofSeconds(15), true);
        }
    }

    private final Target target;

    public ImaptestRunner(Target target) {
        this.target = target;
    }

    /** Parses and runs one script; a script that cannot be parsed is FAILED. */
    public ImaptestResult run(Path script) {
        ImaptestScript s;
        try {
            s = ImaptestScript.parse(script);
        } catch (ImaptestScript.ScriptException e) {
            return ImaptestResult.failed(script.getFileName().toString(), List.of("script error: " + e.getMessage()));
        } catch (IOException e) {
            return ImaptestResult.failed(script.getFileName().toString(), List.of("cannot read script: " + e));
        }
        return run(s);
    }

    public ImaptestResult run(ImaptestScript script) {
        return new Exec(script).run();
    }

    /** A failure that ends the script (disconnection, timeout, initialization). */
    private static final class Abort extends Exception {
        Abort(String message) {
            super(message, null, false, false);
        }
    }

    /** A skipped script. */
    private static final class Skip extends Exception {
        final List<String> missing;

        Skip(String message, List<String> missing) {
            super(message, null, false, false);
            this.missing = missing;
        }
    }

    private record Reply(String status, List<ImapArg> args, List<List<ImapArg>> untagged) {
        boolean ok() { return status.equalsIgnoreCase("OK"); }
    }

    private record Maybe(int count, String reply) {}

    private final class Exec {
        private final ImaptestScript script;
        private final ImaptestMatcher m = new ImaptestMatcher();
        private final List<String> failures = new ArrayList<>();
        private ImapConnection[] conns;
        private MboxSource source;
        private boolean initFinished;

        // state of the running group
        private int groupIdx;
        private ImaptestScript.Group group;
        private ImapConnection groupConn;
        private boolean[] found;
        private Maybe[] maybes;
        private int mismatches;
        private String firstExtra;
        private final Map<String, ImaptestScript.Command> pending = new LinkedHashMap<>();
        private String firstTag;
        private boolean groupFailed;

        Exec(ImaptestScript script) {
            this.script = script;
        }

        ImaptestResult run() {
            try {
                source = new MboxSource(script.mbox());
                init();
                initFinished = true;
                for (groupIdx = 0; groupIdx < script.groups.size(); groupIdx++) runGroup(script.groups.get(groupIdx));
            } catch (Skip s) {
                logoutAll();
                return ImaptestResult.skipped(script.name(), s.getMessage(), s.missing);
            } catch (Abort a) {
                failures.add(a.getMessage());
            } catch (IOException | UncheckedIOException e) {
                failures.add((initFinished ? where() : "initialization: ") + e);
            } catch (RuntimeException e) {
                // a runner bug or a reply it cannot handle: this script fails, the suite goes on
                StackTraceElement at = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
                failures.add((initFinished ? where() : "initialization: ") + "runner error: " + e + " at " + at);
            } finally {
                closeAll();
            }
            return failures.isEmpty() ? ImaptestResult.passed(script.name()) : ImaptestResult.failed(script.name(), failures);
        }

        // ---- start-up -------------------------------------------------------------------

        private String userOf(int i) {
            String u = script.connectionUsers.get(i);
            if (u == null) return target.user();
            if (u.equals("$user2")) return target.user2();
            return u;
        }

        private void init() throws IOException, Abort, Skip {
            if (script.requireUser2 && target.user2() == null) throw new Skip("needs a second user (user 2: $user2)", List.of());
            int n = script.connectionCount;
            conns = new ImapConnection[n];
            int timeout = (int) target.timeout().toMillis();
            for (int i = 0; i < n; i++) {
                conns[i] = new ImapConnection(i + 1, target.host(), target.port(), timeout);
                conns[i].allowNonSync = target.literalPlus();
                conns[i].storage = target.mailbox();
                ImapConnection.Response greeting = readInit(conns[i]);
                String st = greeting.args().isEmpty() ? "" : String.valueOf(ImapArg.atom(greeting.args().getFirst()));
                if (!greeting.untagged() || !(st.equalsIgnoreCase("OK") || st.equalsIgnoreCase("PREAUTH")))
                    throw new Abort("initialization: bad greeting: " + greeting.raw());
                conns[i].codeCapabilities(greeting.args());
                conns[i].greeting = greeting.args();
            }
            for (int i = 0; i < n; i++) {
                String suffix = i == 0 ? "" : Integer.toString(i + 1);
                String user = userOf(i);
                m.vars.put("user" + suffix, user);
                int at = user.indexOf('@');
                m.vars.put("username" + suffix, at < 0 ? user : user.substring(0, at));
                m.vars.put("domain" + suffix, at < 0 ? target.host() : user.substring(at + 1));
                m.vars.put("password" + suffix, target.password());
            }
            m.vars.put("mailbox", target.mailbox());
            m.vars.put("mailbox_url", mailboxUrl(target.mailbox()));

            if (script.state == ImaptestScript.State.NONAUTH) {
                checkCapabilities(conns[0]);
                return;
            }
            for (int i = 0; i < n; i++) {
                ImapConnection c = conns[i];
                if ("PREAUTH".equalsIgnoreCase(ImapArg.atom(c.greeting.getFirst()))) continue; // already logged in
                c.capabilities = List.of();
                Reply r = command(c, "LOGIN " + quote(userOf(i)) + " " + quote(target.password()));
                if (!r.ok()) throw new Abort("initialization: LOGIN " + userOf(i) + " failed: " + ImapArg.render(r.args()));
            }
            checkCapabilities(conns[0]);
            ImapConnection c0 = conns[0];
            String mask = quote(target.mailbox() + "*");
            List<String> delete = new ArrayList<>();
            List<String> unsubscribe = new ArrayList<>();
            collectNames(command(c0, "LIST \"\" " + mask), "LIST", delete);
            collectNames(command(c0, "LSUB \"\" " + mask), "LSUB", unsubscribe);
            Comparator<String> reverse = String.CASE_INSENSITIVE_ORDER.reversed();
            delete.sort(reverse);
            unsubscribe.sort(reverse);
            for (String box : delete) initCheck(command(c0, "DELETE " + quote(box)), "DELETE " + box, true);
            for (String box : unsubscribe) initCheck(command(c0, "UNSUBSCRIBE " + quote(box)), "UNSUBSCRIBE " + box, true);
            if (script.state == ImaptestScript.State.AUTH) return;

            if (!target.mailbox().equalsIgnoreCase("INBOX"))
                initCheck(command(c0, "CREATE " + quote(target.mailbox())), "CREATE", false);
            if (script.state == ImaptestScript.State.CREATED) return;

            int left = script.messageCount;
            while (left > 0 && (!source.eof() || script.messageCount != ImaptestScript.ALL_MESSAGES)) {
                left--;
                MboxSource.Message msg = source.next();
                initCheck(command(c0, "APPEND " + quote(target.mailbox()) + " \"" + msg.internalDate() + "\" {"
                        + msg.data().length() + "}\r\n" + msg.data()), "APPEND", false);
            }
            if (script.state == ImaptestScript.State.APPENDED) return;
            for (int i = 0; i < n; i++) {
                // Deviation from imaptest, which SELECTs on every connection and so cannot get past
                // this point when "user 2:" logs in another user (urlauth2): such a user gets its
                // own, empty test mailbox first.
                if (i > 0 && !userOf(i).equals(userOf(0)))
                    initCheck(command(conns[i], "CREATE " + quote(target.mailbox())), "CREATE for " + userOf(i), true);
                initCheck(command(conns[i], "SELECT " + quote(target.mailbox())), "SELECT", false);
            }
        }

        private void initCheck(Reply r, String what, boolean noIsFine) throws Abort {
            if (r.ok() || (noIsFine && r.status().equalsIgnoreCase("NO"))) return;
            throw new Abort("initialization: " + what + " failed: " + ImapArg.render(r.args()));
        }

        private void collectNames(Reply r, String kind, List<String> into) {
            for (List<ImapArg> u : r.untagged()) {
                if (u.size() < 4 || !kind.equalsIgnoreCase(ImapArg.atom(u.get(0)))) continue;
                if (!(u.get(1) instanceof ImapArg.ListArg)) continue;
                if (!(u.get(2) instanceof ImapArg.Nil) && ImapArg.astring(u.get(2)) == null) continue;
                String name = ImapArg.astring(u.get(3));
                if (name != null) into.add(name);
            }
        }

        private void checkCapabilities(ImapConnection c) throws IOException, Abort, Skip {
            if (c.capabilities.isEmpty()) {
                Reply r = command(c, "CAPABILITY");
                if (!r.ok()) throw new Abort("initialization: CAPABILITY failed");
            }
            List<String> missing = new ArrayList<>();
            for (String req : script.requiredCapabilities) {
                if (c.capabilities.stream().noneMatch(req::equalsIgnoreCase)) missing.add(req);
            }
            if (!missing.isEmpty()) throw new Skip("capabilities not advertised: " + String.join(" ", missing), missing);
        }

        private ImapConnection.Response readInit(ImapConnection c) throws IOException, Abort {
            try {
                return c.read();
            } catch (SocketTimeoutException e) {
                throw new Abort("initialization: timeout waiting for the server");
            } catch (EOFException e) {
                throw new Abort("initialization: the server closed connection " + c.id);
            }
        }

        /** An initialization command: sent, then its untagged replies collected until its tagged reply. */
        private Reply command(ImapConnection c, String cmd) throws IOException, Abort {
            String tag = c.nextTag();
            List<List<ImapArg>> untagged = new ArrayList<>();
            Reply[] done = new Reply[1];
            ImapConnection.Pump pump = () -> {
                ImapConnection.Response r;
                try {
                    r = readInit(c);
                } catch (Abort a) {
                    throw new IOException(a.getMessage());
                }
                if (r.untagged()) untagged.add(r.args());
                else if (r.tag().equals(tag)) done[0] = taggedReply(c, r, untagged);
                return r;
            };
            c.send(tag, cmd, pump);
            while (done[0] == null) {
                ImapConnection.Response r = readInit(c);
                if (r.untagged()) untagged.add(r.args());
                else if (r.tag().equals(tag)) done[0] = taggedReply(c, r, untagged);
            }
            return done[0];
        }

        private Reply taggedReply(ImapConnection c, ImapConnection.Response r, List<List<ImapArg>> untagged) {
            c.codeCapabilities(r.args());
            String st = r.args().isEmpty() ? "" : String.valueOf(ImapArg.atom(r.args().getFirst()));
            return new Reply(st, r.args(), untagged);
        }

        // ---- the script -------------------------------------------------------------------

        private String where() {
            if (group == null) return "";
            ImaptestScript.Command first = group.commands.isEmpty() ? null : group.commands.getFirst();
            return "command " + (groupIdx + 1) + "/" + script.groups.size()
                    + (first == null ? " (banner)" : " (line " + first.line + ") [" + shorten(first.text) + "]") + ": ";
        }

        private void fail(String message) {
            groupFailed = true;
            failures.add(where() + message);
        }

        private void runGroup(ImaptestScript.Group g) throws IOException, Abort {
            group = g;
            groupFailed = false;
            groupConn = conns[g.connection];
            int count = g.untagged == null ? 0 : g.untagged.size();
            found = new boolean[count];
            maybes = new Maybe[count];
            mismatches = 0;
            firstExtra = null;
            pending.clear();
            if (g.commands.isEmpty()) {
                // banner check: match the greeting of this connection
                // banner check: the greeting of this connection against the group's untagged lines
                if (groupConn.greeting != null) untagged(groupConn.greeting);
                groupFinished();
                return;
            }
            m.resetSeqmap(groupConn.exists);
            firstTag = null;
            for (ImaptestScript.Command cmd : g.commands) {
                String text;
                try {
                    text = m.expandAll(cmd.text, false);
                } catch (ImaptestMatcher.UninitializedVariable e) {
                    fail(e.getMessage());
                    try {
                        text = m.expandAll(cmd.text, true);
                    } catch (ImaptestMatcher.UninitializedVariable e2) {
                        text = cmd.text;
                    }
                }
                String line = commandLine(text);
                if (cmd.line == 0 || text.equalsIgnoreCase("logout") || g.haveUntaggedBye) groupConn.logoutSent = true;
                String tag = groupConn.nextTag();
                if (firstTag == null) firstTag = tag;
                pending.put(tag, cmd);
                groupConn.send(tag, line, this::pumpOne);
            }
            while (!pending.isEmpty()) {
                try {
                    pumpOne();
                } catch (EOFException e) {
                    if (g.haveUntaggedBye && groupConn.seenBye) {
                        for (ImaptestScript.Command cmd : g.commands) {
                            if (!(cmd.reply.size() == 1 && "".equals(ImapArg.atom(cmd.reply.getFirst())))) {
                                fail("Command expected '" + ImapArg.render(cmd.reply)
                                        + "' as tagged reply - only \"\" allowed when BYE happens");
                            }
                        }
                        pending.clear();
                        break;
                    }
                    throw new Abort(where() + "Unexpected disconnection");
                }
            }
            groupFinished();
        }

        private ImapConnection.Response pumpOne() throws IOException {
            ImapConnection.Response r;
            try {
                r = groupConn.read();
            } catch (SocketTimeoutException e) {
                throw new IOException("timeout (" + target.timeout().toSeconds() + "s) waiting for the reply to "
                        + String.join(", ", pending.keySet()) + "; still expected: " + missingSummary());
            }
            if (r.continuation()) return r;
            if (r.untagged()) {
                untagged(r.args());
            } else {
                tagged(r);
            }
            return r;
        }

        private String missingSummary() {
            if (group.untagged == null) return "nothing untagged";
            List<String> out = new ArrayList<>();
            for (int i = 0; i < group.untagged.size(); i++) {
                if (!found[i] && group.untagged.get(i).existence() == ImaptestScript.Existence.MUST_EXIST)
                    out.add(ImapArg.render(group.untagged.get(i).args()));
            }
            return out.isEmpty() ? "nothing untagged" : String.join(" | ", out);
        }

        /** APPEND without a message gets the next one from the mbox (as imaptest's append helpers). */
        private String commandLine(String text) {
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.equals("append")) {
                MboxSource.Message msg = source.next();
                return "APPEND " + quote(groupConn.storage) + " \"" + msg.internalDate() + "\" " + literal(msg);
            }
            if (lower.startsWith("append ") && !hasBody(text.substring(7), false)) {
                return "APPEND " + text.substring(7) + " " + literal(source.next());
            }
            if (lower.startsWith("replace ") && !hasBody(text.substring(8), true)) {
                return "REPLACE " + text.substring(8) + " " + literal(source.next());
            }
            if (lower.startsWith("uid replace ") && !hasBody(text.substring(12), true)) {
                return "UID REPLACE " + text.substring(12) + " " + literal(source.next());
            }
            return text;
        }

        private static String literal(MboxSource.Message msg) {
            return "{" + msg.data().length() + "}\r\n" + msg.data();
        }

        /** append_has_body: {@code mailbox [(flags)] ["date"]} followed by a literal or CATENATE. */
        private static boolean hasBody(String args, boolean replace) {
            List<ImapArg> a = ImapArg.parse(args, true);
            int i = 0;
            if (a.isEmpty()) return false;
            if (replace) i++;
            if (i >= a.size()) return false;
            if (i + 1 < a.size() && a.get(i + 1) instanceof ImapArg.ListArg) i++;
            if (i + 1 < a.size() && a.get(i + 1) instanceof ImapArg.Str s && !s.literal()) i++;
            if (i + 1 >= a.size()) return false;
            ImapArg next = a.get(i + 1);
            return (next instanceof ImapArg.Str s && s.literal()) || "catenate".equalsIgnoreCase(ImapArg.atom(next));
        }

        private void tagged(ImapConnection.Response r) {
            ImaptestScript.Command cmd = pending.remove(r.tag());
            if (cmd == null) {
                fail("Unexpected tagged reply: " + shorten(r.raw()));
                return;
            }
            String status = r.args().isEmpty() ? "" : String.valueOf(ImapArg.atom(r.args().getFirst()));
            boolean expectBad = "bad".equalsIgnoreCase(ImapArg.atom(cmd.reply.getFirst()));
            if (status.equalsIgnoreCase("BAD") && !expectBad) {
                fail("BAD reply for command: " + shorten(r.raw()));
                return;
            }
            m.vars.put("tag", r.tag());
            int res = m.matchArgs(cmd.reply, 0, r.args(), 0, ImaptestMatcher.MATCH, true);
            m.vars.remove("tag");
            if (res != ImaptestMatcher.MATCH) {
                fail("Expected tagged reply '" + ImapArg.render(cmd.reply) + "', got '" + shorten(ImapArg.render(r.args())) + "'");
            }
        }

        private void untagged(List<ImapArg> args) {
            try {
                matchUntagged(args);
            } finally {
                if (args.size() >= 2 && "EXPUNGE".equalsIgnoreCase(ImapArg.atom(args.get(1)))) {
                    String n = ImapArg.atom(args.getFirst());
                    if (n != null && n.matches("\\d{1,10}")) m.expunge(Long.parseLong(n));
                }
            }
        }

        /** test_handle_untagged_match. */
        private void matchUntagged(List<ImapArg> args) {
            List<ImaptestScript.Untagged> expected = group.untagged;
            if (expected == null && (script.ignoreExtraUntagged || groupConn.logoutSent)) return;
            int count = expected == null ? 0 : expected.size();
            String first = args.isEmpty() ? null : ImapArg.atom(args.getFirst());
            boolean prefix = first != null && (first.equalsIgnoreCase("OK") || first.equalsIgnoreCase("NO")
                    || first.equalsIgnoreCase("BAD") || first.equalsIgnoreCase("BYE"));
            String tag = pending.containsKey(firstTag) ? firstTag : null;
            m.keep();
            boolean foundSome = false;
            for (int i = 0; i < count; i++) {
                if (found[i]) continue;
                ImaptestScript.Untagged u = expected.get(i);
                if (tag != null) m.vars.put("tag", tag);
                int res = m.matchArgs(u.args(), 0, args, 0, ImaptestMatcher.MATCH, prefix);
                if (tag != null) m.vars.remove("tag");
                if (res == ImaptestMatcher.MATCH) {
                    if (u.existence() == ImaptestScript.Existence.MUST_NOT_EXIST) {
                        fail("Unexpected untagged match (line " + u.line() + "):\n   Match: " + ImapArg.render(u.args())
                                + "\n   Reply: " + shorten(ImapArg.render(args)));
                        return;
                    }
                    found[i] = true;
                    foundSome = true;
                    m.keep();
                    continue;
                }
                if (maybes[i] == null || maybes[i].count() < res) maybes[i] = new Maybe(res, ImapArg.render(args));
                m.revert();
            }
            if (!foundSome) {
                mismatches++;
                if (!script.ignoreExtraUntagged && firstExtra == null) firstExtra = ImapArg.render(args);
            }
        }

        private void groupFinished() {
            if (group.untagged != null) {
                int missing = 0;
                int firstMissing = -1;
                for (int i = 0; i < group.untagged.size(); i++) {
                    if (group.untagged.get(i).existence() == ImaptestScript.Existence.MUST_EXIST && !found[i]) {
                        if (firstMissing < 0) firstMissing = i;
                        missing++;
                    }
                }
                if (missing > 0) {
                    ImaptestScript.Untagged u = group.untagged.get(firstMissing);
                    String unexpanded = ImapArg.render(u.args());
                    String expanded;
                    try {
                        expanded = m.expandAll(unexpanded, true);
                    } catch (ImaptestMatcher.UninitializedVariable e) {
                        expanded = unexpanded;
                    }
                    Maybe best = maybes[firstMissing];
                    fail("Missing " + missing + " untagged replies (" + mismatches + " mismatches)"
                            + "\n   first expected (line " + u.line() + "): " + unexpanded
                            + "\n   expanded: " + expanded
                            + "\n   best match: " + (best == null ? "" : shorten(best.reply())));
                }
            }
            if (firstExtra != null) fail(mismatches + " unexpected untagged replies received, first: " + shorten(firstExtra));
            if (group.sleepMillis > 0) {
                try {
                    Thread.sleep(group.sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void logoutAll() {
            if (conns == null) return;
            for (ImapConnection c : conns) {
                if (c == null || c.closed) continue;
                try {
                    c.sendRaw(c.nextTag() + " LOGOUT\r\n");
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }

        private void closeAll() {
            if (conns == null) return;
            for (ImapConnection c : conns) if (c != null) c.close();
        }
    }

    static String shorten(String s) {
        return s.length() > 500 ? s.substring(0, 500) + "...(" + s.length() + " chars)" : s;
    }

    /** imap_append_string: a quoted string, or a literal for line breaks and 8-bit text. */
    static String quote(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c >= 0x80) return "{" + s.length() + "}\r\n" + s;
        }
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** {@code $mailbox_url}: modified UTF-7 decoded, then percent-encoded as an IMAP URL path segment. */
    static String mailboxUrl(String mutf7) {
        String utf16 = Mutf7.decode(mutf7);
        byte[] utf8 = utf16.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder();
        for (byte b : utf8) {
            int c = b & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,=:@".indexOf(c) >= 0;
            if (plain) sb.append((char) c);
            else sb.append('%').append(String.format(Locale.ROOT, "%02X", c));
        }
        return sb.toString();
    }

    /** Modified UTF-7 (RFC 3501 §5.1.3) decoding; invalid input is returned unchanged. */
    static final class Mutf7 {
        private Mutf7() {}

        static String decode(String s) {
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c != '&') {
                    out.append(c);
                    i++;
                    continue;
                }
                int end = s.indexOf('-', i + 1);
                if (end < 0) return s;
                if (end == i + 1) {
                    out.append('&');
                } else {
                    String b64 = s.substring(i + 1, end).replace(',', '/');
                    try {
                        byte[] raw = java.util.Base64.getDecoder().decode(b64 + "==".substring(0, (4 - b64.length() % 4) % 4));
                        out.append(new String(raw, StandardCharsets.UTF_16BE));
                    } catch (IllegalArgumentException e) {
                        return s;
                    }
                }
                i = end + 1;
            }
            return out.toString();
        }
    }
}
