package dev.sealpost.sieve.script;

import java.util.ArrayList;
import java.util.List;

/**
 * Lexer and parser for the Sieve grammar (RFC 5228 §2 and §8). Bounded by {@link ParseLimits}:
 * every limit failure is a {@link SieveError} of a LIMIT_ kind, with the line. Never throws for
 * any input; recursion depth is bounded by {@code maxNesting}.
 */
public final class SieveParser {
    /** Outcome of parsing. */
    public sealed interface Result permits Parsed, Failed {}

    public record Parsed(Ast.Script script) implements Result {}

    public record Failed(SieveError error) implements Result {}

    private static final class Fail extends RuntimeException {
        final SieveError error;

        Fail(SieveError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    private final String src;
    private final ParseLimits limits;
    private int pos;
    private int line = 1;
    private int depth;
    private int count;

    private SieveParser(String src, ParseLimits limits) {
        this.src = src;
        this.limits = limits;
    }

    public static Result parse(String text, ParseLimits limits) {
        if (text.length() > limits.maxScriptChars()) {
            return new Failed(new SieveError(SieveError.Kind.LIMIT_SCRIPT_SIZE, 0,
                    "script of " + text.length() + " characters exceeds " + limits.maxScriptChars()));
        }
        SieveParser p = new SieveParser(text, limits);
        try {
            List<Ast.Command> cmds = p.commands(false);
            return new Parsed(new Ast.Script(cmds));
        } catch (Fail f) {
            return new Failed(f.error);
        }
    }

    public static Result parse(String text) {
        return parse(text, ParseLimits.defaults());
    }

    private Fail fail(String message) {
        return new Fail(new SieveError(SieveError.Kind.SYNTAX, line, column(), message));
    }

    private Fail limit(SieveError.Kind kind, String message) {
        return new Fail(new SieveError(kind, line, column(), message));
    }

    /** The 1-based column of the current position on its line. */
    private int column() {
        int p = Math.min(pos, src.length());
        int nl = src.lastIndexOf('\n', p - 1);
        return p - nl;
    }

    // RFC 5228 §2.3: white space and comments (hash to end of line, bracketed /* */) separate tokens
    private void skipSpace() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '#') {
                while (pos < src.length() && src.charAt(pos) != '\n') pos++;
            } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '*') {
                int end = src.indexOf("*/", pos + 2);
                if (end < 0) throw fail("unterminated bracketed comment");
                for (int i = pos; i < end; i++) if (src.charAt(i) == '\n') line++;
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    private boolean at(char c) {
        skipSpace();
        return pos < src.length() && src.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!at(c)) throw fail("expected '" + c + "' but found " + found());
        pos++;
    }

    private String found() {
        if (pos >= src.length()) return "end of script";
        int end = Math.min(src.length(), pos + 10);
        return "'" + src.substring(pos, end).replaceAll("[\\r\\n].*", "") + "'";
    }

    private static boolean identStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
    }

    private static boolean identPart(char c) {
        return identStart(c) || c >= '0' && c <= '9';
    }

    private String identifier() {
        skipSpace();
        if (pos >= src.length() || !identStart(src.charAt(pos))) throw fail("expected an identifier but found " + found());
        int start = pos;
        while (pos < src.length() && identPart(src.charAt(pos))) pos++;
        return src.substring(start, pos).toLowerCase(java.util.Locale.ROOT);
    }

    private void enter() {
        if (++depth > limits.maxNesting()) throw limit(SieveError.Kind.LIMIT_NESTING, "nesting deeper than " + limits.maxNesting());
    }

    private void counted() {
        if (++count > limits.maxCommands()) throw limit(SieveError.Kind.LIMIT_COMMANDS, "more than " + limits.maxCommands() + " commands and tests");
    }

    // RFC 5228 §8.2: commands = *command; command = identifier arguments (";" / block)
    private List<Ast.Command> commands(boolean inBlock) {
        List<Ast.Command> out = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= src.length()) {
                if (inBlock) throw fail("missing '}' at end of script");
                return out;
            }
            if (src.charAt(pos) == '}') {
                if (!inBlock) throw fail("unexpected '}'");
                return out;
            }
            out.add(command());
        }
    }

    private Ast.Command command() {
        int l = line;
        skipSpace();
        l = line;
        String name = identifier();
        counted();
        List<Ast.Argument> args = arguments();
        List<Ast.Test> tests = testsAfterArguments();
        skipSpace();
        if (at(';')) {
            pos++;
            return new Ast.Command(name, args, tests, null, l);
        }
        if (at('{')) {
            pos++;
            enter();
            List<Ast.Command> block = commands(true);
            expect('}');
            depth--;
            return new Ast.Command(name, args, tests, block, l);
        }
        throw fail("expected ';' or '{' after command '" + name + "' but found " + found());
    }

    // RFC 5228 §8.2: arguments = *argument [ test / test-list ]
    private List<Ast.Argument> arguments() {
        List<Ast.Argument> args = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= src.length()) return args;
            char c = src.charAt(pos);
            int l = line;
            if (c == ':') {
                pos++;
                if (pos >= src.length() || !identStart(src.charAt(pos))) throw fail("expected a tag name after ':'");
                args.add(new Ast.Tag(identifier(), l));
            } else if (c >= '0' && c <= '9') {
                args.add(new Ast.Num(number(), l));
            } else if (c == '"' || c == '[' || textAhead()) {
                args.add(stringList());
            } else {
                return args;
            }
        }
    }

    private List<Ast.Test> testsAfterArguments() {
        skipSpace();
        if (pos >= src.length()) return List.of();
        char c = src.charAt(pos);
        if (c == '(') return testList();
        if (identStart(c)) return List.of(test());
        return List.of();
    }

    // RFC 5228 §8.2: test-list = "(" test *("," test) ")"
    private List<Ast.Test> testList() {
        expect('(');
        enter();
        List<Ast.Test> tests = new ArrayList<>();
        tests.add(test());
        while (at(',')) {
            pos++;
            tests.add(test());
        }
        expect(')');
        depth--;
        return tests;
    }

    private Ast.Test test() {
        skipSpace();
        int l = line;
        String name = identifier();
        counted();
        enter();
        List<Ast.Argument> args = arguments();
        List<Ast.Test> tests = testsAfterArguments();
        depth--;
        return new Ast.Test(name, args, tests, l);
    }

    // RFC 5228 §2.4.1: number = 1*DIGIT [ QUANTIFIER ], QUANTIFIER = "K" / "M" / "G"
    private long number() {
        long v = 0;
        while (pos < src.length() && Character.isDigit(src.charAt(pos)) && src.charAt(pos) < 128) {
            int d = src.charAt(pos++) - '0';
            if (v > (Long.MAX_VALUE - d) / 10) throw fail("number too large");
            v = v * 10 + d;
        }
        if (pos < src.length()) {
            int shift = switch (src.charAt(pos)) {
                case 'K', 'k' -> 10;
                case 'M', 'm' -> 20;
                case 'G', 'g' -> 30;
                default -> 0;
            };
            if (shift > 0) {
                pos++;
                if (v > (Long.MAX_VALUE >> shift)) throw fail("number too large");
                v <<= shift;
            }
        }
        if (pos < src.length() && identPart(src.charAt(pos))) throw fail("bad character after number: " + found());
        return v;
    }

    private boolean textAhead() {
        return src.regionMatches(true, pos, "text:", 0, 5);
    }

    // RFC 5228 §2.4.2.1: string-list = "[" string *("," string) "]" / string
    private Ast.Strings stringList() {
        int l = line;
        if (at('[')) {
            pos++;
            List<String> values = new ArrayList<>();
            values.add(string());
            while (at(',')) {
                pos++;
                if (values.size() >= limits.maxListSize()) throw limit(SieveError.Kind.LIMIT_LIST_SIZE, "more than " + limits.maxListSize() + " strings in a list");
                values.add(string());
            }
            expect(']');
            return new Ast.Strings(values, false, l);
        }
        return new Ast.Strings(List.of(string()), true, l);
    }

    private String string() {
        skipSpace();
        if (pos < src.length() && src.charAt(pos) == '"') return quoted();
        if (pos < src.length() && textAhead()) return multiline();
        throw fail("expected a string but found " + found());
    }

    // RFC 5228 §2.4.2: quoted-string; "\" escapes the next character, an unknown escape is that character
    private String quoted() {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length()) throw fail("unterminated quoted string");
            char c = src.charAt(pos++);
            if (c == '"') break;
            if (c == '\\') {
                if (pos >= src.length()) throw fail("unterminated quoted string");
                c = src.charAt(pos++);
            }
            if (c == '\n') {
                line++;
                // RFC 5228 §2.4.2: line ends in strings are CRLF; a bare LF (local line ends) is read as CRLF
                if (sb.isEmpty() || sb.charAt(sb.length() - 1) != '\r') sb.append('\r');
            }
            sb.append(c);
            if (sb.length() > limits.maxStringChars()) throw limit(SieveError.Kind.LIMIT_STRING_LENGTH, "string longer than " + limits.maxStringChars());
        }
        return sb.toString();
    }

    // RFC 5228 §2.4.2: multi-line = "text:" *(SP / HTAB) (hash-comment / CRLF) *(multiline-literal / multiline-dotstart) "." CRLF
    private String multiline() {
        pos += 5;
        while (pos < src.length() && (src.charAt(pos) == ' ' || src.charAt(pos) == '\t')) pos++;
        if (pos < src.length() && src.charAt(pos) == '#') {
            while (pos < src.length() && src.charAt(pos) != '\n') pos++;
        }
        if (pos < src.length() && src.charAt(pos) == '\r') pos++;
        // Leniency: a bare LF ends a line as CRLF does (scripts are stored with local line ends, as Pigeonhole accepts)
        if (pos >= src.length() || src.charAt(pos) != '\n') throw fail("expected a line end after 'text:'");
        pos++;
        line++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length()) throw fail("unterminated multi-line string (no '.' line)");
            int eol = src.indexOf('\n', pos);
            int end = eol < 0 ? src.length() : eol;
            String ln = src.substring(pos, end);
            String bare = ln.endsWith("\r") ? ln.substring(0, ln.length() - 1) : ln;
            if (bare.equals(".")) {
                if (eol < 0) throw fail("unterminated multi-line string (no line end after '.')");
                pos = eol + 1;
                line++;
                break;
            }
            // RFC 5228 §2.4.2: dot-stuffing; a leading ".." stands for "."
            // Leniency: a single leading "." before other text is kept, as Pigeonhole does
            if (ln.startsWith("..")) ln = ln.substring(1);
            if (ln.endsWith("\r")) ln = ln.substring(0, ln.length() - 1);
            sb.append(ln);
            if (eol >= 0) sb.append("\r\n"); // bare LF read as CRLF, as in quoted strings
            if (sb.length() > limits.maxStringChars()) throw limit(SieveError.Kind.LIMIT_STRING_LENGTH, "string longer than " + limits.maxStringChars());
            if (eol < 0) throw fail("unterminated multi-line string (no '.' line)");
            pos = eol + 1;
            line++;
        }
        return sb.toString();
    }
}
