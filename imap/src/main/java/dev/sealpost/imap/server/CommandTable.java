package dev.sealpost.imap.server;

import dev.sealpost.imap.server.CommandSpec.Allowed;
import dev.sealpost.imap.server.CommandSpec.Handler;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.sealpost.imap.server.CommandSpec.Allowed.ANY;
import static dev.sealpost.imap.server.CommandSpec.Allowed.AUTHENTICATED;
import static dev.sealpost.imap.server.CommandSpec.Allowed.NOT_AUTHENTICATED;
import static dev.sealpost.imap.server.CommandSpec.Allowed.SELECTED;

/**
 * The IMAP commands this server knows (Dovecot's {@code imap-commands.c}): each with the states it
 * is valid in, its UID form, whether it uses sequence numbers, and the family that runs it.
 * {@link ImapSession#execute} looks the command up here, checks the state and the UID form, runs
 * the handler, and reads {@link CommandSpec#mayExpunge} for the sync that follows.
 */
final class CommandTable {
    private static final Map<String, CommandSpec> BY_NAME = new LinkedHashMap<>();

    static {
        // any state (RFC 9051 §6.1)
        add("CAPABILITY", ANY, (s, c) -> s.anyState.capability(c.args()));
        add("NOOP", ANY, (s, c) -> s.anyState.noop(c.args()));
        add("LOGOUT", ANY, (s, c) -> s.anyState.logout(c.tag(), c.args()));
        add("ID", ANY, (s, c) -> s.anyState.id(c.args())); // RFC 2971
        // not authenticated (RFC 9051 §6.2)
        add("STARTTLS", NOT_AUTHENTICATED, ImapSession::startTlsCommand);
        add("LOGIN", NOT_AUTHENTICATED, (s, c) -> s.auth.login(c.args()));
        add("AUTHENTICATE", NOT_AUTHENTICATED, (s, c) -> s.auth.authenticate(c.args()));
        // authenticated (RFC 9051 §6.3) and extensions
        add("ENABLE", AUTHENTICATED, (s, c) -> s.select.enable(c.args()));
        add("SELECT", AUTHENTICATED, (s, c) -> s.select.select(c.tag(), c.args(), false));
        add("EXAMINE", AUTHENTICATED, (s, c) -> s.select.select(c.tag(), c.args(), true));
        add("CREATE", AUTHENTICATED, (s, c) -> s.mailbox.create(c.args()));
        add("DELETE", AUTHENTICATED, (s, c) -> s.mailbox.delete(c.args()));
        add("RENAME", AUTHENTICATED, (s, c) -> s.mailbox.rename(c.args()));
        add("SUBSCRIBE", AUTHENTICATED, (s, c) -> s.mailbox.subscribe(c.args(), true));
        add("UNSUBSCRIBE", AUTHENTICATED, (s, c) -> s.mailbox.subscribe(c.args(), false));
        add("LIST", AUTHENTICATED, (s, c) -> s.list.list(c.args()));
        add("LSUB", AUTHENTICATED, (s, c) -> s.list.lsub(c.args()));
        add("NAMESPACE", AUTHENTICATED, (s, c) -> s.list.namespace(c.args()));
        add("STATUS", AUTHENTICATED, (s, c) -> s.status.status(c.args()));
        add("APPEND", AUTHENTICATED, (s, c) -> s.append.append(c.args()));
        add("IDLE", AUTHENTICATED, (s, c) -> s.idle.idle(c.tag(), c.args()));
        add("GETQUOTAROOT", AUTHENTICATED, (s, c) -> s.quota.getQuotaRoot(c.args()));
        add("GETQUOTA", AUTHENTICATED, (s, c) -> s.quota.getQuota(c.args()));
        add("SETQUOTA", AUTHENTICATED, (s, c) -> s.quota.setQuota(c.args()));
        add("GETMETADATA", AUTHENTICATED, (s, c) -> s.metadata.getMetadata(c.args()));
        add("SETMETADATA", AUTHENTICATED, (s, c) -> s.metadata.setMetadata(c.args()));
        add("GETACL", AUTHENTICATED, (s, c) -> s.acl.getAcl(c.args()));
        add("SETACL", AUTHENTICATED, (s, c) -> s.acl.setAcl(c.args()));
        add("DELETEACL", AUTHENTICATED, (s, c) -> s.acl.deleteAcl(c.args()));
        add("LISTRIGHTS", AUTHENTICATED, (s, c) -> s.acl.listRights(c.args()));
        add("MYRIGHTS", AUTHENTICATED, (s, c) -> s.acl.myRights(c.args()));
        add("COMPRESS", AUTHENTICATED, ImapSession::compressCommand); // RFC 4978
        add("UNAUTHENTICATE", AUTHENTICATED, (s, c) -> s.auth.unauthenticate(c.args())); // RFC 8437
        add("NOTIFY", AUTHENTICATED, (s, c) -> s.notifications.notifyCommand(c.args())); // RFC 5465
        // selected (RFC 9051 §6.4); usesSeqs: no EXPUNGE during the non-UID form (RFC 9051 §7.5.1)
        add("CHECK", SELECTED, (s, c) -> s.select.check(c.args())); // RFC 3501 §6.4.1
        add("CLOSE", SELECTED, (s, c) -> s.select.close(c.args()));
        add("UNSELECT", SELECTED, (s, c) -> s.select.unselect(c.args())); // RFC 3691
        add(new CommandSpec("EXPUNGE", SELECTED, true, false, (s, c) -> s.message.expunge(c.args(), c.uid())));
        add(new CommandSpec("FETCH", SELECTED, true, true, (s, c) -> s.fetch.fetch(c.args(), c.uid())));
        add(new CommandSpec("STORE", SELECTED, true, true, (s, c) -> s.message.storeFlags(c.args(), c.uid())));
        add(new CommandSpec("SEARCH", SELECTED, true, true, (s, c) -> s.search.search(c.tag(), c.args(), c.uid())));
        add(new CommandSpec("SORT", SELECTED, true, true, (s, c) -> s.search.sort(c.tag(), c.args(), c.uid()))); // RFC 5256
        add(new CommandSpec("THREAD", SELECTED, true, true, (s, c) -> s.search.thread(c.args(), c.uid()))); // RFC 5256
        add(new CommandSpec("COPY", SELECTED, true, true, (s, c) -> s.message.copy(c.args(), c.uid(), false)));
        add(new CommandSpec("MOVE", SELECTED, true, false, (s, c) -> s.message.copy(c.args(), c.uid(), true))); // RFC 6851
        add("CANCELUPDATE", SELECTED, (s, c) -> s.search.cancelUpdate(c.args())); // RFC 5267
    }

    private CommandTable() {
    }

    private static void add(String name, Allowed allowed, Handler h) {
        add(new CommandSpec(name, allowed, false, false, h));
    }

    private static void add(CommandSpec spec) {
        BY_NAME.put(spec.name(), spec);
    }

    /** The command of that name (upper case), or null. */
    static CommandSpec find(String name) {
        return BY_NAME.get(name);
    }

    static Collection<CommandSpec> all() {
        return BY_NAME.values();
    }
}
