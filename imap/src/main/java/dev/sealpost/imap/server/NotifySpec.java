package dev.sealpost.imap.server;

import dev.sealpost.imap.proto.Arg;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A parsed {@code NOTIFY SET} (RFC 5465 §3): which events the client wants for the selected
 * mailbox and for groups of its other mailboxes.
 *
 * @param status   STATUS for every mailbox of the groups now (RFC 5465 §3.1 "STATUS" indicator)
 * @param selected events for the selected mailbox (SELECTED or SELECTED-DELAYED), empty for none
 * @param groups   the other filters with their events
 */
record NotifySpec(boolean status, Set<String> selected, List<Group> groups) {
    /** The events we send (RFC 5465 §5); others are refused with BADEVENT. */
    static final List<String> SUPPORTED = List.of("MessageNew", "MessageExpunge", "FlagChange", "MailboxName", "SubscriptionChange");

    /**
     * @param filter  PERSONAL, INBOXES, SUBSCRIBED, SUBTREE or MAILBOXES
     * @param names   the mailbox names of SUBTREE and MAILBOXES (Unicode, decoded by the caller)
     * @param events  canonical event names
     */
    record Group(String filter, List<String> names, Set<String> events) {
        boolean has(String event) {
            return events.contains(event);
        }
    }

    /** Thrown for a valid but unsupported event (answer NO [BADEVENT ...]). */
    static final class BadEvent extends Exception {
        BadEvent(String msg) {
            super(msg, null, false, false);
        }
    }

    /** Decodes a mailbox name argument (modified UTF-7 or UTF-8); throws for a malformed one. */
    interface NameDecoder {
        String decode(Arg a) throws CommandFailed;
    }

    /** Parses the arguments after {@code NOTIFY SET}. */
    static NotifySpec parse(List<Arg> a, NameDecoder names) throws CommandFailed, BadEvent {
        int i = 0;
        boolean status = false;
        if (i < a.size() && a.get(i) instanceof Arg.Atom at && at.is("STATUS")) {
            status = true;
            i++;
        }
        if (i >= a.size()) throw CommandFailed.bad("NOTIFY SET needs at least one event group");
        Set<String> selected = Set.of();
        List<Group> groups = new ArrayList<>();
        for (; i < a.size(); i++) {
            if (!(a.get(i) instanceof Arg.ListArg g) || g.items().size() < 2) throw CommandFailed.bad("Event group expected");
            List<Arg> items = g.items();
            String filter = Arg.text(items.get(0));
            if (filter == null) throw CommandFailed.bad("Filter expected");
            filter = filter.toUpperCase(Locale.ROOT);
            int k = 1;
            List<String> mboxes = new ArrayList<>();
            if (filter.equals("SUBTREE") || filter.equals("MAILBOXES")) {
                Arg m = items.get(k++);
                if (m instanceof Arg.ListArg ml) for (Arg x : ml.items()) mboxes.add(names.decode(x));
                else mboxes.add(names.decode(m));
                if (k >= items.size()) throw CommandFailed.bad("Events expected");
            } else if (!Set.of("SELECTED", "SELECTED-DELAYED", "PERSONAL", "INBOXES", "SUBSCRIBED").contains(filter)) {
                throw CommandFailed.bad("Unknown NOTIFY filter " + filter);
            }
            Set<String> events = events(items.get(k));
            if (k + 1 != items.size()) throw CommandFailed.bad("Unexpected data in event group");
            if (filter.startsWith("SELECTED")) {
                if (events.contains("MailboxName") || events.contains("SubscriptionChange")) {
                    throw CommandFailed.bad("Mailbox events are not valid for the selected mailbox"); // RFC 5465 §6
                }
                selected = events;
            } else {
                groups.add(new Group(filter, mboxes, events));
            }
        }
        return new NotifySpec(status, selected, groups);
    }

    private static Set<String> events(Arg a) throws CommandFailed, BadEvent {
        Set<String> out = new LinkedHashSet<>();
        if (a instanceof Arg.Atom at && at.is("NONE")) return out;
        if (!(a instanceof Arg.ListArg l) || l.items().isEmpty()) throw CommandFailed.bad("Event list expected");
        for (Arg x : l.items()) {
            if (x instanceof Arg.ListArg) {
                // fetch attributes after MessageNew: we send only EXISTS / STATUS (allowed: RFC 5465 §5.2 SHOULD)
                continue;
            }
            String e = Arg.text(x);
            String canon = SUPPORTED.stream().filter(s -> s.equalsIgnoreCase(e)).findFirst().orElse(null);
            if (canon == null) {
                if (Set.of("ANNOTATIONCHANGE", "MAILBOXMETADATACHANGE", "SERVERMETADATACHANGE").contains(e.toUpperCase(Locale.ROOT))) {
                    throw new BadEvent(e);
                }
                throw CommandFailed.bad("Unknown event " + e);
            }
            out.add(canon);
        }
        // RFC 5465 §5: MessageNew and MessageExpunge go together; FlagChange needs both
        if (out.contains("MessageNew") != out.contains("MessageExpunge")) {
            throw CommandFailed.bad("MessageNew and MessageExpunge must be requested together");
        }
        if (out.contains("FlagChange") && !out.contains("MessageNew")) {
            throw CommandFailed.bad("FlagChange needs MessageNew and MessageExpunge");
        }
        return out;
    }
}
