package dev.sealpost.sieve.run;

import dev.sealpost.sieve.script.SieveError;

import java.util.List;

/**
 * The outcome of running a script: the actions in order, whether the implicit keep applies (RFC
 * 5228 §2.10.2) and with which flags, and the runtime error if there was one. After an error the
 * actions are cancelled and the implicit keep applies (RFC 5228 §2.10.6).
 */
public record Result(List<Action> actions, boolean implicitKeep, List<String> implicitKeepFlags, SieveError error) {
    public Result {
        actions = List.copyOf(actions);
        implicitKeepFlags = List.copyOf(implicitKeepFlags);
    }

    public boolean failed() {
        return error != null;
    }
}
