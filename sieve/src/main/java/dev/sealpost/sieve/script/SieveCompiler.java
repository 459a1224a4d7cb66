package dev.sealpost.sieve.script;

import dev.sealpost.sieve.script.Spec.Kind;
import dev.sealpost.sieve.script.Spec.Shape;
import dev.sealpost.sieve.script.Spec.TagSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks a parsed script against a {@link Language} and builds its {@link Compiled} form. Every
 * error found is reported (with its line); a script with any error does not compile.
 */
public final class SieveCompiler {
    /** Outcome of compiling. */
    public sealed interface Result permits Ok, Errors {}

    public record Ok(Compiled.Script script) implements Result {}

    public record Errors(List<SieveError> errors) implements Result {
        public Errors { errors = List.copyOf(errors); }
    }

    private static final Set<String> RELATIONAL = Set.of("gt", "ge", "lt", "le", "eq", "ne");
    private static final Set<String> COMPARATORS = Set.of("i;octet", "i;ascii-casemap", "i;ascii-numeric", "i;unicode-casemap");

    private final Language language;
    private final List<SieveError> errors = new ArrayList<>();
    private final Set<String> required = new HashSet<>();

    private SieveCompiler(Language language) {
        this.language = language;
    }

    /** Parses and compiles {@code text}. */
    public static Result compile(String text, Language language, ParseLimits limits) {
        return switch (SieveParser.parse(text, limits)) {
            case SieveParser.Failed f -> new Errors(List.of(f.error()));
            case SieveParser.Parsed p -> compile(p.script(), language);
        };
    }

    public static Result compile(String text) {
        return compile(text, Language.standard(), ParseLimits.defaults());
    }

    public static Result compile(Ast.Script script, Language language) {
        SieveCompiler c = new SieveCompiler(language);
        List<Compiled.Command> out = c.block(script.commands(), true);
        return c.errors.isEmpty() ? new Ok(new Compiled.Script(out, c.required)) : new Errors(c.errors);
    }

    private void error(int line, String message) {
        errors.add(new SieveError(SieveError.Kind.COMPILE, line, message));
    }

    private List<Compiled.Command> block(List<Ast.Command> commands, boolean top) {
        List<Compiled.Command> out = new ArrayList<>();
        boolean requireAllowed = top;
        String previous = null;
        for (Ast.Command cmd : commands) {
            if (cmd.name().equals("require")) {
                // RFC 5228 §3.2: require only at the start of the script, before any other command
                if (!requireAllowed) error(cmd.line(), "require must come before any other command");
                require(cmd);
                previous = "require";
                continue;
            }
            requireAllowed = false;
            // RFC 5228 §3.1: elsif and else only after if or elsif
            if ((cmd.name().equals("elsif") || cmd.name().equals("else"))
                    && !("if".equals(previous) || "elsif".equals(previous))) {
                error(cmd.line(), cmd.name() + " without a preceding if");
            }
            previous = cmd.name();
            Compiled.Command c = command(cmd);
            if (c != null) out.add(c);
        }
        return out;
    }

    private void require(Ast.Command cmd) {
        if (cmd.args().size() != 1 || !(cmd.args().getFirst() instanceof Ast.Strings s) || !cmd.tests().isEmpty() || cmd.block() != null) {
            error(cmd.line(), "require takes one string list");
            return;
        }
        for (String ext : s.values()) {
            if (!language.knowsExtension(ext)) error(cmd.line(), "unknown extension \"" + ext + "\"");
            else {
                required.add(ext);
                // RFC 5235 §3.3: spamtestplus implies spamtest; RFC 6131 §2: vacation-seconds implies vacation
                if (ext.equals("spamtestplus")) required.add("spamtest");
                if (ext.equals("vacation-seconds")) required.add("vacation");
            }
        }
    }

    private Compiled.Command command(Ast.Command cmd) {
        Shape shape = language.command(cmd.name());
        if (shape == null) {
            error(cmd.line(), "unknown command '" + cmd.name() + "'");
            return null;
        }
        checkExtension(shape.extension(), cmd.line(), "command '" + cmd.name() + "'");
        if (shape.block() && cmd.block() == null) error(cmd.line(), "command '" + cmd.name() + "' needs a block");
        if (!shape.block() && cmd.block() != null) error(cmd.line(), "command '" + cmd.name() + "' takes no block");
        List<Compiled.Test> tests = tests(shape, cmd.tests(), cmd.line(), "command '" + cmd.name() + "'");
        Map<String, Object> tags = new LinkedHashMap<>();
        List<Object> args = new ArrayList<>();
        arguments(shape, cmd.args(), cmd.line(), tags, args);
        List<Compiled.Command> block = cmd.block() == null ? null : guardedBlock(cmd);
        extensionChecks(cmd.name(), tags, args, cmd.line());
        if (cmd.name().equals("set") && args.size() == 2 && args.getFirst() instanceof String name
                && !name.matches((required.contains("include") ? "(?i:global\\.)?" : "") + "[A-Za-z_][A-Za-z0-9_]*")) {
            // RFC 5229 §4: the name is a variable-name (identifier)
            error(cmd.line(), "invalid variable name \"" + name + "\"");
        }
        if (cmd.name().equals("redirect") && args.size() == 1 && args.getFirst() instanceof String to
                && !(required.contains("variables") && to.contains("${"))) {
            // RFC 5228 §4.2: a literal address that is not valid is an error found at compile time
            java.util.List<String> parsed = dev.sealpost.sieve.internal.Addresses.parse(to);
            if (parsed.size() != 1 || dev.sealpost.sieve.internal.Addresses.localPart(parsed.getFirst()).isEmpty()
                    || dev.sealpost.sieve.internal.Addresses.domain(parsed.getFirst()).isEmpty()) {
                error(cmd.line(), "redirect: invalid address \"" + to + "\"");
            }
        }
        return new Compiled.Command(cmd.name(), tags, args, tests, block, cmd.line());
    }

    private List<Compiled.Test> tests(Shape shape, List<Ast.Test> given, int line, String what) {
        switch (shape.tests()) {
            case NONE -> { if (!given.isEmpty()) error(line, what + " takes no test"); }
            case ONE -> { if (given.size() != 1) error(line, what + " takes exactly one test"); }
            case LIST -> { if (given.isEmpty()) error(line, what + " takes a test list"); }
        }
        List<Compiled.Test> out = new ArrayList<>();
        for (Ast.Test t : given) {
            Compiled.Test c = test(t);
            if (c != null) out.add(c);
        }
        return out;
    }

    private Compiled.Test test(Ast.Test t) {
        Shape shape = language.test(t.name());
        if (shape == null) {
            error(t.line(), "unknown test '" + t.name() + "'");
            return null;
        }
        checkExtension(shape.extension(), t.line(), "test '" + t.name() + "'");
        List<Compiled.Test> tests = tests(shape, t.tests(), t.line(), "test '" + t.name() + "'");
        Map<String, Object> tags = new LinkedHashMap<>();
        List<Object> args = new ArrayList<>();
        arguments(shape, t.args(), t.line(), tags, args);
        extensionChecks(t.name(), tags, args, t.line());
        if (t.name().equals("size") && !tags.containsKey("over") && !tags.containsKey("under")) {
            error(t.line(), "size needs :over or :under"); // RFC 5228 §5.9
        }
        return new Compiled.Test(t.name(), tags, args, tests, t.line());
    }

    /**
     * RFC 5463 §4: the block of an if/elsif whose test is ihave of known extensions compiles with
     * those extensions required; when one is unknown the block is not compiled at all (it can
     * never run) and is left empty.
     */
    private List<Compiled.Command> guardedBlock(Ast.Command cmd) {
        List<String> guarded = null;
        if ((cmd.name().equals("if") || cmd.name().equals("elsif")) && cmd.tests().size() == 1
                && cmd.tests().getFirst().name().equals("ihave") && required.contains("ihave")
                && cmd.tests().getFirst().args().size() == 1 && cmd.tests().getFirst().args().getFirst() instanceof Ast.Strings s) {
            guarded = s.values();
            for (String ext : guarded) if (!language.knowsExtension(ext) || !Language.ihaveable(ext)) return List.of();
        }
        if (guarded == null) return block(cmd.block(), false);
        Set<String> added = new HashSet<>();
        for (String ext : guarded) if (required.add(ext)) added.add(ext);
        try {
            return block(cmd.block(), false);
        } finally {
            required.removeAll(added);
        }
    }

    private final Set<String> localSet = new HashSet<>();

    /** A script name (ManageSieve §1.6) holds no control characters (nor, here, a path separator). */
    public static boolean validScriptName(String n) {
        if (n.isEmpty() || n.length() > 1024) return false;
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x2028 || c == 0x2029 || c == '/') return false;
        }
        return true;
    }

    private static final java.util.regex.Pattern FIELD_NAME = java.util.regex.Pattern.compile("[\\x21-\\x39\\x3b-\\x7e]+");

    /** Checks of extension arguments that can be made at compile time (literal values only). */
    @SuppressWarnings("unchecked")
    private void extensionChecks(String name, Map<String, Object> tags, List<Object> args, int line) {
        if (tags.containsKey("regex") && !args.isEmpty() && args.getLast() instanceof List<?> keys) {
            // draft-ietf-sieve-regex-01 §3: an invalid literal pattern is a compile error
            for (String k : (List<String>) keys) {
                if (required.contains("variables") && k.contains("${")) continue;
                String why = dev.sealpost.sieve.internal.Regex.check(k);
                if (why != null) error(line, "invalid regex \"" + k + "\": " + why);
            }
        }
        switch (name) {
            case "include" -> {
                if (!args.isEmpty() && args.getFirst() instanceof String n && !validScriptName(n)) {
                    error(line, "include: invalid script name \"" + n + "\""); // RFC 6609 §3.2: a script name as ManageSieve defines it
                }
            }
            case "global" -> {
                // RFC 6609 §3.3: global needs the variables extension; a variable set before as local cannot become global
                if (!required.contains("variables")) error(line, "global needs require \"variables\"");
                if (!args.isEmpty() && args.getFirst() instanceof List<?> names) {
                    for (Object n : names) {
                        if (localSet.contains(((String) n).toLowerCase(Locale.ROOT))) error(line, "global: \"" + n + "\" was already used as a local variable");
                    }
                }
            }
            case "set" -> {
                if (!args.isEmpty() && args.getFirst() instanceof String n) localSet.add(n.toLowerCase(Locale.ROOT));
            }
            case "addheader", "deleteheader" -> {
                // RFC 5293 §4, §5: field-name = 1*ftext (RFC 5322 §3.6.8)
                if (!args.isEmpty() && args.getFirst() instanceof String f && !(f.contains("${") && required.contains("variables"))
                        && !FIELD_NAME.matcher(f).matches()) error(line, name + ": invalid header field name \"" + f + "\"");
                if (name.equals("deleteheader") && tags.containsKey("last") && !tags.containsKey("index")) {
                    error(line, "deleteheader: :last needs :index"); // RFC 5293 §5
                }
                if (tags.get("index") instanceof Long n && n < 1) error(line, name + ": :index must be 1 or more");
            }
            case "header", "address", "date" -> {
                if (tags.containsKey("last") && !tags.containsKey("index")) error(line, name + ": :last needs :index"); // RFC 5260 §6
            }
            case "notify" -> {
                // RFC 5435 §3.3: importance is "1", "2" or "3"
                if (tags.get("importance") instanceof String imp && !imp.matches("[123]")) error(line, "notify: :importance must be \"1\", \"2\" or \"3\"");
                if (!args.isEmpty() && args.getFirst() instanceof String m && !m.contains("${")
                        && !dev.sealpost.sieve.internal.Mailto.valid(m)) error(line, "notify: invalid method \"" + m + "\""); // RFC 5435 §3.7
                if (tags.get("from") instanceof String f && !f.contains("${") && !dev.sealpost.sieve.internal.Mailto.validFrom(f)) {
                    error(line, "notify: invalid :from address \"" + f + "\""); // RFC 5436 §2.3
                }
                if (tags.get("options") instanceof List<?> opts) {
                    for (Object o : opts) {
                        if (!((String) o).contains("${") && !dev.sealpost.sieve.internal.Mailto.validOption((String) o)) {
                            error(line, "notify: invalid option \"" + o + "\""); // RFC 5435 §3.5
                        }
                    }
                }
            }
            default -> {}
        }
        if (name.equals("date") || name.equals("currentdate")) {
            // RFC 5260 §4.3: a literal zone is +hhmm or -hhmm
            if (tags.get("zone") instanceof String z && !z.contains("${") && !z.matches("[+-][0-9]{4}")) error(line, name + ": invalid :zone \"" + z + "\"");
        }
    }

    private void checkExtension(String ext, int line, String what) {
        if (ext != null && !required.contains(ext)) {
            error(line, what + " needs require \"" + ext + "\""); // RFC 5228 §3.2
        }
    }

    private void arguments(Shape shape, List<Ast.Argument> given, int line, Map<String, Object> tags, List<Object> args) {
        Map<String, String> groups = new HashMap<>();
        List<Ast.Argument> positional = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            Ast.Argument a = given.get(i);
            if (!(a instanceof Ast.Tag tag)) {
                positional.add(a);
                continue;
            }
            if (!positional.isEmpty()) {
                error(tag.line(), "tag :" + tag.name() + " after positional arguments of '" + shape.name() + "'");
                return;
            }
            TagSpec ts = shape.tags().get(tag.name());
            if (ts == null) {
                error(tag.line(), "unknown tag :" + tag.name() + " for '" + shape.name() + "'");
                continue;
            }
            checkExtension(ts.extension(), tag.line(), "tag :" + tag.name());
            if (tags.containsKey(tag.name())) error(tag.line(), "tag :" + tag.name() + " given twice");
            if (ts.group() != null) {
                String other = groups.put(ts.group(), tag.name());
                if (other != null && !other.equals(tag.name())) error(tag.line(), "tags :" + other + " and :" + tag.name() + " exclude each other");
            }
            Object value = Boolean.TRUE;
            if (ts.param() != null) {
                if (i + 1 >= given.size()) {
                    error(tag.line(), "tag :" + tag.name() + " needs a value");
                    return;
                }
                value = value(given.get(++i), ts.param(), tag.line(), "value of :" + tag.name());
                if (value == null) return;
            }
            tags.put(tag.name(), value);
        }
        int want = shape.positional().size();
        int min = Language.optionalFirst(shape.name()) || Language.optionalLast(shape.name()) ? want - 1 : want;
        if (positional.size() < min || positional.size() > want) {
            error(line, "'" + shape.name() + "' takes " + (min == want ? "" + want : min + " or " + want)
                    + " positional arguments, not " + positional.size());
            return;
        }
        int offset = Language.optionalLast(shape.name()) ? 0 : want - positional.size();
        if (offset > 0) args.add(null);
        for (int k = 0; k < positional.size(); k++) {
            Object v = value(positional.get(k), shape.positional().get(k + offset), line, "argument " + (k + 1) + " of '" + shape.name() + "'");
            args.add(v);
        }
        while (args.size() < want) args.add(null);
        checkMatch(tags, line);
    }

    private Object value(Ast.Argument a, Kind kind, int line, String what) {
        switch (kind) {
            case NUMBER -> {
                if (a instanceof Ast.Num n) return n.value();
            }
            case STRING -> {
                if (a instanceof Ast.Strings s && s.single()) return decode(s.values().getFirst());
            }
            case STRING_LIST -> {
                if (a instanceof Ast.Strings s) return s.values().stream().map(this::decode).toList();
            }
        }
        error(line, what + " must be a " + kind.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        return null;
    }

    private void checkMatch(Map<String, Object> tags, int line) {
        String comparator = "i;ascii-casemap";
        if (tags.get("comparator") instanceof String c) {
            comparator = c.toLowerCase(Locale.ROOT);
            if (!COMPARATORS.contains(comparator)) {
                error(line, "unknown comparator \"" + c + "\""); // RFC 5228 §2.7.3
            } else if (comparator.equals("i;ascii-numeric") && !required.contains("comparator-i;ascii-numeric")) {
                error(line, "comparator i;ascii-numeric needs require \"comparator-i;ascii-numeric\"");
            }
            tags.put("comparator", comparator);
        }
        for (String rel : List.of("count", "value")) {
            if (tags.get(rel) instanceof String op) {
                // RFC 5231 §4: relational-match = "gt" / "ge" / "lt" / "le" / "eq" / "ne"
                if (!RELATIONAL.contains(op.toLowerCase(Locale.ROOT))) error(line, "invalid relational match \"" + op + "\"");
                tags.put(rel, op.toLowerCase(Locale.ROOT));
            }
        }
        // RFC 4790 §9.1: i;ascii-numeric offers equality and ordering, no substring match
        if (comparator.equals("i;ascii-numeric") && (tags.containsKey("contains") || tags.containsKey("matches"))) {
            error(line, "comparator i;ascii-numeric does not support :contains or :matches");
        }
    }

    private String decode(String s) {
        return required.contains("encoded-character") ? EncodedCharacter.decode(s) : s;
    }
}
