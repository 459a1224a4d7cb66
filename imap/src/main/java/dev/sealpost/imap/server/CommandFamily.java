package dev.sealpost.imap.server;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.ImapSyntaxException;
import dev.sealpost.imap.server.ImapSession.State;
import dev.sealpost.imap.server.MailboxResolver.Target;
import dev.sealpost.store.Directory;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Mailboxes.MessageInfo;
import dev.sealpost.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The base of a command family (Dovecot's {@code client_command_context}, as a superclass): what
 * every handler may use of its session. The session state (state, account, ENABLEd extensions,
 * selected mailbox, SEARCHRES) stays in {@link ImapSession}, read and set through these methods;
 * output goes through {@link ImapOutput}; mailbox names through {@link MailboxResolver}; the
 * selected view's updates through {@link SelectedSync}. A handler returns the text of its tagged
 * OK, or null when it answered itself, and fails with {@link CommandFailed}.
 */
abstract class CommandFamily {
    /** The session's logger: log lines keep their category. */
    static final Logger log = LoggerFactory.getLogger(ImapSession.class);

    final ImapSession session;

    CommandFamily(ImapSession session) {
        this.session = session;
    }

    // ---------------------------------------------------------------- handles

    ImapServerConfig cfg() {
        return session.cfg();
    }

    Store store() {
        return session.store();
    }

    Mailboxes mailboxes() {
        return session.mailboxes();
    }

    String id() {
        return session.sessionId();
    }

    // ---------------------------------------------------------------- session state

    State state() {
        return session.state();
    }

    void state(State s) {
        session.state(s);
    }

    Directory.Account account() {
        return session.account();
    }

    SelectedMailbox selected() {
        return session.selected();
    }

    void selected(SelectedMailbox s) {
        session.selected(s);
    }

    boolean rev2() {
        return session.rev2();
    }

    boolean condstore() {
        return session.condstore();
    }

    boolean qresync() {
        return session.qresync();
    }

    boolean utf8() {
        return session.utf8();
    }

    void rev2(boolean on) {
        session.rev2(on);
    }

    void condstore(boolean on) {
        session.condstore(on);
    }

    void qresync(boolean on) {
        session.qresync(on);
    }

    void utf8(boolean on) {
        session.utf8(on);
    }

    List<Long> searchRes() {
        return session.searchRes();
    }

    void searchRes(List<Long> uids) {
        session.searchRes(uids);
    }

    /**
     * Turns CONDSTORE on; when that happens with a mailbox selected, the client learns its
     * HIGHESTMODSEQ now (RFC 7162 §3.1: the first CONDSTORE-enabling command in the selected state).
     */
    void enableCondstore() throws IOException {
        if (condstore()) return;
        session.condstore(true);
        SelectedMailbox s = selected();
        if (s != null) untagged("OK [HIGHESTMODSEQ " + s.knownModSeq + "] Highest");
    }

    // ---------------------------------------------------------------- output

    ImapOutput output() {
        return session.output();
    }

    void write(String s) throws IOException {
        output().write(s);
    }

    void untagged(String s) throws IOException {
        output().untagged(s);
    }

    void tagged(String tag, String s) throws IOException {
        output().tagged(tag, s);
    }

    void flush() throws IOException {
        output().flush();
    }

    String mbox(String name) {
        return ImapOutput.mbox(name, utf8());
    }

    static String q(String s) {
        return ImapOutput.q(s);
    }

    static String flagList(Collection<String> flags) {
        return ImapOutput.flagList(flags);
    }

    static String uidSet(Collection<Long> uids) {
        return ImapOutput.uidSet(uids);
    }

    static String orderedSet(List<Long> uids) {
        return ImapOutput.orderedSet(uids);
    }

    // ---------------------------------------------------------------- failures and arguments

    static CommandFailed no(String text) {
        return CommandFailed.no(text);
    }

    static CommandFailed bad(String text) {
        return CommandFailed.bad(text);
    }

    static void noArgs(List<Arg> a) throws CommandFailed {
        if (!a.isEmpty()) throw bad("Unexpected arguments");
    }

    static void argc(List<Arg> a, int n) throws CommandFailed {
        if (a.size() != n) throw bad("Expected " + n + " argument" + (n == 1 ? "" : "s"));
    }

    /** {@code astring} argument as text. */
    static String text(Arg a) throws CommandFailed {
        String t = Arg.text(a);
        if (t == null) throw bad("Expected a string");
        return t;
    }

    static long number(Arg a) throws CommandFailed {
        String t = Arg.text(a);
        if (t == null || t.isEmpty() || t.length() > 19) throw bad("Expected a number");
        for (int i = 0; i < t.length(); i++) if (t.charAt(i) < '0' || t.charAt(i) > '9') throw bad("Expected a number");
        return Long.parseLong(t);
    }

    // ---------------------------------------------------------------- flag lists (APPEND, STORE)

    /** Flags from a flag list: system flags in canonical case, keywords as atoms (RFC 9051 §2.3.2). */
    static Set<String> flags(List<Arg> items) throws CommandFailed {
        Set<String> out = new LinkedHashSet<>();
        for (Arg x : items) {
            if (!(x instanceof Arg.Atom at)) throw bad("Flags must be atoms");
            String f = at.value();
            if (f.startsWith("\\")) {
                String canon = SelectedMailbox.SYSTEM_FLAGS.stream().filter(sf -> sf.equalsIgnoreCase(f)).findFirst().orElse(null);
                if (canon == null) {
                    if (f.equalsIgnoreCase("\\Recent")) continue; // RFC 9051 §2.3.2: cannot be set
                    throw bad("Unknown system flag " + f);
                }
                out.add(canon);
            } else {
                if (f.isEmpty() || f.length() > 100) throw bad("Invalid keyword");
                for (int k = 0; k < f.length(); k++) {
                    char c = f.charAt(k);
                    if (c <= 0x20 || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) throw bad("Invalid keyword " + f);
                }
                out.add(f);
            }
        }
        if (out.size() > 100) throw bad("Too many flags");
        return out;
    }

    /**
     * Refuses flags that would take a mailbox holding the keywords {@code known} past
     * {@code imap.max_keywords} distinct keywords: {@code NO [LIMIT]} (RFC 5530 §3). Keywords
     * compare case-insensitively (RFC 9051 §2.3.2); a keyword the mailbox already has is always fine.
     */
    void checkKeywordLimit(java.util.Collection<String> known, java.util.Collection<String> adding) throws CommandFailed {
        int max = cfg().limits().maxKeywords();
        Set<String> all = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String k : known) if (!k.startsWith("\\")) all.add(k);
        int before = all.size();
        for (String f : adding) if (!f.startsWith("\\")) all.add(f);
        if (all.size() > before && all.size() > max) {
            throw no("[LIMIT] At most " + max + " keywords per mailbox; use one it already has");
        }
    }

    /** The flags of a set that these rights allow setting or clearing (RFC 4314 §4). */
    static Set<String> permitted(Set<String> flags, String rights) {
        Set<String> out = new LinkedHashSet<>();
        for (String f : flags) {
            char need = f.equals("\\Seen") ? 's' : f.equals("\\Deleted") ? 't' : 'w';
            if (rights.indexOf(need) >= 0) out.add(f);
        }
        return out;
    }

    // ---------------------------------------------------------------- mailbox names and rights

    String mailboxName(Arg a) throws CommandFailed {
        return session.resolver().mailboxName(a);
    }

    Target target(String name) {
        return session.resolver().target(name);
    }

    Target existing(Arg a, char right) throws CommandFailed {
        return session.resolver().existing(a, right);
    }

    // ---------------------------------------------------------------- the selected mailbox's view

    void sync(boolean allowExpunge) throws IOException {
        session.selectedSync().sync(allowExpunge);
    }

    void reportExpunged(SelectedMailbox s, List<Long> uids) throws IOException {
        session.selectedSync().reportExpunged(s, uids);
    }

    void fetchResponse(SelectedMailbox s, int seq, String items) throws IOException {
        session.selectedSync().fetchResponse(s, seq, items);
    }

    void fetchResponse(SelectedMailbox s, int seq, byte[] data) throws IOException {
        session.selectedSync().fetchResponse(s, seq, data);
    }

    /** Re-runs the searches kept up to date (RFC 5267 §4.3) and reports their changes. */
    void searchUpdates() throws IOException {
        session.search.searchUpdates();
    }

    Set<String> viewFlags(MessageInfo m) {
        SelectedMailbox s = selected();
        return s == null ? m.flags() : s.viewFlags(m, rev2());
    }

    boolean isRecent(long uid) {
        SelectedMailbox s = selected();
        return s != null && s.isRecent(uid, rev2());
    }

    String flagItems(MessageInfo m, boolean withUid) {
        return (withUid ? "UID " + m.uid() + " " : "") + "FLAGS " + flagList(viewFlags(m))
                + (condstore() ? " MODSEQ (" + m.modSeq() + ")" : "");
    }

    /** The UIDs a sequence set (or UID set, or {@code $}) names in the selected mailbox, in sequence order. */
    List<Long> resolve(Arg a, boolean uid) throws CommandFailed, ImapSyntaxException {
        return selected().resolve(a, uid, searchRes());
    }

    String seqOrUidSet(Collection<Long> uids, boolean uid) {
        return uid ? uidSet(uids) : uidSet(selected().seqs(uids));
    }
}
