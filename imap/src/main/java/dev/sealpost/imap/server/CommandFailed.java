package dev.sealpost.imap.server;

/**
 * A command's failure, answered with a tagged NO or BAD (stackless: it is control flow, not a
 * fault). The command families throw it; {@code ImapSession.execute} turns it into the tagged
 * response and counts BADs.
 */
final class CommandFailed extends Exception {
    /** "NO" or "BAD". */
    final String status;

    CommandFailed(String status, String text) {
        super(text, null, false, false);
        this.status = status;
    }

    static CommandFailed no(String text) {
        return new CommandFailed("NO", text);
    }

    static CommandFailed bad(String text) {
        return new CommandFailed("BAD", text);
    }
}
