package dev.sealpost.sieve.run;

import dev.sealpost.sieve.internal.Addresses;
import dev.sealpost.sieve.internal.BodyParts;
import dev.sealpost.sieve.internal.Match;
import dev.sealpost.sieve.script.Compiled;
import dev.sealpost.sieve.script.SieveError;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a {@link Compiled.Script} against an {@link Environment} and returns a {@link Result}.
 * Bounded: steps (commands and tests evaluated), actions, redirects, variable value size. No I/O.
 */
public final class Interpreter {
    /** Runtime bounds and settings; {@code recipientDelimiters} separates user and detail (RFC 5233 §4). */
    public record Options(int maxSteps, int maxActions, int maxRedirects, int maxVariableSize, String recipientDelimiters,
                          long maxMillis, int maxStringSize, int maxVariables, int maxIncludeDepth) {
        /** The first five bounds; the others at their defaults. */
        public Options(int maxSteps, int maxActions, int maxRedirects, int maxVariableSize, String recipientDelimiters) {
            this(maxSteps, maxActions, maxRedirects, maxVariableSize, recipientDelimiters, 2_000, 1 << 20, 512, 10);
        }

        /**
         * 100,000 steps, 128 actions, 4 redirects, variables of 4,000 octets (longer values are cut,
         * RFC 5229 §3 allows it), 2 s of wall-clock time, strings built at run time up to 1 MiB,
         * 512 variables, includes nested 10 deep.
         */
        public static Options defaults() {
            return new Options(100_000, 128, 4, 4000, "+");
        }
    }

    /** A command provided by an extension outside this module (the testsuite, in tests). */
    public interface CommandHandler {
        void execute(Compiled.Command command, Run run);
    }

    /** A test provided by an extension outside this module. */
    public interface TestHandler {
        boolean test(Compiled.Test test, Run run);
    }

    /** Collects the actions of one or more runs (RFC 5228 §2.10). */
    public static final class Actions {
        private final List<Action> list = new ArrayList<>();
        private boolean implicitKeepCancelled;
        private int redirects;
        boolean vacation;

        public List<Action> list() { return List.copyOf(list); }

        public boolean implicitKeep() { return !implicitKeepCancelled; }

        public void clear() {
            list.clear();
            implicitKeepCancelled = false;
            redirects = 0;
            vacation = false;
        }
    }

    /** The return command (RFC 6609 §3.3) ending the current (included) script. */
    public static final class Return extends RuntimeException {
        Return() { super(null, null, false, false); }
    }

    /** The stop command (RFC 5228 §3.3) unwinding the run; a harness running blocks itself may catch it. */
    public static final class Stop extends RuntimeException {
        Stop() { super(null, null, false, false); }
    }

    /** A runtime error: ends the run; the actions are cancelled and the implicit keep applies (RFC 5228 §2.10.6). */
    public static final class RuntimeFailure extends RuntimeException {
        final SieveError error;

        public RuntimeFailure(SieveError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    private final java.util.function.Supplier<Options> optionsSource;
    private final Map<String, CommandHandler> commands;
    private final Map<String, TestHandler> tests;

    public Interpreter(Options options, Map<String, CommandHandler> commands, Map<String, TestHandler> tests) {
        this(() -> options, commands, tests);
    }

    /** Options read again at each use (a test harness changes settings while a script runs). */
    public Interpreter(java.util.function.Supplier<Options> options, Map<String, CommandHandler> commands, Map<String, TestHandler> tests) {
        this.optionsSource = options;
        this.commands = Map.copyOf(commands);
        this.tests = Map.copyOf(tests);
    }

    public Interpreter() {
        this(Options.defaults(), Map.of(), Map.of());
    }

    private Options options() {
        return optionsSource.get();
    }

    public Result run(Compiled.Script script, Environment env) {
        return run(script, env, new Actions());
    }

    /** Runs the script adding its actions to {@code actions} (which may already hold some). */
    public Result run(Compiled.Script script, Environment env, Actions actions) {
        Run r = new Run(script, env, actions, new Shared());
        try {
            r.runBlock(script.commands());
        } catch (Stop | Return s) {
            // RFC 5228 §3.3: stop ends the script; RFC 6609 §3.3: return at the top ends it too
        } catch (RuntimeFailure f) {
            return new Result(List.of(), true, r.flags, f.error);
        }
        return new Result(actions.list, !actions.implicitKeepCancelled, r.flags, null);
    }

    /** State shared by a script and the scripts it includes (RFC 6609). */
    static final class Shared {
        final Map<String, String> globals = new HashMap<>();
        final java.util.ArrayDeque<String> includeStack = new java.util.ArrayDeque<>();
        final java.util.Set<String> includedOnce = new java.util.HashSet<>();
        final Map<String, List<String>> headerEdits = new HashMap<>();
        final long startNanos = System.nanoTime();
        int steps;
        int variables;
        long sizeDelta; // octets added minus removed by editheader (RFC 5293 §4: later tests see the edits)
    }

    /** The state of one run, offered to extension handlers. */
    public final class Run {
        private final Compiled.Script script;
        private final Environment env;
        private final Actions actions;
        private final boolean variables;
        private final Map<String, String> vars = new HashMap<>();
        private final java.util.Set<String> declaredGlobal = new java.util.HashSet<>();
        final Shared shared;
        private List<String> matchVars = List.of();
        private List<String> flags = new ArrayList<>();
        private int line;

        Run(Compiled.Script script, Environment env, Actions actions, Shared shared) {
            this.script = script;
            this.env = env;
            this.actions = actions;
            this.shared = shared;
            this.variables = script.required().contains("variables");
        }

        Options options() { return Interpreter.this.options(); }

        /** RFC 5230 §4.7: marks the run's one vacation; false when there already was one. */
        boolean firstVacation() {
            if (actions.vacation) return false;
            actions.vacation = true;
            return true;
        }

        Compiled.Script script() { return script; }

        int line() { return line; }

        /** A run of an included script: its own variables, shared globals, flags and actions (RFC 6609 §3.2). */
        Run child(Compiled.Script included) {
            Run c = new Run(included, env, actions, shared);
            c.flags = flags;
            return c;
        }

        void takeFlags(Run child) { flags = child.flags; }

        void limit(SieveError.Kind kind, String message) {
            throw new RuntimeFailure(new SieveError(kind, line, message));
        }

        /**
         * The values of header {@code name} as the script now sees them: the message's, with the
         * script's own additions and deletions (RFC 5293 §4, §5: later tests see the edits).
         */
        public List<String> headers(String name) {
            List<String> edited = shared.headerEdits.get(name.toLowerCase(Locale.ROOT));
            return edited != null ? edited : env.header(name);
        }

        List<String> editableHeaders(String name) {
            return shared.headerEdits.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>(env.header(name)));
        }

        /** Forgets the script's header edits (a harness that changes the message being run on). */
        public void resetEdits() {
            shared.headerEdits.clear();
            shared.sizeDelta = 0;
        }

        void setMatchVars(List<String> mv) { if (variables) matchVars = mv; }

        List<String> matchVars() { return matchVars; }

        void restoreMatchVars(List<String> mv) { matchVars = mv; }

        /** RFC 6609 §3.3: a variable declared global is read and written in the shared namespace. */
        void declareGlobal(String name) {
            declaredGlobal.add(name.toLowerCase(Locale.ROOT));
        }

        public Environment environment() { return env; }

        /** The internal flags variable (RFC 5232 §3). */
        public List<String> flags() { return List.copyOf(flags); }

        /** Replaces the internal flags variable (a harness loading a stored message's flags). */
        public void setFlags(List<String> newFlags) { flags = new ArrayList<>(splitFlags(newFlags)); }

        public Actions actions() { return actions; }

        public void fail(String message) {
            throw new RuntimeFailure(new SieveError(SieveError.Kind.RUNTIME, line, message));
        }

        private void step(int at) {
            line = at;
            if (++shared.steps > options().maxSteps()) {
                throw new RuntimeFailure(new SieveError(SieveError.Kind.LIMIT_STEPS, at, "more than " + options().maxSteps() + " steps"));
            }
            if ((shared.steps & 255) == 0 && System.nanoTime() - shared.startNanos > options().maxMillis() * 1_000_000L) {
                throw new RuntimeFailure(new SieveError(SieveError.Kind.LIMIT_TIME, at, "ran longer than " + options().maxMillis() + " ms"));
            }
        }

        private String getVar(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.startsWith("global.")) return shared.globals.getOrDefault(n.substring(7), "");
            if (declaredGlobal.contains(n)) return shared.globals.getOrDefault(n, "");
            return vars.getOrDefault(n, "");
        }

        /** RFC 5229 §3: ${name} and ${N} in a string, when "variables" is required; not recursive. */
        public String expand(String s) {
            if (!variables || s.indexOf("${") < 0) return s;
            Matcher m = VAR.matcher(s);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String v;
                if (Character.isDigit(name.charAt(0))) {
                    int i = name.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(name);
                    v = i < matchVars.size() ? matchVars.get(i) : "";
                } else {
                    v = getVar(name);
                }
                m.appendReplacement(out, Matcher.quoteReplacement(v));
                if (out.length() > options().maxStringSize()) {
                    throw new RuntimeFailure(new SieveError(SieveError.Kind.LIMIT_STRING_SIZE, line,
                            "a string built at run time is longer than " + options().maxStringSize() + " characters"));
                }
            }
            m.appendTail(out);
            return out.toString();
        }

        public List<String> expand(List<String> list) {
            List<String> out = new ArrayList<>(list.size());
            for (String s : list) out.add(expand(s));
            return out;
        }

        public void runBlock(List<Compiled.Command> block) {
            boolean lastIfTaken = true;
            for (Compiled.Command c : block) {
                step(c.line());
                switch (c.name()) {
                    // RFC 5228 §3.1: if / elsif / else
                    case "if" -> {
                        lastIfTaken = test(c.tests().getFirst());
                        if (lastIfTaken) runBlock(c.block());
                    }
                    case "elsif" -> {
                        if (!lastIfTaken) {
                            lastIfTaken = test(c.tests().getFirst());
                            if (lastIfTaken) runBlock(c.block());
                        }
                    }
                    case "else" -> {
                        if (!lastIfTaken) runBlock(c.block());
                        lastIfTaken = true;
                    }
                    default -> command(c);
                }
            }
        }

        private void command(Compiled.Command c) {
            switch (c.name()) {
                case "stop" -> throw new Stop();
                case "keep" -> add(new Action.Keep(flagsFor(c)), true);
                case "discard" -> add(new Action.Discard(), true);
                // RFC 9042 §3 :mailboxid and RFC 8579 §4 :specialuse are carried to delivery, which resolves them
                case "fileinto" -> add(new Action.FileInto(expand((String) c.args().getFirst()), c.has("copy"), flagsFor(c), c.has("create"),
                        c.tags().get("mailboxid") instanceof String id ? expand(id) : null,
                        c.tags().get("specialuse") instanceof String su ? expand(su) : null), !c.has("copy"));
                case "redirect" -> {
                    String to = expand((String) c.args().getFirst());
                    // RFC 5228 §4.2: the argument must be a valid address
                    List<String> parsed = Addresses.parse(to);
                    if (parsed.size() != 1 || Addresses.domain(parsed.getFirst()).isEmpty() || Addresses.localPart(parsed.getFirst()).isEmpty()) {
                        fail("redirect: invalid address \"" + to + "\"");
                    }
                    if (++actions.redirects > options().maxRedirects()) {
                        throw new RuntimeFailure(new SieveError(SieveError.Kind.LIMIT_REDIRECTS, line, "more than " + options().maxRedirects() + " redirects"));
                    }
                    add(new Action.Redirect(parsed.getFirst(), c.has("copy")), !c.has("copy"));
                }
                case "reject" -> add(new Action.Reject(expand((String) c.args().getFirst()), false), true);
                case "ereject" -> add(new Action.Reject(expand((String) c.args().getFirst()), true), true);
                case "set" -> set(c);
                case "setflag", "addflag", "removeflag" -> flagCommand(c);
                case "return" -> throw new Return(); // RFC 6609 §3.3
                case "vacation", "include", "global", "error", "addheader", "deleteheader", "notify" -> Extensions.command(c, this);
                default -> {
                    CommandHandler h = commands.get(c.name());
                    if (h == null) fail("no implementation for command " + c.name());
                    h.execute(c, this);
                }
            }
        }

        void add(Action a, boolean cancelsImplicitKeep) {
            // RFC 5228 §2.10.3: the same fileinto/redirect twice is done once; keep and fileinto "INBOX" are the same
            for (Action old : actions.list) {
                if (same(old, a)) {
                    if (cancelsImplicitKeep) actions.implicitKeepCancelled = true;
                    return;
                }
            }
            if (actions.list.size() >= options().maxActions()) {
                throw new RuntimeFailure(new SieveError(SieveError.Kind.LIMIT_ACTIONS, line, "more than " + options().maxActions() + " actions"));
            }
            actions.list.add(a);
            if (cancelsImplicitKeep) actions.implicitKeepCancelled = true;
        }

        private static boolean same(Action a, Action b) {
            if (a instanceof Action.FileInto x && b instanceof Action.FileInto y) return x.mailbox().equals(y.mailbox());
            if (a instanceof Action.Redirect x && b instanceof Action.Redirect y) return x.address().equalsIgnoreCase(y.address());
            if (a instanceof Action.Keep && b instanceof Action.Keep) return true;
            // RFC 5228 §4.1: fileinto "INBOX" is the same as keep
            if (a instanceof Action.Keep && b instanceof Action.FileInto y) return y.mailbox().equalsIgnoreCase("INBOX");
            if (a instanceof Action.FileInto x && b instanceof Action.Keep) return x.mailbox().equalsIgnoreCase("INBOX");
            if (a instanceof Action.Discard && b instanceof Action.Discard) return true;
            return false;
        }

        @SuppressWarnings("unchecked")
        private List<String> flagsFor(Compiled.Command c) {
            // RFC 5232 §5: :flags replaces the internal variable for this action
            if (c.tags().get("flags") instanceof List<?> l) return splitFlags(expand((List<String>) l));
            return List.copyOf(flags);
        }

        // RFC 5229 §4: set with modifiers applied by precedence
        private void set(Compiled.Command c) {
            String name = ((String) c.args().get(0)).toLowerCase(Locale.ROOT);
            String v = expand((String) c.args().get(1));
            if (c.has("lower")) v = v.toLowerCase(Locale.ROOT);
            if (c.has("upper")) v = v.toUpperCase(Locale.ROOT);
            if (c.has("lowerfirst") && !v.isEmpty()) v = v.substring(0, 1).toLowerCase(Locale.ROOT) + v.substring(1);
            if (c.has("upperfirst") && !v.isEmpty()) v = v.substring(0, 1).toUpperCase(Locale.ROOT) + v.substring(1);
            if (c.has("quotewildcard")) v = v.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?");
            if (c.has("encodeurl")) v = Extensions.encodeUrl(v); // RFC 5435 §6
            if (c.has("length")) v = String.valueOf(v.codePointCount(0, v.length()));
            setVar(name, v);
        }

        private void setVar(String name, String v) {
            // a value longer than maxVariableSize octets (UTF-8) is cut at a character boundary (RFC 5229 §3 allows it)
            v = cut(v, options().maxVariableSize());
            String n = name.toLowerCase(Locale.ROOT);
            Map<String, String> target = vars;
            if (n.startsWith("global.")) { target = shared.globals; n = n.substring(7); }
            else if (declaredGlobal.contains(n)) target = shared.globals;
            if (!target.containsKey(n) && ++shared.variables > options().maxVariables()) {
                throw new RuntimeFailure(new SieveError(SieveError.Kind.LIMIT_VARIABLES, line, "more than " + options().maxVariables() + " variables"));
            }
            target.put(n, v);
        }

        // RFC 5232 §3: setflag / addflag / removeflag, on the internal variable or a named one
        @SuppressWarnings("unchecked")
        private void flagCommand(Compiled.Command c) {
            String var = c.args().get(0) == null ? null : ((String) c.args().get(0)).toLowerCase(Locale.ROOT);
            List<String> given = splitFlags(expand((List<String>) c.args().get(1)));
            List<String> current = var == null ? flags : splitFlags(List.of(getVar(var)));
            List<String> next = switch (c.name()) {
                case "setflag" -> given;
                case "addflag" -> union(current, given);
                default -> current.stream().filter(f -> given.stream().noneMatch(g -> g.equalsIgnoreCase(f))).toList();
            };
            if (var == null) flags = new ArrayList<>(next);
            else setVar(var, String.join(" ", next));
        }

        private static String cut(String v, int maxBytes) {
            if (v.length() * 3 <= maxBytes) return v;
            int bytes = 0;
            for (int i = 0; i < v.length(); ) {
                int cp = v.codePointAt(i);
                int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
                if (bytes + n > maxBytes) return v.substring(0, i);
                bytes += n;
                i += Character.charCount(cp);
            }
            return v;
        }

        private static List<String> union(List<String> a, List<String> b) {
            List<String> out = new ArrayList<>(a);
            for (String f : b) if (out.stream().noneMatch(x -> x.equalsIgnoreCase(f))) out.add(f);
            return out;
        }

        private static List<String> splitFlags(List<String> list) {
            List<String> out = new ArrayList<>();
            for (String s : list) {
                for (String f : s.split(" +")) {
                    if (!f.isEmpty() && out.stream().noneMatch(x -> x.equalsIgnoreCase(f))) out.add(f);
                }
            }
            return out;
        }

        @SuppressWarnings("unchecked")
        public boolean test(Compiled.Test t) {
            step(t.line());
            switch (t.name()) {
                case "true": return true;
                case "false": return false;
                case "not": return !test(t.tests().getFirst());
                case "allof":
                    for (Compiled.Test x : t.tests()) if (!test(x)) return false;
                    return true;
                case "anyof":
                    for (Compiled.Test x : t.tests()) if (test(x)) return true;
                    return false;
                case "exists":
                    // RFC 5228 §5.5: true when every named field exists
                    for (String h : expand((List<String>) t.args().getFirst())) if (headers(h).isEmpty()) return false;
                    return true;
                case "size": {
                    long n = (Long) t.args().getFirst();
                    // RFC 5228 §5.9: :over is strictly greater, :under strictly less
                    long size = env.size() + shared.sizeDelta;
                    return t.has("over") ? size > n : size < n;
                }
                case "header": {
                    List<String> values = new ArrayList<>();
                    for (String h : expand((List<String>) t.args().get(0))) values.addAll(headers(h));
                    return match(t, Extensions.index(t, values), expand((List<String>) t.args().get(1)));
                }
                case "address": {
                    List<String> values = new ArrayList<>();
                    List<String> fields = new ArrayList<>();
                    for (String h : expand((List<String>) t.args().get(0))) fields.addAll(headers(h));
                    // RFC 5260 §6: :index counts header fields, not addresses
                    for (String v : Extensions.index(t, fields)) values.addAll(v.isBlank() ? List.of("") : Addresses.parse(v));
                    return match(t, addressParts(t, values), expand((List<String>) t.args().get(1)));
                }
                case "envelope": {
                    List<String> values = new ArrayList<>();
                    for (String p : expand((List<String>) t.args().get(0))) values.addAll(env.envelope(p.toLowerCase(Locale.ROOT)));
                    return match(t, addressParts(t, values), expand((List<String>) t.args().get(1)));
                }
                case "string": {
                    // RFC 5229 §5: empty source strings do not count for :count
                    List<String> values = expand((List<String>) t.args().get(0));
                    if (t.has("count")) values = values.stream().filter(s -> !s.isEmpty()).toList();
                    return match(t, values, expand((List<String>) t.args().get(1)));
                }
                case "hasflag": {
                    // RFC 5232 §4
                    List<String> values;
                    if (t.args().get(0) == null) values = List.copyOf(flags);
                    else {
                        List<String> joined = new ArrayList<>();
                        for (String v : (List<String>) t.args().get(0)) joined.add(getVar(v));
                        values = splitFlags(joined);
                    }
                    // RFC 5232 §4: a key may hold several space-separated flags; each is compared
                    List<String> keys = t.has("count") ? expand((List<String>) t.args().get(1)) : splitFlags(expand((List<String>) t.args().get(1)));
                    return match(t, values, keys);
                }
                case "mailboxexists": {
                    // RFC 5490 §3.1: true when every named mailbox exists
                    for (String m : expand((List<String>) t.args().getFirst())) if (!env.mailboxExists(m)) return false;
                    return true;
                }
                case "body": {
                    // RFC 5173 §5: :raw is the undecoded body; :content and :text (the default) the decoded parts
                    if (env.body().isEmpty()) return false;
                    List<String> values;
                    byte[] whole = env.message();
                    if (t.has("raw") || whole == null) values = List.of(env.body());
                    else if (t.tags().get("content") instanceof List<?> types) values = BodyParts.content(whole, expand((List<String>) types));
                    else values = BodyParts.content(whole, List.of("text"));
                    List<String> saved = matchVars;
                    boolean r = match(t, values, expand((List<String>) t.args().getLast()));
                    matchVars = saved; // RFC 5173 §6: body does not set match variables
                    return r;
                }
                case "ihave", "environment", "date", "currentdate", "duplicate", "mailboxidexists", "specialuse_exists",
                     "spamtest", "virustest", "valid_notify_method", "notify_method_capability":
                    return Extensions.test(t, this);
                default: {
                    TestHandler h = tests.get(t.name());
                    if (h == null) fail("no implementation for test " + t.name());
                    return h.test(t, this);
                }
            }
        }

        private List<String> addressParts(Compiled.Test t, List<String> addrs) {
            List<String> out = new ArrayList<>();
            for (String a : addrs) {
                String part;
                // RFC 5228 §5.1: an address that is not syntactically valid is not matched by :localpart or :domain
                boolean valid = a.isEmpty() || a.indexOf('@') > 0 && !Addresses.domain(a).isEmpty() && !a.contains(" "); // "": the null path
                if (!valid && !t.has("all") && (t.has("localpart") || t.has("domain") || t.has("user") || t.has("detail"))) continue;
                if (t.has("localpart")) part = Addresses.localPart(a);
                else if (t.has("domain")) part = Addresses.domain(a);
                else if (t.has("user") || t.has("detail")) {
                    // RFC 5233 §4: user is before the first delimiter, detail after it; no delimiter: detail does not match
                    String local = Addresses.localPart(a);
                    int d = -1;
                    for (char c : options().recipientDelimiters().toCharArray()) {
                        int i = local.indexOf(c);
                        if (i >= 0 && (d < 0 || i < d)) d = i;
                    }
                    if (t.has("user")) part = d < 0 ? local : local.substring(0, d);
                    else if (d < 0) continue;
                    else part = local.substring(d + 1);
                } else part = a;
                out.add(part);
            }
            return out;
        }

        /** Matches values against keys with the test's comparator and match type; sets match variables on a :matches success. */
        public boolean match(Compiled.Test t, List<String> values, List<String> keys) {
            String comparator = t.tags().get("comparator") instanceof String c ? c : "i;ascii-casemap";
            if (t.tags().get("count") instanceof String op) {
                // RFC 5231 §4.1: :count compares the number of values
                String n = String.valueOf(values.size());
                for (String k : keys) if (Match.relation(op, Match.compare(comparator, n, k))) return true;
                return false;
            }
            for (String v : values) {
                for (String k : keys) {
                    if (t.tags().get("value") instanceof String op) {
                        if (Match.relation(op, Match.compare(comparator, v, k))) return true;
                    } else if (t.has("regex")) {
                        List<String> caps;
                        try {
                            caps = dev.sealpost.sieve.internal.Regex.find(comparator, v, k);
                        } catch (dev.sealpost.sieve.internal.Regex.BudgetExceeded e) {
                            throw new RuntimeFailure(new SieveError(SieveError.Kind.LIMIT_REGEX, line, e.getMessage()));
                        }
                        if (caps != null) {
                            if (variables) matchVars = caps; // draft-ietf-sieve-regex-01 §4: ${0} the match, ${n} the groups
                            return true;
                        }
                    } else if (t.has("contains")) {
                        if (Match.contains(comparator, v, k)) return true;
                    } else if (t.has("matches")) {
                        List<String> caps = Match.matches(comparator, v, k);
                        if (caps != null) {
                            List<String> mv = new ArrayList<>();
                            mv.add(v);
                            mv.addAll(caps);
                            if (variables) matchVars = mv;
                            return true;
                        }
                    } else if (Match.is(comparator, v, k)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*|[0-9]+)\\}");

    /** Map helpers for building handler tables. */
    public static <T> Map<String, T> table(Object... pairs) {
        Map<String, T> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked") T v = (T) pairs[i + 1];
            m.put((String) pairs[i], v);
        }
        return m;
    }
}
