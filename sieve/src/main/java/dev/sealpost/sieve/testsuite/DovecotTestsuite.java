package dev.sealpost.sieve.testsuite;

import dev.sealpost.sieve.internal.Match;
import dev.sealpost.sieve.run.Action;
import dev.sealpost.sieve.run.Environment;
import dev.sealpost.sieve.run.Interpreter;
import dev.sealpost.sieve.run.MessageEnvironment;
import dev.sealpost.sieve.run.Result;
import dev.sealpost.sieve.script.Compiled;
import dev.sealpost.sieve.script.Language;
import dev.sealpost.sieve.script.ParseLimits;
import dev.sealpost.sieve.script.SieveCompiler;
import dev.sealpost.sieve.script.SieveError;
import dev.sealpost.sieve.script.Spec;
import dev.sealpost.sieve.script.Spec.Kind;
import dev.sealpost.sieve.script.Spec.Shape;
import dev.sealpost.sieve.script.Spec.TagSpec;
import dev.sealpost.sieve.script.Spec.Tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pigeonhole's {@code vnd.dovecot.testsuite} extension (see shared/conformance/sieve/SOURCE.md) for
 * running the upstream {@code .svtest} files unchanged. {@code test_error} is relaxed (tier C): it
 * only asks whether there were errors, not their number or wording.
 */
public final class DovecotTestsuite {
    static final String EXTENSION = "vnd.dovecot.testsuite";

    /**
     * Outcome of one file: each test block's name and whether it passed, or the compile errors of
     * the file; {@code reasons} holds the failure reason of each failed block.
     */
    public record FileResult(Map<String, Boolean> blocks, List<SieveError> compileErrors, Map<String, String> reasons) {
        public FileResult(Map<String, Boolean> blocks, List<SieveError> compileErrors) {
            this(blocks, compileErrors, Map.of());
        }
    }

    /** Runs one .svtest file (helper scripts are looked up beside it). */
    public static FileResult run(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Path parent = file.toAbsolutePath().getParent();
        return new DovecotTestsuite(parent).runFile(text);
    }

    static final class TestFailed extends RuntimeException {
        TestFailed(String reason) { super(reason, null, false, false); }
    }

    record Stored(byte[] message, List<String> flags) {}

    record Outgoing(byte[] message, String from, String to) {}

    private final Path dir;
    private byte[] message = "\r\n".getBytes(StandardCharsets.US_ASCII);
    private final Map<String, List<String>> envelope = new HashMap<>();
    private final Map<String, String> config = new HashMap<>();
    private final Interpreter.Actions actions = new Interpreter.Actions();
    private List<String> subFlags;
    private Compiled.Script compiled;
    private List<SieveError> errors = List.of();
    private final Map<String, List<Stored>> mailboxes = new LinkedHashMap<>();
    private final List<Outgoing> outbox = new ArrayList<>();
    private final Map<String, Boolean> blocks = new LinkedHashMap<>();
    private final Map<String, String> reasons = new LinkedHashMap<>();
    private final java.util.Set<String> repliedTo = new java.util.HashSet<>();
    private final java.util.Set<String> seen = new java.util.HashSet<>();

    public DovecotTestsuite(Path dir) {
        this.dir = dir;
    }

    static Language language() {
        Map<String, TagSpec> none = Map.of();
        List<Kind> s = List.of(Kind.STRING);
        List<Kind> ss = List.of(Kind.STRING, Kind.STRING);
        Map<String, TagSpec> messageTags = Language.tags(new TagSpec("smtp", null, "source", null),
                new TagSpec("folder", Kind.STRING, "source", null));
        TagSpec index = new TagSpec("index", Kind.NUMBER, null, null);
        List<Shape> commands = List.of(
                new Shape("test", EXTENSION, none, s, Tests.NONE, true),
                new Shape("test_fail", EXTENSION, none, s, Tests.NONE, false),
                new Shape("test_set", EXTENSION, none, ss, Tests.NONE, false),
                new Shape("test_result_reset", EXTENSION, none, List.of(), Tests.NONE, false),
                new Shape("test_result_print", EXTENSION, none, List.of(), Tests.NONE, false),
                new Shape("test_message_print", EXTENSION, none, List.of(), Tests.NONE, false),
                new Shape("test_message", EXTENSION, messageTags, List.of(Kind.NUMBER), Tests.NONE, false),
                new Shape("test_config_set", EXTENSION, none, ss, Tests.NONE, false),
                new Shape("test_config_unset", EXTENSION, none, s, Tests.NONE, false),
                new Shape("test_config_reload", EXTENSION, Language.tags(new TagSpec("extension", Kind.STRING, null, null)), List.of(), Tests.NONE, false),
                new Shape("test_mailbox_create", EXTENSION, none, s, Tests.NONE, false),
                new Shape("test_binary_save", EXTENSION, none, s, Tests.NONE, false),
                new Shape("test_binary_load", EXTENSION, none, s, Tests.NONE, false));
        List<Shape> tests = List.of(
                new Shape("test_script_compile", EXTENSION, none, s, Tests.NONE, false),
                new Shape("test_script_run", EXTENSION, Language.tags(new TagSpec("append_result", null, null, null)), List.of(), Tests.NONE, false),
                new Shape("test_result_execute", EXTENSION, none, List.of(), Tests.NONE, false),
                new Shape("test_result_action", EXTENSION, Language.matchTags(false, index), List.of(Kind.STRING_LIST), Tests.NONE, false),
                new Shape("test_error", EXTENSION, Language.matchTags(false, index), List.of(Kind.STRING_LIST), Tests.NONE, false),
                new Shape("test_message", EXTENSION, messageTags, List.of(Kind.NUMBER), Tests.NONE, false));
        return Language.standard().with(EXTENSION, commands, tests);
    }

    private Interpreter.Options options() {
        Interpreter.Options d = Interpreter.Options.defaults();
        int maxVar = config.containsKey("sieve_variables_max_variable_size")
                ? Integer.parseInt(config.get("sieve_variables_max_variable_size")) : d.maxVariableSize();
        // a whole test file is one run: more time than one delivery gets, so a busy machine does not fail it
        return new Interpreter.Options(d.maxSteps(), d.maxActions(), d.maxRedirects(), maxVar,
                config.getOrDefault("recipient_delimiter", d.recipientDelimiters()), 60_000, d.maxStringSize(),
                d.maxVariables(), d.maxIncludeDepth());
    }

    private Environment env() {
        return new MessageEnvironment(message, Map.copyOf(envelope));
    }

    /** Environment that follows test_set and test_message as they happen. */
    private final Environment live = new Environment() {
        @Override public List<String> header(String name) { return env().header(name); }
        @Override public List<String> envelope(String part) {
            if (envelope.containsKey(part)) return env().envelope(part);
            // as Pigeonhole's testsuite: without test_set, the sender is Return-Path (else Sender, else From)
            // and the recipient Envelope-To (else To) of the message
            List<String> names = switch (part) {
                case "from" -> List.of("return-path", "sender", "from");
                case "to" -> List.of("envelope-to", "to");
                default -> List.of();
            };
            for (String n : names) {
                List<String> v = env().header(n);
                if (!v.isEmpty()) {
                    List<String> a = dev.sealpost.sieve.internal.Addresses.parse(v.getFirst());
                    if (!a.isEmpty()) return List.of(a.getFirst());
                }
            }
            return List.of();
        }
        @Override public long size() { return env().size(); }
        @Override public String body() { return env().body(); }
        @Override public byte[] message() { return message.clone(); }
        @Override public boolean mailboxExists(String name) { return name.equalsIgnoreCase("INBOX") || mailboxes.containsKey(name); }
        @Override public java.util.Optional<String> includeScript(String name, boolean global) {
            // Pigeonhole's layout: personal scripts in included/ (or beside the test), global ones in included-global/
            for (Path p : global ? List.of(dir.resolve("included-global")) : List.of(dir.resolve("included"), dir)) {
                Path f = p.resolve(name + ".sieve");
                try {
                    if (Files.isRegularFile(f)) return java.util.Optional.of(Files.readString(f, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return java.util.Optional.empty();
                }
            }
            return java.util.Optional.empty();
        }
        @Override public boolean vacationAlreadyReplied(String sender, String handle, java.time.Duration period) {
            return !repliedTo.add(sender + "\u0000" + handle);
        }
        @Override public boolean duplicate(String handle, String value, java.time.Duration period, boolean last) {
            return !seen.add(handle + "\u0000" + value);
        }
        @Override public java.util.Optional<Integer> spamScore(boolean percent) { return score("spam", percent); }
        @Override public java.util.Optional<Integer> virusScore() { return score("virus", false); }
    };

    /** Compiles and runs one .svtest text. */
    public FileResult runFile(String text) {
        SieveCompiler.Result c = SieveCompiler.compile(text, language(), ParseLimits.defaults());
        if (c instanceof SieveCompiler.Errors e) return new FileResult(Map.of(), e.errors());
        Compiled.Script script = ((SieveCompiler.Ok) c).script();
        Map<String, Interpreter.CommandHandler> cmds = new HashMap<>();
        cmds.put("test", (cmd, run) -> {
            String name = run.expand((String) cmd.args().getFirst());
            actions.clear();
            subFlags = null;
            outbox.clear();
            repliedTo.clear(); // the vacation memory lasts one test block
            run.resetEdits();
            run.setFlags(List.of());
            try {
                try {
                    run.runBlock(cmd.block());
                } catch (Interpreter.Stop stop) {
                    // stop ends the test block, as in Pigeonhole
                }
                blocks.put(name, true);
            } catch (TestFailed | Interpreter.RuntimeFailure f) {
                blocks.put(name, false);
                reasons.put(name, f.getMessage());
                if (Boolean.getBoolean("sieve.pigeonhole.verbose")) System.out.println("    FAIL " + name + ": " + f.getMessage());
            }
        });
        cmds.put("test_fail", (cmd, run) -> { throw new TestFailed(run.expand((String) cmd.args().getFirst())); });
        cmds.put("test_set", (cmd, run) -> {
            String what = run.expand((String) cmd.args().get(0)).toLowerCase();
            String value = run.expand((String) cmd.args().get(1));
            // Pigeonhole stores the message with CRLF line ends (its size counts them)
            if (what.equals("message")) {
                message = value.replaceAll("\r?\n", "\r\n").getBytes(StandardCharsets.UTF_8);
                envelope.clear(); // a new message comes with its own envelope (read from its header until set)
                run.resetEdits();
            }
            else if (what.startsWith("envelope.")) {
                String part = what.substring("envelope.".length());
                String path = path(value);
                envelope.put(part, path == null ? List.of() : List.of(path));
            } else run.fail("test_set: unknown item " + what);
        });
        cmds.put("test_result_reset", (cmd, run) -> { actions.clear(); subFlags = null; });
        cmds.put("test_result_print", (cmd, run) -> {});
        cmds.put("test_message_print", (cmd, run) -> {});
        cmds.put("test_message", (cmd, run) -> { if (!selectMessage(cmd.tags(), (Long) cmd.args().getFirst(), run)) run.fail("no such message"); });
        cmds.put("test_config_set", (cmd, run) -> config.put(run.expand((String) cmd.args().get(0)), run.expand((String) cmd.args().get(1))));
        cmds.put("test_config_unset", (cmd, run) -> config.remove(run.expand((String) cmd.args().get(0))));
        cmds.put("test_config_reload", (cmd, run) -> {});
        cmds.put("test_mailbox_create", (cmd, run) -> mailboxes.computeIfAbsent(run.expand((String) cmd.args().get(0)), k -> new ArrayList<>()));
        // tier C: the compiled form is kept in memory; save and load are no-ops
        cmds.put("test_binary_save", (cmd, run) -> {});
        cmds.put("test_binary_load", (cmd, run) -> {});
        Map<String, Interpreter.TestHandler> tests = new HashMap<>();
        tests.put("test_script_compile", (t, run) -> compile(run.expand((String) t.args().getFirst())));
        tests.put("test_script_run", (t, run) -> {
            if (compiled == null) return false;
            if (!t.has("append_result")) actions.clear();
            Result r = new Interpreter(this::options, Map.of(), Map.of()).run(compiled, live, actions);
            subFlags = r.implicitKeepFlags();
            if (r.failed()) errors = List.of(r.error());
            return !r.failed();
        });
        tests.put("test_result_execute", (t, run) -> execute(run));
        tests.put("test_result_action", (t, run) -> {
            int i = (int) (long) (t.tags().get("index") instanceof Long l ? l : 1L);
            List<Action> list = actions.list();
            if (t.has("count")) {
                List<String> names = new ArrayList<>();
                for (Action a : list) names.add(actionName(a));
                if (actions.implicitKeep()) names.add("keep");
                return run.match(t, names, run.expand((List<String>) t.args().getFirst()));
            }
            String name;
            if (i >= 1 && i <= list.size()) name = actionName(list.get(i - 1));
            else if (i == list.size() + 1 && actions.implicitKeep()) name = "keep";
            else return false;
            return run.match(t, List.of(name), run.expand((List<String>) t.args().getFirst()));
        });
        tests.put("test_error", (t, run) -> {
            // tier C: only whether there were errors, never their count or text
            if (t.tags().get("count") instanceof String op) {
                // with errors, answer as if our count were the one asked about; without, with 0
                List<String> keys = run.expand((List<String>) t.args().getFirst());
                for (String k : keys) {
                    String ours = errors.isEmpty() ? "0" : k;
                    if (!errors.isEmpty() && k.equals("0")) ours = "1";
                    if (Match.relation(op, Match.compare("i;ascii-numeric", ours, k))) return true;
                }
                return false;
            }
            return !errors.isEmpty();
        });
        tests.put("test_message", (t, run) -> selectMessage(t.tags(), (Long) t.args().getFirst(), run));
        Interpreter main = new Interpreter(this::options, cmds, tests);
        Result r = main.run(script, live, actions);
        if (r.failed()) return new FileResult(blocks, List.of(r.error()), reasons);
        return new FileResult(blocks, List.of(), reasons);
    }

    private static final String DOMAIN = "[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*";
    private static final String LOCAL = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+|\"([^\"\\\\]|\\\\.)*\"";

    /** An SMTP path as Pigeonhole reads test_set envelope values: the mailbox, "" for the null path, null when invalid. */
    static String path(String v) {
        String s = v.strip();
        if (s.isEmpty() || s.equals("<>")) return "";
        boolean open = s.startsWith("<"), close = s.endsWith(">");
        if (open != close) return null;
        if (open) s = s.substring(1, s.length() - 1);
        if (s.contains("<") || s.contains(">")) return null;
        if (s.startsWith("@")) {
            int colon = s.indexOf(':');
            if (colon < 0) return null;
            for (String hop : s.substring(0, colon).split(",", -1)) if (!hop.matches("@" + DOMAIN)) return null;
            s = s.substring(colon + 1);
        }
        int at = s.lastIndexOf('@');
        if (at < 0) return s.isEmpty() || s.contains(" ") ? null : s;
        String local = s.substring(0, at), domain = s.substring(at + 1);
        if (!local.matches(LOCAL) || !domain.matches(DOMAIN)) return null;
        return s;
    }

    private boolean compile(String name) {
        compiled = null;
        Path p = dir.resolve(name);
        String text;
        try {
            text = Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            errors = List.of(new SieveError(SieveError.Kind.COMPILE, 0, "cannot read " + name));
            return false;
        }
        SieveCompiler.Result c = SieveCompiler.compile(text, Language.standard(), ParseLimits.defaults());
        if (c instanceof SieveCompiler.Ok ok) {
            int depth = config.containsKey("sieve_include_max_nesting_depth")
                    ? Integer.parseInt(config.get("sieve_include_max_nesting_depth")) : options().maxIncludeDepth();
            List<SieveError> inc = dev.sealpost.sieve.run.IncludeCheck.check(ok.script(), live, depth);
            if (!inc.isEmpty()) {
                errors = inc;
                return false;
            }
            compiled = ok.script();
            errors = List.of();
            return true;
        }
        errors = ((SieveCompiler.Errors) c).errors();
        return false;
    }

    private static String actionName(Action a) {
        return switch (a) {
            case Action.Keep k -> "keep";
            case Action.FileInto f -> "store";
            case Action.Redirect r -> "redirect";
            case Action.Reject r -> "reject";
            case Action.Discard d -> "discard";
            case Action.Vacation v -> "vacation";
            case Action.Notify n -> "notify";
            case Action.AddHeader h -> "addheader";
            case Action.DeleteHeader h -> "deleteheader";
        };
    }

    private boolean execute(Interpreter.Run run) {
        String from = live.envelope("from").isEmpty() ? "" : live.envelope("from").getFirst();
        for (Action a : actions.list()) {
            switch (a) {
                case Action.Keep k -> mailboxes.computeIfAbsent("INBOX", x -> new ArrayList<>()).add(new Stored(message, k.flags()));
                case Action.FileInto f -> mailboxes.computeIfAbsent(f.mailbox(), x -> new ArrayList<>()).add(new Stored(message, f.flags()));
                case Action.Redirect r -> {
                    String rcpt = live.envelope("to").isEmpty() ? "" : live.envelope("to").getFirst();
                    byte[] head = ("X-Sieve-Redirected-From: " + rcpt + "\r\n").getBytes(StandardCharsets.UTF_8);
                    byte[] m = new byte[head.length + message.length];
                    System.arraycopy(head, 0, m, 0, head.length);
                    System.arraycopy(message, 0, m, head.length, message.length);
                    outbox.add(new Outgoing(m, from, r.address()));
                }
                case Action.Reject r -> {
                    if (r.ereject() || from.isEmpty()) break;
                    String bounce = "From: Postmaster <postmaster@example.net>\r\nTo: <" + from + ">\r\n"
                            + "Subject: Automatically rejected mail\r\nMIME-Version: 1.0\r\n"
                            + "Content-Type: text/plain\r\n\r\n" + r.reason() + "\r\n";
                    outbox.add(new Outgoing(bounce.getBytes(StandardCharsets.UTF_8), "", from));
                }
                case Action.Discard d -> {}
                case Action.Vacation v -> { if (v.sends()) outbox.add(new Outgoing(v.reply(), "", v.to())); }
                case Action.Notify n -> {
                    List<String> to = dev.sealpost.sieve.internal.Mailto.recipients(n.method());
                    String body = "From: " + (n.from() == null ? "postmaster@example.net" : n.from()) + "\r\nTo: " + String.join(", ", to)
                            + "\r\nSubject: " + (n.message() == null ? "Notification" : n.message())
                            + "\r\nAuto-Submitted: auto-notified\r\n\r\n" + (n.message() == null ? "" : n.message()) + "\r\n";
                    for (String t : to) outbox.add(new Outgoing(body.getBytes(StandardCharsets.UTF_8), "", t));
                }
                case Action.AddHeader h -> message = editedAdd(message, h);
                case Action.DeleteHeader h -> message = editedDelete(message, h);
            }
        }
        if (actions.implicitKeep()) {
            mailboxes.computeIfAbsent("INBOX", x -> new ArrayList<>()).add(new Stored(message, subFlags != null ? subFlags : run.flags()));
        }
        actions.clear();
        return true;
    }

    /** Pigeonhole's spamtest/virustest settings: a header (with a regex whose group 1 is the value), its type and the maximum. */
    private java.util.Optional<Integer> score(String kind, boolean percent) {
        String status = config.get("sieve_" + kind + "test_status_header");
        if (status == null) return java.util.Optional.empty();
        int colon = status.indexOf(':');
        String header = colon < 0 ? status : status.substring(0, colon);
        java.util.regex.Pattern re = colon < 0 ? null : java.util.regex.Pattern.compile(status.substring(colon + 1).strip());
        List<String> values = env().header(header);
        if (values.isEmpty()) return java.util.Optional.empty();
        String raw = values.getFirst();
        if (re != null) {
            java.util.regex.Matcher m = re.matcher(header + ": " + raw);
            java.util.regex.Matcher m2 = re.matcher(raw);
            if (m.find() && m.groupCount() >= 1) raw = m.group(1);
            else if (m2.find() && m2.groupCount() >= 1) raw = m2.group(1);
            else return java.util.Optional.empty();
        }
        int top = kind.equals("spam") ? 10 : 5;
        String type = config.getOrDefault("sieve_" + kind + "test_status_type", "score");
        if (type.equals("text")) {
            for (int i = 0; i <= top; i++) {
                if (raw.strip().equals(config.get("sieve_" + kind + "test_text_value/" + i))) {
                    return java.util.Optional.of(percent ? (i == 0 ? 0 : (i - 1) * 100 / (top - 1)) : i);
                }
            }
            return java.util.Optional.empty();
        }
        double score, max;
        try {
            score = type.equals("strlen") ? raw.strip().length() : Double.parseDouble(raw.strip());
            String maxHeader = config.get("sieve_" + kind + "test_score_max_header");
            if (maxHeader != null) {
                int c2 = maxHeader.indexOf(':');
                String hn = c2 < 0 ? maxHeader : maxHeader.substring(0, c2);
                List<String> mv = env().header(hn);
                if (mv.isEmpty()) return java.util.Optional.empty();
                String mraw = mv.getFirst();
                if (c2 >= 0) {
                    java.util.regex.Pattern mre = java.util.regex.Pattern.compile(maxHeader.substring(c2 + 1).strip());
                    java.util.regex.Matcher m = mre.matcher(hn + ": " + mraw);
                    if (!m.find()) return java.util.Optional.empty();
                    mraw = m.group(1);
                }
                max = Double.parseDouble(mraw.strip());
            } else {
                max = Double.parseDouble(config.getOrDefault("sieve_" + kind + "test_score_max_value", "10"));
            }
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
        double ratio = Math.max(0, Math.min(1, score / max));
        if (percent) return java.util.Optional.of((int) Math.floor(100 * ratio));
        return java.util.Optional.of(1 + (int) Math.floor((top - 1) * ratio));
    }

    private static byte[] editedAdd(byte[] msg, Action.AddHeader h) {
        String text = new String(msg, StandardCharsets.UTF_8);
        String field = h.name() + ": " + h.value() + "\r\n";
        if (!h.last()) return (field + text).getBytes(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) return (text + field).getBytes(StandardCharsets.UTF_8);
        return (text.substring(0, end + 2) + field + text.substring(end + 2)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] editedDelete(byte[] msg, Action.DeleteHeader h) {
        String text = new String(msg, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end + 2), rest = end < 0 ? "" : text.substring(end + 2);
        List<String> fields = new ArrayList<>();
        for (String line : head.split("\r\n")) {
            if (!fields.isEmpty() && (line.startsWith(" ") || line.startsWith("\t"))) fields.set(fields.size() - 1, fields.getLast() + "\r\n" + line);
            else if (!line.isEmpty()) fields.add(line);
        }
        List<String> values = new ArrayList<>(h.values());
        StringBuilder out = new StringBuilder();
        for (String f : fields) {
            int colon = f.indexOf(':');
            if (colon > 0 && f.substring(0, colon).strip().equalsIgnoreCase(h.name())) {
                String v = f.substring(colon + 1).replace("\r\n", "").strip();
                if (values.remove(v)) continue;
            }
            out.append(f).append("\r\n");
        }
        return (out + rest).getBytes(StandardCharsets.UTF_8);
    }

    private boolean selectMessage(Map<String, Object> tags, long n, Interpreter.Run run) {
        if (tags.get("folder") instanceof String box) {
            List<Stored> msgs = mailboxes.get(run.expand(box));
            if (msgs == null || n < 0 || n >= msgs.size()) return false;
            message = msgs.get((int) n).message();
            run.resetEdits();
            run.setFlags(msgs.get((int) n).flags()); // as Pigeonhole: hasflag then sees the stored message's flags
            return true;
        }
        if (n < 0 || n >= outbox.size()) return false;
        Outgoing o = outbox.get((int) n);
        message = o.message();
        run.resetEdits();
        envelope.put("from", List.of(o.from()));
        envelope.put("to", List.of(o.to()));
        return true;
    }
}
