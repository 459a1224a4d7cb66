package dev.sealpost.sieve.script;

/** A failure to parse, compile or run a script, with the line it concerns (0 when none). */
public record SieveError(Kind kind, int line, String message) {
    /** What went wrong; the LIMIT_ kinds name the bound that was hit. */
    public enum Kind {
        SYNTAX, LIMIT_SCRIPT_SIZE, LIMIT_NESTING, LIMIT_STRING_LENGTH, LIMIT_COMMANDS, LIMIT_LIST_SIZE,
        COMPILE, RUNTIME, LIMIT_STEPS, LIMIT_ACTIONS, LIMIT_REDIRECTS
    }

    @Override
    public String toString() {
        return "line " + line + ": " + kind + ": " + message;
    }
}
