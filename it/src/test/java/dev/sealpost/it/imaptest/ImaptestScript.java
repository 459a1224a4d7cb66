package dev.sealpost.it.imaptest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One imaptest script (Dovecot ImapTest's {@code src/tests/<name>}), parsed with the semantics
 * of imaptest's test-parser.c: a {@code key: value} header up to the first blank line, then
 * command lines, each with optional connection number, optional {@code tagN}, optional expected
 * status (ok, no, bad, "" = any) and the command; {@code * } lines expect untagged replies,
 * {@code ! } lines ban them, {@code ? } lines may match; {@code {{{ ... }}}} embeds a literal
 * ({@code ~{{{} a literal8); {@code !ifenv} / {@code !ifnenv} / {@code !else} / {@code !endif}
 * select lines by environment variables. A command without an expected status starts a group
 * that collects the following commands (pipelining) until each has its tagged reply line.
 */
public final class ImaptestScript {
    /** Start-up state, each doing the work of the ones before it. */
    public enum State { NONAUTH, AUTH, CREATED, APPENDED, SELECTED }

    /** How an untagged line of the script is used. */
    public enum Existence { MUST_EXIST, MUST_NOT_EXIST, MAY_EXIST }

    /** An expected ({@code *}), banned ({@code !}) or optional ({@code ?}) untagged reply. */
    public record Untagged(List<ImapArg> args, Existence existence, int line) {}

    /** One command of a group. {@code text} still holds {@code $variables}; literals are inline. */
    public static final class Command {
        final int line;
        final int tag;
        final String text;
        List<ImapArg> reply;

        Command(int line, int tag, String text, List<ImapArg> reply) {
            this.line = line;
            this.tag = tag;
            this.text = text;
            this.reply = reply;
        }

        public int line() { return line; }
        public String text() { return text; }
        public List<ImapArg> expectedReply() { return reply; }
    }

    /** Commands sent together on one connection, and the untagged replies expected meanwhile. */
    public static final class Group {
        int connection; // 0-based
        final List<Command> commands = new ArrayList<>();
        List<Untagged> untagged; // null: none listed
        int repliesPending;
        long sleepMillis;
        boolean haveUntaggedBye;

        public int connection() { return connection; }
        public List<Command> commands() { return commands; }
        public List<Untagged> untagged() { return untagged == null ? List.of() : untagged; }
    }

    /** A script that cannot be parsed. */
    public static final class ScriptException extends Exception {
        public ScriptException(String message) { super(message); }
    }

    static final int MAX_CONNECTIONS = 100;
    /** {@code messages: all}. */
    public static final int ALL_MESSAGES = Integer.MAX_VALUE;

    final String name;
    final Path path;
    final Path mbox;
    List<String> requiredCapabilities = List.of();
    int messageCount = 0; // imaptest's default: nothing appended unless "messages:" says so
    State state = State.SELECTED;
    int connectionCount = 1;
    final Map<Integer, String> connectionUsers = new HashMap<>(); // 0-based index -> username or "$user2"
    boolean requireUser2;
    boolean ignoreExtraUntagged = true;
    boolean haveBannerCheck;
    final List<Group> groups = new ArrayList<>();

    private ImaptestScript(Path path) {
        this.path = path;
        this.name = path.getFileName().toString();
        Path own = path.resolveSibling(name + ".mbox");
        this.mbox = Files.isRegularFile(own) ? own : path.resolveSibling("default.mbox");
    }

    public String name() { return name; }
    public Path path() { return path; }
    /** The mbox appended at start-up: {@code <name>.mbox}, or {@code default.mbox} beside the script. */
    public Path mbox() { return mbox; }
    public List<String> requiredCapabilities() { return requiredCapabilities; }
    public int messageCount() { return messageCount; }
    public State state() { return state; }
    public int connectionCount() { return connectionCount; }
    public boolean requireUser2() { return requireUser2; }
    public boolean ignoreExtraUntagged() { return ignoreExtraUntagged; }
    public List<Group> groups() { return groups; }

    /** Parses a script; {@code !ifenv} reads the process environment. */
    public static ImaptestScript parse(Path path) throws IOException, ScriptException {
        return parse(path, System::getenv);
    }

    /** Parses a script; {@code env} answers {@code !ifenv NAME} (null = not set). */
    public static ImaptestScript parse(Path path, Function<String, String> env) throws IOException, ScriptException {
        ImaptestScript t = new ImaptestScript(path);
        byte[] bytes = Files.readAllBytes(path);
        if (bytes.length > 4 * 1024 * 1024) throw new ScriptException(path + ": script too large");
        new Reader(t, env).read(new String(bytes, StandardCharsets.ISO_8859_1));
        t.addLogout();
        return t;
    }

    /** imaptest adds "logout" on the first connection unless the script logs out or expects BYE. */
    private void addLogout() {
        for (Group g : groups) {
            if (g.haveUntaggedBye) return;
            for (Command c : g.commands) if (c.text.equalsIgnoreCase("logout")) return;
        }
        Group g = new Group();
        g.connection = 0;
        g.commands.add(new Command(0, 0, "logout", List.of(new ImapArg.Atom("ok"))));
        groups.add(g);
    }

    private static final class Reader {
        private final ImaptestScript t;
        private final Function<String, String> env;
        private final Deque<boolean[]> ifenv = new ArrayDeque<>(); // {skip before the block, !else seen}
        private final Deque<Integer> ifenvLines = new ArrayDeque<>();
        private boolean skip;
        private Group cur;

        Reader(ImaptestScript t, Function<String, String> env) {
            this.t = t;
            this.env = env;
        }

        private ScriptException err(int line, String msg) {
            return new ScriptException(t.path + " line " + line + ": " + msg);
        }

        void read(String text) throws ScriptException {
            if (!text.isEmpty() && !text.endsWith("\n")) throw new ScriptException(t.path + ": Last line doesn't end with LF");
            String[] lines = text.split("\n", -1);
            boolean header = true;
            boolean continues = false;
            boolean binary = false;
            StringBuilder multi = new StringBuilder();
            int startPos = 0;
            int lastLineEnd = 0;
            int startLine = 0;
            for (int i = 0; i < lines.length - 1; i++) {
                int lineNo = i + 1;
                String raw = lines[i];
                String line = raw;
                if (continues) {
                    if (!line.startsWith("}}}")) {
                        multi.append(line);
                        lastLineEnd = multi.length();
                        // imaptest reads lines with memchr('\n'), so a CR stays in the line; its
                        // i_stream_last_line_crlf() is then never true: a literal8 line gets "\n"
                        multi.append(binary ? "\n" : "\r\n");
                        continue;
                    }
                    multi.setLength(lastLineEnd);
                    String rest = line.substring(3);
                    multi.insert(startPos, (binary ? "~" : "") + "{" + (multi.length() - startPos) + "}\r\n");
                    if (rest.endsWith("{{{")) {
                        int len = rest.length() - 3;
                        binary = len > 0 && rest.charAt(len - 1) == '~';
                        if (binary) len--;
                        multi.append(rest, 0, len);
                        startPos = multi.length();
                        lastLineEnd = multi.length();
                        continue;
                    }
                    multi.append(rest);
                    line = multi.toString();
                    continues = false;
                } else {
                    startLine = lineNo;
                    if (line.isEmpty()) {
                        header = false;
                        continue;
                    }
                    if (line.charAt(0) == '#') continue;
                    if (line.endsWith("{{{")) {
                        int len = line.length() - 3;
                        binary = len > 0 && line.charAt(len - 1) == '~';
                        if (binary) len--;
                        multi.setLength(0);
                        multi.append(line, 0, len);
                        startPos = multi.length();
                        lastLineEnd = multi.length();
                        continues = true;
                        continue;
                    }
                }
                if (header) headerLine(lineNo, line);
                else commandLine(startLine, line);
            }
            if (continues) throw err(startLine, "Multiline reply not ended");
            if (cur == null) throw new ScriptException(t.path + ": No commands in file");
            if (cur.repliesPending > 0) {
                Command missing = cur.commands.stream().filter(c -> c.reply == null).findFirst().orElseThrow();
                throw err(missing.line, "Missing reply for the command");
            }
            if (!ifenv.isEmpty()) throw err(ifenvLines.peekLast(), "!ifenv not closed with !endif");
        }

        private void headerLine(int lineNo, String line) throws ScriptException {
            int colon = line.indexOf(':');
            if (colon < 0) throw err(lineNo, "Missing ':'");
            String key = line.substring(0, colon).stripTrailing().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).stripLeading();
            switch (key) {
                case "capabilities" -> t.requiredCapabilities = List.of(value.trim().split(" +"));
                case "connections" -> {
                    int n = value.equals("n") ? 2 : parseUint(value);
                    if (n <= 0 || n > MAX_CONNECTIONS) throw err(lineNo, "Too many connections");
                    t.connectionCount = n;
                }
                case "ignore_extra_untagged" -> t.ignoreExtraUntagged = value.startsWith("y");
                case "messages" -> t.messageCount = value.equals("all") ? ALL_MESSAGES : Math.max(0, parseUint(value));
                case "state" -> t.state = switch (value.toLowerCase(Locale.ROOT)) {
                    case "nonauth" -> State.NONAUTH;
                    case "auth" -> State.AUTH;
                    case "created" -> State.CREATED;
                    case "appended" -> State.APPENDED;
                    case "selected" -> State.SELECTED;
                    default -> throw err(lineNo, "Unknown state value");
                };
                default -> {
                    if (key.startsWith("user ")) {
                        int idx = parseUint(key.substring(5));
                        if (idx <= 0) throw err(lineNo, "Unknown setting");
                        if (idx > MAX_CONNECTIONS) throw err(lineNo, "Too many connections");
                        if (value.equals("$user2") || value.equals("${user2}")) {
                            t.requireUser2 = true;
                            value = "$user2";
                        }
                        t.connectionUsers.put(idx - 1, value);
                    } else {
                        throw err(lineNo, "Unknown setting");
                    }
                }
            }
        }

        private static int parseUint(String s) {
            // strtoul: leading digits, 0 when none
            int i = 0;
            long v = 0;
            while (i < s.length() && Character.isDigit(s.charAt(i)) && v < Integer.MAX_VALUE) v = v * 10 + (s.charAt(i++) - '0');
            return (int) Math.min(v, Integer.MAX_VALUE);
        }

        /** Whole-word unsigned int as str_to_uint: -1 when not a number. */
        private static int strToUint(String s) {
            if (s.isEmpty() || s.length() > 9) return -1;
            for (int i = 0; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return -1;
            return Integer.parseInt(s);
        }

        private static String firstWord(String s) {
            int sp = s.indexOf(' ');
            return sp < 0 ? s : s.substring(0, sp);
        }

        private static Existence untaggedKind(String line) {
            if (line.startsWith("* ")) return Existence.MUST_EXIST;
            if (line.startsWith("! ")) return Existence.MUST_NOT_EXIST;
            if (line.startsWith("? ")) return Existence.MAY_EXIST;
            return null;
        }

        /** {tag, remaining line, reply or null} as test_get_cmd_reply. */
        private record CmdReply(int tag, String rest, List<ImapArg> reply) {}

        private static CmdReply cmdReply(String line) {
            int tag = 0;
            String arg = firstWord(line);
            if (arg.regionMatches(true, 0, "tag", 0, 3)) {
                int sp = line.indexOf(' ');
                int n = strToUint(arg.substring(3));
                if (sp >= 0 && n > 0) {
                    line = line.substring(sp + 1);
                    tag = n;
                    arg = firstWord(line);
                }
            }
            List<ImapArg> reply = null;
            int skip = 0;
            if (arg.equalsIgnoreCase("ok")) { reply = List.of(new ImapArg.Atom("ok")); skip = 2; }
            else if (arg.equalsIgnoreCase("no")) { reply = List.of(new ImapArg.Atom("no")); skip = 2; }
            else if (arg.equalsIgnoreCase("bad")) { reply = List.of(new ImapArg.Atom("bad")); skip = 3; }
            else if (arg.equals("\"\"")) { reply = List.of(new ImapArg.Atom("")); skip = 2; }
            if (reply != null) {
                line = line.substring(skip);
                if (line.startsWith(" ")) line = line.substring(1);
            }
            return new CmdReply(tag, line, reply);
        }

        private void commandLine(int lineNo, String line) throws ScriptException {
            if (line.startsWith("!ifenv ") || line.startsWith("!ifnenv ")) {
                boolean not = line.startsWith("!ifnenv ");
                String var = line.substring(not ? 8 : 7);
                boolean skipThis = env.apply(var) == null;
                if (not) skipThis = !skipThis;
                ifenv.push(new boolean[] {skip, false});
                ifenvLines.push(lineNo);
                if (skipThis) skip = true;
                return;
            }
            if (line.equals("!else")) {
                boolean[] top = ifenv.peek();
                if (top == null) throw err(lineNo, "!else without !ifenv");
                if (top[1]) throw err(lineNo, "!else already seen");
                top[1] = true;
                if (!top[0]) skip = !skip;
                return;
            }
            if (line.equals("!endif")) {
                boolean[] top = ifenv.poll();
                if (top == null) throw err(lineNo, "!endif without !ifenv");
                ifenvLines.poll();
                skip = top[0];
                return;
            }
            if (skip) return;

            Group group = cur;
            if (group != null) {
                if (line.startsWith("!sleep ")) {
                    group.sleepMillis = parseInterval(lineNo, line.substring(7).trim());
                    return;
                }
                if (line.startsWith("!output ")) return; // output lines are only printed by imaptest
                Existence ex = untaggedKind(line);
                if (ex != null) {
                    untagged(group, lineNo, line.substring(2), ex);
                    return;
                }
                if (group.repliesPending > 0) {
                    String noConn = line;
                    int replyConn = 0;
                    if (t.connectionCount > 1) {
                        int n = strToUint(firstWord(noConn));
                        if (n > 0) {
                            replyConn = n;
                            int sp = noConn.indexOf(' ');
                            noConn = sp < 0 ? "" : noConn.substring(sp + 1);
                        }
                    }
                    CmdReply r = cmdReply(noConn);
                    if (r.reply != null) {
                        if (t.connectionCount > 1) {
                            if (replyConn == 0) throw err(lineNo, "Missing client index");
                            if (replyConn - 1 != group.connection) throw err(lineNo, "Reply for wrong connection");
                        }
                        Command cmd = group.commands.stream().filter(c -> c.tag == r.tag).findFirst()
                                .orElseThrow(() -> err(lineNo, "Reply for unknown tag"));
                        if (cmd.reply != null) throw err(lineNo, "Command already has a reply");
                        List<ImapArg> args = parseArgs(lineNo, noConn);
                        int from = r.tag == 0 ? 0 : 1;
                        cmd.reply = args.size() > from ? List.copyOf(args.subList(from, args.size())) : List.of(new ImapArg.Atom(""));
                        group.repliesPending--;
                        return;
                    }
                }
            }
            if (group == null || group.repliesPending == 0) {
                group = new Group();
                cur = group;
                t.groups.add(group);
            }
            if (t.connectionCount > 1) {
                int n = strToUint(firstWord(line));
                if (n <= 0) throw err(lineNo, "Missing client index");
                if (n > MAX_CONNECTIONS) throw err(lineNo, "Too many connections");
                if (!group.commands.isEmpty() && group.connection != n - 1)
                    throw err(lineNo, "All pipelined commands must use the same connection");
                group.connection = n - 1;
                if (t.connectionCount < n) t.connectionCount = n;
                int sp = line.indexOf(' ');
                line = sp < 0 ? "" : line.substring(sp + 1);
            }
            CmdReply r = cmdReply(line);
            line = r.rest;
            if (r.tag == 0) {
                if (group.repliesPending > 0) throw err(lineNo, "Missing reply from previous command group");
            } else {
                for (Command c : group.commands)
                    if (c.tag == r.tag) throw err(lineNo, "Tag reused within command group");
            }
            if (group.commands.isEmpty()) {
                Existence ex = untaggedKind(line);
                if (ex != null) {
                    t.haveBannerCheck = true;
                    untagged(group, lineNo, line.substring(2), ex);
                    return;
                }
            }
            if (r.reply == null) group.repliesPending++;
            group.commands.add(new Command(lineNo, r.tag, line, r.reply));
        }

        private List<ImapArg> parseArgs(int lineNo, String line) throws ScriptException {
            try {
                return ImapArg.parse(line, false);
            } catch (IllegalArgumentException e) {
                throw err(lineNo, e.getMessage());
            }
        }

        private void untagged(Group group, int lineNo, String line, Existence ex) throws ScriptException {
            List<ImapArg> args = new ArrayList<>(parseArgs(lineNo, line));
            String name = "";
            String first = args.isEmpty() ? null : ImapArg.atom(args.getFirst());
            if (first != null) {
                name = first;
                if (!first.isEmpty() && (first.charAt(0) == '$' || Character.isDigit(first.charAt(0)))) {
                    String second = args.size() > 1 ? ImapArg.atom(args.get(1)) : null;
                    name = second == null ? "" : second;
                }
            }
            try {
                Directives.addDefaults(args, name);
            } catch (IllegalArgumentException e) {
                throw err(lineNo, e.getMessage());
            }
            if (name.regionMatches(true, 0, "BYE", 0, 3)) {
                if (ex == Existence.MUST_EXIST) group.haveUntaggedBye = true;
                else if (ex == Existence.MAY_EXIST) throw err(lineNo, "? BYE not currently supported");
            }
            if (group.untagged == null) group.untagged = new ArrayList<>();
            group.untagged.add(new Untagged(List.copyOf(args), ex, lineNo));
        }

        private ScriptException errInterval(int lineNo, String v) {
            return err(lineNo, "Invalid !sleep value " + v);
        }

        private long parseInterval(int lineNo, String v) throws ScriptException {
            var m = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|msecs?|s|secs?|m|mins?)?").matcher(v);
            if (!m.matches()) throw errInterval(lineNo, v);
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            if (unit.startsWith("ms")) return n;
            if (unit.startsWith("m")) return n * 60_000;
            return n * 1000;
        }
    }
}
