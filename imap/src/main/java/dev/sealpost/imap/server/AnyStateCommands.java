package dev.sealpost.imap.server;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.server.ImapSession.State;

import java.io.IOException;
import java.util.List;

/** The commands valid in any state (RFC 9051 §6.1): CAPABILITY, NOOP, LOGOUT, and ID (RFC 2971). */
final class AnyStateCommands extends CommandFamily {
    AnyStateCommands(ImapSession session) {
        super(session);
    }

    String capability(List<Arg> a) throws IOException, CommandFailed {
        noArgs(a);
        untagged("CAPABILITY " + session.capabilities());
        return "CAPABILITY completed";
    }

    /** NOOP: nothing but the updates the session sends after any command. */
    String noop(List<Arg> a) throws CommandFailed {
        noArgs(a);
        return "NOOP completed";
    }

    /** RFC 2971 §3.1 ID. */
    String id(List<Arg> a) throws IOException, CommandFailed {
        argc(a, 1);
        if (a.getFirst() instanceof Arg.ListArg l) {
            if (l.items().size() > 60) throw bad("Too many ID fields");
        } else if (!(a.getFirst() instanceof Arg.Atom n && n.is("NIL"))) {
            throw bad("ID expects a list or NIL");
        }
        untagged("ID (\"name\" \"Sealpost\" \"vendor\" \"Sealpost\")");
        return "ID completed";
    }

    /** RFC 9051 §6.1.3 LOGOUT: BYE, then the tagged OK, and the session ends. */
    String logout(String tag, List<Arg> a) throws IOException, CommandFailed {
        noArgs(a);
        untagged("BYE Sealpost logging out");
        tagged(tag, "OK LOGOUT completed");
        flush();
        state(State.LOGOUT);
        log.info("{} logout", id());
        return null;
    }
}
