package dev.sealpost.sieve.script;

import java.util.List;
import java.util.Map;

/**
 * The checked compiled form of a script: every command and test matched to its {@link Spec.Shape},
 * tagged arguments gathered by name, positional arguments in order. Values: a tag alone is
 * {@link Boolean#TRUE}; a string list is a {@code List<String>}; a string is a {@code String};
 * a number is a {@code Long}; a left-out optional positional argument is null.
 */
public final class Compiled {
    private Compiled() {}

    public record Test(String name, Map<String, Object> tags, List<Object> args, List<Test> tests, int line) {
        public Test { tags = Map.copyOf(tags); args = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(args)); tests = List.copyOf(tests); }

        public boolean has(String tag) { return tags.containsKey(tag); }
    }

    public record Command(String name, Map<String, Object> tags, List<Object> args, List<Test> tests,
                          List<Command> block, int line) {
        public Command {
            tags = Map.copyOf(tags); args = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(args)); tests = List.copyOf(tests);
            block = block == null ? List.of() : List.copyOf(block);
        }

        public boolean has(String tag) { return tags.containsKey(tag); }
    }

    /** A compiled script and the extensions it requires. */
    public record Script(List<Command> commands, java.util.Set<String> required) {
        public Script { commands = List.copyOf(commands); required = java.util.Set.copyOf(required); }
    }
}
