package dev.sealpost.imap.proto;

import java.util.List;
import java.util.Objects;

/**
 * One IMAP command as read by {@link CommandReader} (RFC 9051 §2.2.1, §9 {@code command}).
 *
 * @param tag  the client's tag, as sent
 * @param name the command name in upper-case ASCII; for {@code UID FETCH ...} it is {@code UID}
 *             and {@link #args()} start with the atom {@code FETCH}
 * @param args the arguments after the name
 */
public record Command(String tag, String name, List<Arg> args) {
    public Command {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(name, "name");
        args = List.copyOf(args);
    }

    /** The argument at {@code i}, or null when there are fewer. */
    public Arg arg(int i) {
        return i < args.size() ? args.get(i) : null;
    }
}
