package dev.sealpost.imap.server;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.ImapSyntaxException;
import dev.sealpost.imap.server.ImapSession.State;

import java.io.IOException;
import java.util.List;

/**
 * One row of the {@link CommandTable}: a command's name, the states it is valid in, whether it
 * has a UID form, whether it uses sequence numbers, and its handler (Dovecot's
 * {@code struct command} with {@code COMMAND_FLAG_USES_SEQS}).
 *
 * @param name      the command name, upper case
 * @param allowed   the session states the command is valid in (RFC 9051 §6)
 * @param uidForm   {@code UID name} is a command (RFC 9051 §6.4.9, RFC 4315 UID EXPUNGE, RFC 5256)
 * @param usesSeqs  the command's non-UID form works with sequence numbers, so no EXPUNGE may be sent
 *                  while it runs (RFC 9051 §7.5.1: FETCH, STORE, SEARCH; the UID forms may); the
 *                  expunges wait for the next command that allows them
 * @param handler   runs the command: the text of the tagged OK, or null when it answered itself
 */
record CommandSpec(String name, Allowed allowed, boolean uidForm, boolean usesSeqs, Handler handler) {

    /** The states a command is valid in. */
    enum Allowed {
        /** Not authenticated only (STARTTLS, LOGIN, AUTHENTICATE). */
        NOT_AUTHENTICATED,
        /** Any state (CAPABILITY, NOOP, LOGOUT, ID). */
        ANY,
        /** Authenticated or selected. */
        AUTHENTICATED,
        /** Selected only. */
        SELECTED
    }

    /** One command as received: {@code name} without the {@code UID} prefix, {@code uid} set when it had one. */
    record Call(String tag, String name, List<Arg> args, boolean uid) {}

    @FunctionalInterface
    interface Handler {
        String run(ImapSession s, Call c) throws IOException, CommandFailed, ImapSyntaxException;
    }

    boolean validIn(State state) {
        return switch (allowed) {
            case ANY -> true;
            case NOT_AUTHENTICATED -> state == State.NOT_AUTHENTICATED;
            case AUTHENTICATED -> state == State.AUTHENTICATED || state == State.SELECTED;
            case SELECTED -> state == State.SELECTED;
        };
    }

    /** Whether this call may be answered with untagged EXPUNGE (or VANISHED) before its tagged response. */
    boolean mayExpunge(boolean uid) {
        return uid || !usesSeqs;
    }
}
