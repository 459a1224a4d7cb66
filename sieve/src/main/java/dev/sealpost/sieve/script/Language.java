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
            "relational", "subaddress", "variables", "imap4flags", "body", "mailbox", "comparator-i;unicode-casemap",
            "vacation", "vacation-seconds", "date", "index", "ihave", "environment", "include", "regex", "editheader",
            "duplicate", "mailboxid", "special-use", "spamtest", "spamtestplus", "virustest", "enotify");

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
        new TagSpec("regex", null, "match", "regex"), // draft-ietf-sieve-regex-01 §3
    };

    // RFC 5260 §6: :index and :last on header, address and date
    private static final TagSpec INDEX = new TagSpec("index", Kind.NUMBER, null, "index");
    private static final TagSpec LAST = new TagSpec("last", null, null, "index");

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
        TagSpec mailboxid = new TagSpec("mailboxid", Kind.STRING, null, "mailboxid"); // RFC 9042 §3
        TagSpec specialuse = new TagSpec("specialuse", Kind.STRING, null, "special-use"); // RFC 8579 §4
        // RFC 5228 §3: control commands
        c.put("require", shape("require", null, Map.of(), List.of(Kind.STRING_LIST), Tests.NONE, false));
        c.put("if", shape("if", null, Map.of(), none, Tests.ONE, true));
        c.put("elsif", shape("elsif", null, Map.of(), none, Tests.ONE, true));
        c.put("else", shape("else", null, Map.of(), none, Tests.NONE, true));
        c.put("stop", shape("stop", null, Map.of(), none, Tests.NONE, false));
        // RFC 5228 §4: actions
        c.put("keep", shape("keep", null, tags(flags), none, Tests.NONE, false));
        c.put("discard", shape("discard", null, Map.of(), none, Tests.NONE, false));
        c.put("fileinto", shape("fileinto", "fileinto", tags(flags, copy, create, mailboxid, specialuse), List.of(Kind.STRING), Tests.NONE, false));
        c.put("redirect", shape("redirect", null, tags(copy), List.of(Kind.STRING), Tests.NONE, false));
        // RFC 5429 §2.1, §2.2
        c.put("reject", shape("reject", "reject", Map.of(), List.of(Kind.STRING), Tests.NONE, false));
        c.put("ereject", shape("ereject", "ereject", Map.of(), List.of(Kind.STRING), Tests.NONE, false));
        // RFC 5229 §4
        c.put("set", shape("set", "variables", tags(
                new TagSpec("lower", null, "case", "variables"), new TagSpec("upper", null, "case", "variables"),
                new TagSpec("lowerfirst", null, "first", "variables"), new TagSpec("upperfirst", null, "first", "variables"),
                new TagSpec("quotewildcard", null, null, "variables"), new TagSpec("length", null, null, "variables"),
                new TagSpec("encodeurl", null, null, "enotify")), // RFC 5435 §6
                List.of(Kind.STRING, Kind.STRING), Tests.NONE, false));
        // RFC 5232 §3 (the first, variable-name argument is optional)
        for (String n : List.of("setflag", "addflag", "removeflag")) {
            c.put(n, shape(n, "imap4flags", Map.of(), List.of(Kind.STRING, Kind.STRING_LIST), Tests.NONE, false));
        }
        // RFC 5228 §5: tests
        t.put("address", shape("address", null, matchTags(true, INDEX, LAST), List.of(Kind.STRING_LIST, Kind.STRING_LIST), Tests.NONE, false));
        t.put("header", shape("header", null, matchTags(false, INDEX, LAST), List.of(Kind.STRING_LIST, Kind.STRING_LIST), Tests.NONE, false));
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
        extensions(c, t);
        return new Language(STANDARD_EXTENSIONS, c, t);
    }

    private static void extensions(Map<String, Shape> c, Map<String, Shape> t) {
        List<Kind> none = List.of();
        List<Kind> str = List.of(Kind.STRING);
        List<Kind> list = List.of(Kind.STRING_LIST);
        // RFC 5230 §4 and RFC 6131 §2: vacation
        c.put("vacation", shape("vacation", "vacation", tags(
                new TagSpec("days", Kind.NUMBER, "period", "vacation"),
                new TagSpec("seconds", Kind.NUMBER, "period", "vacation-seconds"),
                new TagSpec("subject", Kind.STRING, null, "vacation"), new TagSpec("from", Kind.STRING, null, "vacation"),
                new TagSpec("addresses", Kind.STRING_LIST, null, "vacation"), new TagSpec("mime", null, null, "vacation"),
                new TagSpec("handle", Kind.STRING, null, "vacation")), str, Tests.NONE, false));
        // RFC 5260 §4, §5: date and currentdate
        TagSpec zone = new TagSpec("zone", Kind.STRING, "zone", "date");
        t.put("date", shape("date", "date", matchTags(false, zone, new TagSpec("originalzone", null, "zone", "date"), INDEX, LAST),
                List.of(Kind.STRING, Kind.STRING, Kind.STRING_LIST), Tests.NONE, false));
        t.put("currentdate", shape("currentdate", "date", matchTags(false, zone), List.of(Kind.STRING, Kind.STRING_LIST), Tests.NONE, false));
        // RFC 5463 §4, §5: ihave and error
        t.put("ihave", shape("ihave", "ihave", Map.of(), list, Tests.NONE, false));
        c.put("error", shape("error", "ihave", Map.of(), str, Tests.NONE, false));
        // RFC 5183 §4: environment
        t.put("environment", shape("environment", "environment", matchTags(false), List.of(Kind.STRING, Kind.STRING_LIST), Tests.NONE, false));
        // RFC 6609 §3: include, return, global
        c.put("include", shape("include", "include", tags(new TagSpec("personal", null, "location", "include"),
                new TagSpec("global", null, "location", "include"), new TagSpec("once", null, null, "include"),
                new TagSpec("optional", null, null, "include")), str, Tests.NONE, false));
        c.put("return", shape("return", "include", Map.of(), none, Tests.NONE, false));
        c.put("global", shape("global", "include", Map.of(), list, Tests.NONE, false));
        // RFC 5293 §4, §5: editheader
        c.put("addheader", shape("addheader", "editheader", tags(new TagSpec("last", null, null, "editheader")),
                List.of(Kind.STRING, Kind.STRING), Tests.NONE, false));
        c.put("deleteheader", shape("deleteheader", "editheader", matchTags(false,
                new TagSpec("index", Kind.NUMBER, null, "editheader"), new TagSpec("last", null, null, "editheader")),
                List.of(Kind.STRING, Kind.STRING_LIST), Tests.NONE, false));
        // RFC 7352 §3: duplicate
        t.put("duplicate", shape("duplicate", "duplicate", tags(new TagSpec("handle", Kind.STRING, null, "duplicate"),
                new TagSpec("header", Kind.STRING, "value", "duplicate"), new TagSpec("uniqueid", Kind.STRING, "value", "duplicate"),
                new TagSpec("seconds", Kind.NUMBER, null, "duplicate"), new TagSpec("last", null, null, "duplicate")),
                none, Tests.NONE, false));
        // RFC 9042 §4: mailboxidexists; RFC 8579 §3: specialuse_exists
        t.put("mailboxidexists", shape("mailboxidexists", "mailboxid", Map.of(), list, Tests.NONE, false));
        t.put("specialuse_exists", shape("specialuse_exists", "special-use", Map.of(), List.of(Kind.STRING, Kind.STRING_LIST), Tests.NONE, false));
        // RFC 5235 §3.2, §3.3, §3.4: spamtest (spamtestplus adds :percent), virustest
        t.put("spamtest", shape("spamtest", "spamtest", matchTags(false, new TagSpec("percent", null, null, "spamtestplus")),
                str, Tests.NONE, false));
        t.put("virustest", shape("virustest", "virustest", matchTags(false), str, Tests.NONE, false));
        // RFC 5435 §3, §4, §5: notify, valid_notify_method, notify_method_capability
        c.put("notify", shape("notify", "enotify", tags(new TagSpec("from", Kind.STRING, null, "enotify"),
                new TagSpec("importance", Kind.STRING, null, "enotify"), new TagSpec("options", Kind.STRING_LIST, null, "enotify"),
                new TagSpec("message", Kind.STRING, null, "enotify")), str, Tests.NONE, false));
        t.put("valid_notify_method", shape("valid_notify_method", "enotify", Map.of(), list, Tests.NONE, false));
        t.put("notify_method_capability", shape("notify_method_capability", "enotify", matchTags(false),
                List.of(Kind.STRING, Kind.STRING, Kind.STRING_LIST), Tests.NONE, false));
    }

    /**
     * RFC 5463 §4: extensions that change how the script text itself is read (encoded-character,
     * variables) cannot be enabled by ihave; ihave answers false for them, as Pigeonhole does.
     */
    public static boolean ihaveable(String extension) {
        return !extension.equals("encoded-character") && !extension.equals("variables");
    }

    /** Commands and tests whose last positional argument may be left out (RFC 5293 §5: deleteheader's value patterns). */
    static boolean optionalLast(String name) {
        return name.equals("deleteheader");
    }

    /** Commands and tests whose first positional argument may be left out. */
    static boolean optionalFirst(String name) {
        return switch (name) {
            case "setflag", "addflag", "removeflag", "hasflag", "specialuse_exists" -> true;
            default -> false;
        };
    }
}
