package dev.sealpost.sieve.script;

import java.util.List;

/** The syntax tree of a Sieve script (RFC 5228 §8.2), as the parser reads it, before any check. */
public final class Ast {
    private Ast() {}

    /** An argument (RFC 5228 §2.6): a tag, a number or a string list (one string is a list of one). */
    public sealed interface Argument permits Tag, Num, Strings {
        int line();
    }

    /** {@code :name}; the name is kept in lower case (identifiers are case-insensitive, RFC 5228 §2.9). */
    public record Tag(String name, int line) implements Argument {}

    /** A number with its K/M/G quantifier applied (RFC 5228 §2.4.1). */
    public record Num(long value, int line) implements Argument {}

    /** A string list; {@code single} when it was written as one string, not in brackets (RFC 5228 §2.4.2.1). */
    public record Strings(List<String> values, boolean single, int line) implements Argument {
        public Strings { values = List.copyOf(values); }
    }

    /** A test (RFC 5228 §2.5): name in lower case, its arguments, and its nested tests (a test list). */
    public record Test(String name, List<Argument> args, List<Test> tests, int line) {
        public Test { args = List.copyOf(args); tests = List.copyOf(tests); }
    }

    /** A command (RFC 5228 §2.9); {@code block} is null when the command ends with ";". */
    public record Command(String name, List<Argument> args, List<Test> tests, List<Command> block, int line) {
        public Command { args = List.copyOf(args); tests = List.copyOf(tests); block = block == null ? null : List.copyOf(block); }
    }

    /** A whole script. */
    public record Script(List<Command> commands) {
        public Script { commands = List.copyOf(commands); }
    }
}
