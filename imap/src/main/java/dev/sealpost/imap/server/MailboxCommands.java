package dev.sealpost.imap.server;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.server.MailboxResolver.Target;
import dev.sealpost.store.Mailboxes;

import java.util.List;

import static dev.sealpost.imap.server.ImapSession.OTHER_USERS;

/**
 * CREATE (with RFC 6154 CREATE-SPECIAL-USE), DELETE, RENAME, SUBSCRIBE and UNSUBSCRIBE (RFC 9051
 * §6.3.4 to §6.3.8).
 */
final class MailboxCommands extends CommandFamily {
    MailboxCommands(ImapSession session) {
        super(session);
    }

    /**
     * {@code imap.max_mailboxes}: the mailboxes CREATE would add (the name and any superior not
     * there yet, RFC 9051 §6.3.4) must fit, else {@code NO [LIMIT]} (RFC 5530). Without a bound an
     * account could create mailboxes until every LIST, STATUS and NOTIFY of it is slow.
     */
    private void checkMailboxCount(String name) throws CommandFailed {
        int max = cfg().limits().maxMailboxes();
        java.util.Set<String> have = new java.util.HashSet<>();
        for (var m : mailboxes().list(account().id())) have.add(m.name());
        int adding = have.contains(name) ? 0 : 1;
        for (int i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
            if (!have.contains(name.substring(0, i))) adding++;
        }
        if (adding > 0 && have.size() + adding > max) throw no("[LIMIT] At most " + max + " mailboxes per account");
    }

    String create(List<Arg> a) throws CommandFailed {
        if (a.isEmpty() || a.size() > 2) throw bad("CREATE mailbox [(USE (attributes))]");
        String name = mailboxName(a.get(0));
        // RFC 9051 §6.3.4: a trailing separator only says inferiors will be created
        while (name.endsWith("/")) name = name.substring(0, name.length() - 1);
        validName(name);
        String use = null;
        if (a.size() == 2) { // RFC 6154 §3 CREATE-SPECIAL-USE
            if (!(a.get(1) instanceof Arg.ListArg p) || p.items().size() != 2 || !"USE".equalsIgnoreCase(Arg.text(p.items().get(0)))
                    || !(p.items().get(1) instanceof Arg.ListArg uses)) {
                throw bad("CREATE parameters must be (USE (attributes))");
            }
            if (uses.items().size() > 1) throw no("[USEATTR] Only one special-use attribute per mailbox");
            if (uses.items().size() == 1) use = text(uses.items().getFirst());
        }
        if (name.equals("INBOX")) throw no("[ALREADYEXISTS] INBOX always exists");
        if (name.equals(OTHER_USERS) || name.startsWith(OTHER_USERS + "/")) throw no("[NOPERM] Cannot create mailboxes of other users");
        checkMailboxCount(name);
        return switch (mailboxes().create(account().id(), name, use)) {
            case Mailboxes.MailboxResult.Done d -> {
                log.info("{} CREATE {}", id(), name);
                yield "CREATE completed";
            }
            case Mailboxes.MailboxResult.AlreadyExists x -> throw no("[ALREADYEXISTS] Mailbox already exists");
            case Mailboxes.MailboxResult.NotFound x -> throw no("[NONEXISTENT] No such mailbox");
            case Mailboxes.MailboxResult.Refused r -> throw no((use != null ? "[USEATTR] " : "[CANNOT] ") + r.reason());
        };
    }

    static void validName(String name) throws CommandFailed {
        if (name.isEmpty()) throw bad("Empty mailbox name");
        if (name.contains("%") || name.contains("*")) throw no("[CANNOT] Mailbox names may not contain % or *");
        if (name.startsWith("/") || name.contains("//")) throw no("[CANNOT] Empty hierarchy level in the name");
        for (int i = 0; i < name.length(); i++) if (name.charAt(i) < 0x20 || name.charAt(i) == 0x7f) throw no("[CANNOT] Control character in the name");
    }

    String delete(List<Arg> a) throws CommandFailed {
        argc(a, 1);
        String name = mailboxName(a.get(0));
        Target t = target(name);
        if (!t.own()) {
            if (t.info() == null) throw no("[NONEXISTENT] No such mailbox");
            throw no("[NOPERM] Cannot delete other users' mailboxes");
        }
        if (selected() != null && t.info() != null && t.info().id() == selected().mailboxId) {
            throw no("[INUSE] Cannot delete the selected mailbox; close it first");
        }
        return switch (mailboxes().delete(account().id(), name)) {
            case Mailboxes.MailboxResult.Done d -> {
                if (t.info() != null) RecentTracker.of(mailboxes()).forget(t.info().id(), t.info().uidValidity());
                log.info("{} DELETE {}", id(), name);
                yield "DELETE completed";
            }
            case Mailboxes.MailboxResult.NotFound x -> throw no("[NONEXISTENT] No such mailbox");
            case Mailboxes.MailboxResult.AlreadyExists x -> throw no("[CANNOT] Cannot delete");
            case Mailboxes.MailboxResult.Refused r -> throw no("[CANNOT] " + r.reason());
        };
    }

    String rename(List<Arg> a) throws CommandFailed {
        argc(a, 2);
        String from = mailboxName(a.get(0));
        String to = mailboxName(a.get(1));
        while (to.endsWith("/")) to = to.substring(0, to.length() - 1);
        validName(to);
        if (from.startsWith(OTHER_USERS + "/") || to.equals(OTHER_USERS) || to.startsWith(OTHER_USERS + "/")) {
            throw no("[NOPERM] Cannot rename into or out of other users' mailboxes");
        }
        return switch (mailboxes().rename(account().id(), from, to)) {
            case Mailboxes.MailboxResult.Done d -> {
                log.info("{} RENAME {} -> {}", id(), from, to);
                yield "RENAME completed";
            }
            case Mailboxes.MailboxResult.NotFound x -> throw no("[NONEXISTENT] No such mailbox");
            case Mailboxes.MailboxResult.AlreadyExists x -> throw no("[ALREADYEXISTS] Target mailbox already exists");
            case Mailboxes.MailboxResult.Refused r -> throw no("[CANNOT] " + r.reason());
        };
    }

    String subscribe(List<Arg> a, boolean on) throws CommandFailed {
        argc(a, 1);
        String name = mailboxName(a.get(0));
        if (on && target(name).info() == null) throw no("[NONEXISTENT] No such mailbox"); // RFC 9051 §6.3.7 permits refusing
        mailboxes().subscribe(account().id(), name, on);
        return (on ? "SUBSCRIBE" : "UNSUBSCRIBE") + " completed";
    }
}
