package dev.sealpost.sieve.script;

import java.util.List;
import java.util.Map;

/**
 * The shape of a command or test: the extension that provides it, its tagged arguments, its
 * positional arguments, how many nested tests it takes and whether it takes a block. The compiler
 * checks every use against these (RFC 5228 §2.6, §2.7).
 */
public final class Spec {
    private Spec() {}

    /** The kind of a positional argument or of the value after a tag. */
    public enum Kind { STRING, STRING_LIST, NUMBER }

    /**
     * A tagged argument. {@code param} is null for a tag alone; {@code group} names tags that
     * exclude each other (match type, comparator, address part); {@code extension} is null for the base language.
     */
    public record TagSpec(String name, Kind param, String group, String extension) {}

    /** How many tests a command or test takes. */
    public enum Tests { NONE, ONE, LIST }

    /** A command or a test. */
    public record Shape(String name, String extension, Map<String, TagSpec> tags, List<Kind> positional,
                        Tests tests, boolean block) {
        public Shape {
            tags = Map.copyOf(tags);
            positional = List.copyOf(positional);
        }
    }
}
