package dev.sealpost.sieve.script;

import dev.sealpost.sieve.script.Spec.Kind;
import dev.sealpost.sieve.script.Spec.Shape;
import dev.sealpost.sieve.script.Spec.TagSpec;
import dev.sealpost.sieve.script.Spec.Tests;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The commands, tests and extensions a compiler knows. {@link #standard()} holds the base
 * language (RFC 5228) and the extensions this module implements; {@link #with} adds an extension
 * (the Pigeonhole testsuite extension in the test tree is added this way).
 */
public final class Language {
    /** Extension names {@code require} accepts in the standard language. */
    public static final Set<String> STANDARD_EXTENSIONS = Set.of(
            "fileinto", "reject", "ereject", "envelope", "encoded-character", "copy",
            "comparator-i;octet", "comparator-i;ascii-casemap", "comparator-i;ascii-numeric",
            "relational", "subaddress", "variables", "imap4flags", "body", "mailbox", "comparator-i;unicode-casemap");

    private final Set<String> extensions;
    private final Map<String, Shape> commands;
    private final Map<String, Shape> tests;

    private Language(Set<String> extensions, Map<String, Shape> commands, Map<String, Shape> tests) {
        this.extensions = Set.copyOf(extensions);
        this.commands = Map.copyOf(commands);
        this.tests = Map.copyOf(tests);
    }

    public boolean knowsExtension(String name) { return extensions.contains(name); }

    public Shape command(String name) { return commands.get(name); }

    public Shape test(String name) { return tests.get(name); }

    /** This language plus one extension with its commands and tests. */
    public Language with(String extension, List<Shape> moreCommands, List<Shape> moreTests) {
        Set<String> e = new HashSet<>(extensions);
        e.add(extension);
        Map<String, Shape> c = new HashMap<>(commands);
        for (Shape s : moreCommands) c.put(s.name(), s);
        Map<String, Shape> t = new HashMap<>(tests);
        for (Shape s : moreTests) t.put(s.name(), s);
        return new Language(e, c, t);
    }

    // shared tagged arguments
    public static final TagSpec COMPARATOR = new TagSpec("comparator", Kind.STRING, "comparator", null);

    public static Map<String, TagSpec> tags(TagSpec... specs) {
        Map<String, TagSpec> m = new LinkedHashMap<>();
        for (TagSpec s : specs) m.put(s.name(), s);
        return m;
    }

    private static final TagSpec[] MATCH = {
        new TagSpec("is", null, "match", null),
        new TagSpec("contains", null, "match", null),
        new TagSpec("matches", null, "match", null),
        new TagSpec("count", Kind.STRING, "match", "relational"), // RFC 5231 §4
        new TagSpec("value", Kind.STRING, "match", "relational"),
    };

    private static final TagSpec[] ADDRESS_PART = {
        new TagSpec("all", null, "addresspart", null),
        new TagSpec("localpart", null, "addresspart", null),
        new TagSpec("domain", null, "addresspart", null),
        new TagSpec("user", null, "addresspart", "subaddress"), // RFC 5233 §4
        new TagSpec("detail", null, "addresspart", "subaddress"),
    };

    /** Comparator, match type and (when {@code address}) address part tags, plus extra ones. */
    public static Map<String, TagSpec> matchTags(boolean address, TagSpec... extra) {
        Map<String, TagSpec> m = tags(MATCH);
        m.put("comparator", COMPARATOR);
        if (address) m.putAll(tags(ADDRESS_PART));
        m.putAll(tags(extra));
        return m;
    }

    private static Shape shape(String name, String ext, Map<String, TagSpec> tags, List<Kind> pos, Tests tests, boolean block) {
        return new Shape(name, ext, tags, pos, tests, block);
    }

    /** The base language and this module's extensions. */
    public static Language standard() {
        Map<String, Shape> c = new HashMap<>();
        Map<String, Shape> t = new HashMap<>();
        List<Kind> none = List.of();
        TagSpec flags = new TagSpec("flags", Kind.STRING_LIST, null, "imap4flags"); // RFC 5232 §5
        TagSpec copy = new TagSpec("copy", null, null, "copy"); // RFC 3894 §3
        TagSpec create = new TagSpec("create", null, null, "mailbox"); // RFC 5490 §3.2
        // RFC 5228 §3: control commands
        c.put("require", shape("require", null, Map.of(), List.of(Kind.STRING_LIST), Tests.NONE, false));
        c.put("if", shape("if", null, Map.of(), none, Tests.ONE, true));
        c.put("elsif", shape("elsif", null, Map.of(), none, Tests.ONE, true));
        c.put("else", shape("else", null, Map.of(), none, Tests.NONE, true));
        c.put("stop", shape("stop", null, Map.of(), none, Tests.NONE, false));
        // RFC 5228 §4: actions
        c.put("keep", shape("keep", null, tags(flags), none, Tests.NONE, false));
        c.put("discard", shape("discard", null, Map.of(), none, Tests.NONE, false));
        c.put("fileinto", shape("fileinto", "fileinto", tags(flags, copy, create), List.of(Kind.STRING), Tests.NONE, false));
        c.put("redirect", shape("redirect", null, tags(copy), List.of(Kind.STRING), Tests.NONE, false));
        // RFC 5429 §2.1, §2.2
        c.put("reject", shape("reject", "reject", Map.of(), List.of(Kind.STRING), Tests.NONE, false));
        c.put("ereject", shape("ereject", "ereject", Map.of(), List.of(Kind.STRING), Tests.NONE, false));
        // RFC 5229 §4
        c.put("set", shape("set", "variables", tags(
                new TagSpec("lower", null, "case", "variables"), new TagSpec("upper", null, "case", "variables"),
                new TagSpec("lowerfirst", null, "first", "variables"), new TagSpec("upperfirst", null, "first", "variables"),
                new TagSpec("quotewildcard", null, null, "variables"), new TagSpec("length", null, null, "variables")),
                List.of(Kind.STRING, Kind.STRING), Tests.NONE, false));
        // RFC 5232 §3 (the first, variable-name argument is optional)
        for (String n : List.of("setflag", "addflag", "removeflag")) {
            c.put(n, shape(n, "imap4flags", Map.of(), List.of(Kind.STRING, Kind.STRING_LIST), Tests.NONE, false));
        }
        // RFC 5228 §5: tests
        t.put("address", shape("address", null, matchTags(true), List.of(Kind.STRING_LIST, Kind.STRING_LIST), Tests.NONE, false));
        t.put("header", shape("header", null, matchTags(false), List.of(Kind.STRING_LIST, Kind.STRING_LIST), Tests.NONE, false));
        t.put("envelope", shape("envelope", "envelope", matchTags(true), List.of(Kind.STRING_LIST, Kind.STRING_LIST), Tests.NONE, false));
        t.put("exists", shape("exists", null, Map.of(), List.of(Kind.STRING_LIST), Tests.NONE, false));
        t.put("size", shape("size", null, tags(new TagSpec("over", null, "size", null), new TagSpec("under", null, "size", null)),
                List.of(Kind.NUMBER), Tests.NONE, false));
        t.put("allof", shape("allof", null, Map.of(), none, Tests.LIST, false));
        t.put("anyof", shape("anyof", null, Map.of(), none, Tests.LIST, false));
        t.put("not", shape("not", null, Map.of(), none, Tests.ONE, false));
        t.put("true", shape("true", null, Map.of(), none, Tests.NONE, false));
        t.put("false", shape("false", null, Map.of(), none, Tests.NONE, false));
        t.put("string", shape("string", "variables", matchTags(false), List.of(Kind.STRING_LIST, Kind.STRING_LIST), Tests.NONE, false));
        t.put("hasflag", shape("hasflag", "imap4flags", matchTags(false), List.of(Kind.STRING_LIST, Kind.STRING_LIST), Tests.NONE, false));
        t.put("mailboxexists", shape("mailboxexists", "mailbox", Map.of(), List.of(Kind.STRING_LIST), Tests.NONE, false));
        // RFC 5173 §5
        t.put("body", shape("body", "body", matchTags(false,
                new TagSpec("raw", null, "transform", "body"), new TagSpec("text", null, "transform", "body"),
                new TagSpec("content", Kind.STRING_LIST, "transform", "body")), List.of(Kind.STRING_LIST), Tests.NONE, false));
        return new Language(STANDARD_EXTENSIONS, c, t);
    }

    /** Commands and tests whose first positional argument may be left out. */
    static boolean optionalFirst(String name) {
        return switch (name) {
            case "setflag", "addflag", "removeflag", "hasflag" -> true;
            default -> false;
        };
    }
}
