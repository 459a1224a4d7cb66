package dev.sealpost.sieve.script;

/**
 * Bounds on a script the parser accepts: size in characters, nesting of blocks and tests, length of
 * one string, number of commands and tests, strings in one list.
 */
public record ParseLimits(int maxScriptChars, int maxNesting, int maxStringChars, int maxCommands, int maxListSize) {
    /** 1 MiB of text, nesting 32, strings of 64 Ki characters, 10,000 commands/tests, 1,024 strings in a list. */
    public static ParseLimits defaults() {
        return new ParseLimits(1 << 20, 32, 1 << 16, 10_000, 1024);
    }
}
