package dev.sealpost.sieve.run;

import dev.sealpost.sieve.internal.Dates;
import dev.sealpost.sieve.internal.Mailto;
import dev.sealpost.sieve.script.Compiled;
import dev.sealpost.sieve.script.Language;
import dev.sealpost.sieve.script.ParseLimits;
import dev.sealpost.sieve.script.SieveCompiler;
import dev.sealpost.sieve.script.SieveError;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The commands and tests of the extensions beyond the base language, run by {@link Interpreter}:
 * vacation (RFC 5230, RFC 6131), include (RFC 6609), ihave (RFC 5463), environment (RFC 5183),
 * date and index (RFC 5260), editheader (RFC 5293), duplicate (RFC 7352), mailboxid (RFC 9042),
 * special-use (RFC 8579), spamtest and virustest (RFC 5235), enotify with mailto (RFC 5435, 5436).
 */
final class Extensions {
    private Extensions() {}

    /** RFC 7352 §3.2: the default and longest duplicate tracking periods (Pigeonhole's defaults). */
    static final Duration DUPLICATE_DEFAULT = Duration.ofHours(12);
    static final Duration DUPLICATE_MAX = Duration.ofDays(2);

    @SuppressWarnings("unchecked")
    static void command(Compiled.Command c, Interpreter.Run run) {
        switch (c.name()) {
            case "vacation" -> Vacation.run(c, run);
            case "include" -> include(c, run);
            case "global" -> {
                // RFC 6609 §3.3: global names variables shared with the including and included scripts
                for (String n : (List<String>) c.args().getFirst()) run.declareGlobal(n);
            }
            // RFC 5463 §5: error ends the script with a run-time error
            case "error" -> run.fail("error: " + run.expand((String) c.args().getFirst()));
            case "addheader" -> addHeader(c, run);
            case "deleteheader" -> deleteHeader(c, run);
            case "notify" -> notify(c, run);
            default -> run.fail("no implementation for command " + c.name());
        }
    }

    @SuppressWarnings("unchecked")
    static boolean test(Compiled.Test t, Interpreter.Run run) {
        Environment env = run.environment();
        switch (t.name()) {
            case "ihave": {
                // RFC 5463 §4: true when every named extension is available
                for (String e : run.expand((List<String>) t.args().getFirst())) {
                    if (!Language.STANDARD_EXTENSIONS.contains(e) || !Language.ihaveable(e)) return false;
                }
                return true;
            }
            case "environment": {
                // RFC 5183 §4: an item that is not known makes the test false
                Optional<String> v = env.environmentItem(run.expand((String) t.args().get(0)).toLowerCase(Locale.ROOT));
                return v.isPresent() && run.match(t, List.of(v.get()), run.expand((List<String>) t.args().get(1)));
            }
            case "date": {
                // RFC 5260 §4: the date of a header field, in the chosen zone
                String part = run.expand((String) t.args().get(1));
                List<String> values = new ArrayList<>();
                for (String v : index(t, run.headers(run.expand((String) t.args().get(0))))) {
                    // RFC 5260 §4.1: for Received, the date is after the last ";"
                    String text = v.lastIndexOf(';') >= 0 ? v.substring(v.lastIndexOf(';') + 1) : v;
                    ZonedDateTime d = Dates.parse(text);
                    if (d == null) continue; // RFC 5260 §4.1: a field without a valid date does not match
                    d = inZone(t, d, run);
                    String p = Dates.part(d, part);
                    if (p != null) values.add(p);
                }
                return !values.isEmpty() && run.match(t, values, run.expand((List<String>) t.args().get(2)))
                        || values.isEmpty() && t.has("count") && run.match(t, values, run.expand((List<String>) t.args().get(2)));
            }
            case "currentdate": {
                // RFC 5260 §5
                ZonedDateTime d = inZone(t, env.now(), run);
                String p = Dates.part(d, run.expand((String) t.args().get(0)));
                return p != null && run.match(t, List.of(p), run.expand((List<String>) t.args().get(1)));
            }
            case "duplicate": return duplicate(t, run);
            case "mailboxidexists": {
                // RFC 9042 §4: true when every id names an existing mailbox
                for (String id : run.expand((List<String>) t.args().getFirst())) if (!env.mailboxIdExists(id)) return false;
                return true;
            }
            case "specialuse_exists": {
                // RFC 8579 §3: true when every flag is on the named mailbox (or on some mailbox)
                String box = t.args().get(0) == null ? null : run.expand((String) t.args().get(0));
                if (box != null && !env.mailboxExists(box)) return false;
                for (String f : run.expand((List<String>) t.args().get(1))) if (!env.specialUseExists(box, f)) return false;
                return true;
            }
            case "spamtest": {
                // RFC 5235 §3.2: "0" when not tested; §3.3 (:percent) 0-100
                Optional<Integer> v = env.spamScore(t.has("percent"));
                return run.match(t, List.of(String.valueOf(v.orElse(0))), run.expand(List.of((String) t.args().getFirst())));
            }
            case "virustest": {
                // RFC 5235 §3.4: "0" when not tested
                return run.match(t, List.of(String.valueOf(env.virusScore().orElse(0))), run.expand(List.of((String) t.args().getFirst())));
            }
            case "valid_notify_method": {
                // RFC 5435 §5: true when every URI is a method we support with valid syntax
                for (String uri : run.expand((List<String>) t.args().getFirst())) if (!Mailto.valid(uri)) return false;
                return true;
            }
            case "notify_method_capability": {
                // RFC 5435 §6: the only capability is "online"; mailto cannot know it: "maybe"
                String uri = run.expand((String) t.args().get(0));
                String cap = run.expand((String) t.args().get(1));
                if (!Mailto.valid(uri) || !cap.equalsIgnoreCase("online")) return false;
                return run.match(t, List.of("maybe"), run.expand((List<String>) t.args().get(2)));
            }
            default: run.fail("no implementation for test " + t.name());
        }
        return false;
    }

    private static ZonedDateTime inZone(Compiled.Test t, ZonedDateTime d, Interpreter.Run run) {
        if (t.has("originalzone")) return d; // RFC 5260 §4.3
        if (t.tags().get("zone") instanceof String z) {
            ZoneOffset zo = Dates.zone(run.expand(z));
            if (zo == null) run.fail(t.name() + ": invalid :zone \"" + z + "\"");
            return d.withZoneSameInstant(zo);
        }
        return d.withZoneSameInstant(run.environment().now().getZone()); // RFC 5260 §4.3: the local zone by default
    }

    /** RFC 5260 §6: with :index N only the N-th value (from the end with :last); all values otherwise. */
    static List<String> index(Compiled.Test t, List<String> values) {
        if (!(t.tags().get("index") instanceof Long n)) return values;
        int i = (int) Math.min(n, Integer.MAX_VALUE);
        if (i < 1 || i > values.size()) return List.of();
        return List.of(t.has("last") ? values.get(values.size() - i) : values.get(i - 1));
    }

    private static boolean duplicate(Compiled.Test t, Interpreter.Run run) {
        String value;
        if (t.tags().get("uniqueid") instanceof String u) value = run.expand(u);
        else {
            // RFC 7352 §3.1: the Message-ID by default, or the named header field; absent: not a duplicate
            String name = t.tags().get("header") instanceof String h ? run.expand(h) : "message-id";
            List<String> v = run.headers(name);
            if (v.isEmpty()) return false;
            value = v.getFirst().strip();
        }
        String handle = t.tags().get("handle") instanceof String h ? run.expand(h) : "";
        Duration period = t.tags().get("seconds") instanceof Long sec ? Duration.ofSeconds(sec) : DUPLICATE_DEFAULT;
        if (period.compareTo(DUPLICATE_MAX) > 0) period = DUPLICATE_MAX;
        return run.environment().duplicate(handle, value, period, t.has("last"));
    }

    // RFC 6609 §3.2: include
    private static void include(Compiled.Command c, Interpreter.Run run) {
        boolean global = c.has("global");
        String name = run.expand((String) c.args().getFirst());
        // RFC 6609 §3.2: a script name is not a path
        if (name.isEmpty() || name.contains("/") || name.contains("\u0000")) run.fail("include: invalid script name \"" + name + "\"");
        String key = (global ? "global:" : "personal:") + name;
        Interpreter.Shared shared = run.shared;
        if (c.has("once") && shared.includedOnce.contains(key)) return;
        // RFC 6609 §3.2: a script including itself, directly or not, is an error
        if (shared.includeStack.contains(key)) run.limit(SieveError.Kind.LIMIT_INCLUDE, "include loop: \"" + name + "\" is already being run");
        if (shared.includeStack.size() >= run.options().maxIncludeDepth()) {
            run.limit(SieveError.Kind.LIMIT_INCLUDE, "includes nested more than " + run.options().maxIncludeDepth() + " deep");
        }
        Optional<String> text = run.environment().includeScript(name, global);
        if (text.isEmpty()) {
            if (c.has("optional")) return; // RFC 6609 §3.2: :optional ignores a missing script
            run.fail("include: script \"" + name + "\" not found");
        }
        SieveCompiler.Result r = SieveCompiler.compile(text.get(), Language.standard(), ParseLimits.defaults());
        if (r instanceof SieveCompiler.Errors e) run.fail("include: \"" + name + "\" does not compile: " + e.errors().getFirst());
        Compiled.Script script = ((SieveCompiler.Ok) r).script();
        shared.includedOnce.add(key);
        shared.includeStack.push(key);
        Interpreter.Run child = run.child(script);
        try {
            child.runBlock(script.commands());
        } catch (Interpreter.Return ret) {
            // RFC 6609 §3.3: return ends the included script only
        } finally {
            shared.includeStack.pop();
            run.takeFlags(child);
        }
    }

    private static final java.util.Set<String> PROTECTED = java.util.Set.of("received", "auto-submitted");

    // RFC 5293 §4: addheader
    private static void addHeader(Compiled.Command c, Interpreter.Run run) {
        String name = run.expand((String) c.args().get(0));
        String value = run.expand((String) c.args().get(1));
        if (!name.matches("[\\x21-\\x39\\x3b-\\x7e]+")) run.fail("addheader: invalid header field name \"" + name + "\"");
        // RFC 5293 §7: the value may not hold bare line ends or NUL; folding is the environment's job
        value = value.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ').replace("\u0000", "");
        // A site may protect fields (RFC 5293 §7); as Pigeonhole, Received and Auto-Submitted are never touched
        if (PROTECTED.contains(name.toLowerCase(Locale.ROOT))) return;
        List<String> current = run.editableHeaders(name);
        run.shared.sizeDelta += name.length() + value.length() + 4; // "name: value" CRLF
        if (c.has("last")) current.add(value);
        else current.addFirst(value);
        run.add(new Action.AddHeader(name, value, c.has("last")), false);
    }

    // RFC 5293 §5: deleteheader
    @SuppressWarnings("unchecked")
    private static void deleteHeader(Compiled.Command c, Interpreter.Run run) {
        String name = run.expand((String) c.args().get(0));
        if (PROTECTED.contains(name.toLowerCase(Locale.ROOT))) return;
        List<String> current = run.editableHeaders(name);
        List<String> patterns = c.args().get(1) == null ? null : run.expand((List<String>) c.args().get(1));
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < current.size(); i++) positions.add(i);
        if (c.tags().get("index") instanceof Long n) {
            int i = (int) Math.min(n, Integer.MAX_VALUE);
            if (i > current.size()) return;
            positions = List.of(c.has("last") ? current.size() - i : i - 1);
        }
        Compiled.Test asTest = new Compiled.Test("deleteheader", c.tags(), List.of(), List.of(), c.line());
        List<String> deleted = new ArrayList<>();
        List<String> saved = run.matchVars();
        for (int i = positions.size() - 1; i >= 0; i--) {
            int at = positions.get(i);
            String v = current.get(at);
            if (patterns == null || run.match(asTest, List.of(v), patterns)) {
                current.remove(at);
                deleted.addFirst(v);
                run.shared.sizeDelta -= name.length() + v.length() + 4;
            }
        }
        run.restoreMatchVars(saved);
        if (!deleted.isEmpty()) run.add(new Action.DeleteHeader(name, deleted), false);
    }

    // RFC 5435 §3: notify
    @SuppressWarnings("unchecked")
    private static void notify(Compiled.Command c, Interpreter.Run run) {
        String method = run.expand((String) c.args().getFirst());
        // RFC 5435 §3.7: an unsupported or invalid method is a run-time error
        if (!Mailto.valid(method)) run.fail("notify: invalid or unsupported method \"" + method + "\"");
        String from = c.tags().get("from") instanceof String f ? run.expand(f) : null;
        String importance = c.tags().get("importance") instanceof String i ? run.expand(i) : "2";
        List<String> options = c.tags().get("options") instanceof List<?> o ? run.expand((List<String>) o) : List.of();
        String message = c.tags().get("message") instanceof String m ? run.expand(m) : null;
        if (from != null && !Mailto.validFrom(from)) run.fail("notify: invalid :from address \"" + from + "\""); // RFC 5436 §2.3
        for (String o : options) if (!Mailto.validOption(o)) run.fail("notify: invalid option \"" + o + "\""); // RFC 5435 §3.5
        // RFC 5436 §2.7: never notify about a message that is itself automatic
        for (String a : run.headers("auto-submitted")) if (!a.strip().toLowerCase(Locale.ROOT).startsWith("no")) return;
        run.add(new Action.Notify(method, from, importance, options, message), false);
    }

    /** RFC 5435 §6: percent-encode all but the URI unreserved characters (RFC 3986 §2.3). */
    static String encodeUrl(String v) {
        StringBuilder out = new StringBuilder();
        for (byte b : v.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
