package dev.sealpost.sieve.script;

/**
 * A failure to parse, compile or run a script, with the line it concerns (0 when none) and the
 * column (1-based; 0 when not known, as for compile and run-time errors).
 */
public record SieveError(Kind kind, int line, int column, String message) {
    /** What went wrong; the LIMIT_ kinds name the bound that was hit. */
    public enum Kind {
        SYNTAX, LIMIT_SCRIPT_SIZE, LIMIT_NESTING, LIMIT_STRING_LENGTH, LIMIT_COMMANDS, LIMIT_LIST_SIZE,
        COMPILE, RUNTIME, LIMIT_STEPS, LIMIT_ACTIONS, LIMIT_REDIRECTS,
        /** Wall-clock time of one run. */
        LIMIT_TIME,
        /** A string built at run time (variable expansion) longer than allowed. */
        LIMIT_STRING_SIZE,
        /** Too many distinct variables in one run. */
        LIMIT_VARIABLES,
        /** Includes nested too deeply, or an include loop (RFC 6609 §3.2). */
        LIMIT_INCLUDE,
        /** A regex pattern or its matching work over the bound (draft-ietf-sieve-regex §4). */
        LIMIT_REGEX
    }

    /** An error without a column. */
    public SieveError(Kind kind, int line, String message) {
        this(kind, line, 0, message);
    }

    @Override
    public String toString() {
        return "line " + line + (column > 0 ? ":" + column : "") + ": " + kind + ": " + message;
    }
}
