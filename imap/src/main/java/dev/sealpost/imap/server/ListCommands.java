package dev.sealpost.imap.server;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.ImapSyntaxException;
import dev.sealpost.imap.proto.ListPattern;
import dev.sealpost.imap.proto.ModifiedUtf7;
import dev.sealpost.store.Mailboxes.MailboxInfo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static dev.sealpost.imap.server.ImapSession.ALL_RIGHTS;
import static dev.sealpost.imap.server.ImapSession.OTHER_USERS;

/**
 * LIST and LSUB (RFC 9051 §6.3.9, RFC 3501 §6.3.9, RFC 5258 LIST-EXTENDED, RFC 5819 LIST-STATUS,
 * RFC 6154 SPECIAL-USE) over the universe of names a session may see, and NAMESPACE (RFC 2342).
 */
final class ListCommands extends CommandFamily {
    ListCommands(ImapSession session) {
        super(session);
    }

    String namespace(List<Arg> a) throws IOException, CommandFailed {
        noArgs(a);
        // RFC 2342: personal "", other users "Other Users/", no shared namespace
        untagged("NAMESPACE ((\"\" \"/\")) ((\"" + OTHER_USERS + "/\" \"/\")) NIL");
        return "NAMESPACE completed";
    }

    // ================================================================ LIST / LSUB (RFC 9051 §6.3.9, RFC 5258, RFC 5819, RFC 6154)

    /** One name LIST may return. */
    static final class Entry {
        final String name;
        MailboxInfo info;
        boolean virtual;
        boolean subscribed;
        String rights = ALL_RIGHTS;

        Entry(String name) {
            this.name = name;
        }
    }

    TreeMap<String, Entry> universe() {
        TreeMap<String, Entry> all = new TreeMap<>((x, y) -> {
            boolean xi = x.equals("INBOX") || x.startsWith("INBOX/");
            boolean yi = y.equals("INBOX") || y.startsWith("INBOX/");
            if (xi != yi) return xi ? -1 : 1; // INBOX first
            return x.compareTo(y);
        });
        for (MailboxInfo m : mailboxes().list(account().id())) {
            Entry e = all.computeIfAbsent(m.name(), Entry::new);
            e.info = m;
            e.subscribed = m.subscribed();
            // RFC 9051 §6.3.9: a level of hierarchy above a mailbox that is no mailbox itself (e.g. after
            // DELETE of the parent, §6.3.5) is still listed, with \Noselect
            for (int i = m.name().indexOf('/'); i > 0; i = m.name().indexOf('/', i + 1)) {
                Entry p = all.computeIfAbsent(m.name().substring(0, i), Entry::new);
                if (p.info == null) p.virtual = true;
            }
        }
        for (MailboxResolver.Shared sh : session.resolver().shared()) {
            if (sh.rights().indexOf('l') < 0) continue;
            Entry e = all.computeIfAbsent(sh.wireName(), Entry::new);
            e.info = sh.info();
            e.rights = sh.rights();
            String owner = OTHER_USERS + "/" + sh.owner();
            all.computeIfAbsent(OTHER_USERS, Entry::new).virtual = true;
            all.computeIfAbsent(owner, Entry::new).virtual = true;
            // superiors inside the owner's tree that are not shared themselves
            String n = sh.info().name();
            for (int i = n.indexOf('/'); i > 0; i = n.indexOf('/', i + 1)) {
                Entry p = all.computeIfAbsent(owner + "/" + n.substring(0, i), Entry::new);
                if (p.info == null) p.virtual = true;
            }
        }
        for (String s : mailboxes().subscriptions(account().id())) {
            String n = s.equalsIgnoreCase("INBOX") ? "INBOX" : s;
            all.computeIfAbsent(n, Entry::new).subscribed = true;
        }
        return all;
    }

    /** Patterns in one LIST command (RFC 5258 §3 allows a list of them). */
    static final int LIST_MAX_PATTERNS = 64;
    /**
     * Matching steps one LIST or LSUB may take over all its names and patterns (see
     * {@link ListPattern#steps()}): about a tenth of a second of CPU; past it the command ends with
     * {@code NO [LIMIT]} (RFC 5530).
     */
    static final long LIST_MAX_STEPS = 20_000_000;

    /** RFC 9051 §6.3.9 LIST patterns: matches any of them, within the command's step budget. */
    static boolean anyMatch(List<ListPattern> patterns, String name) throws CommandFailed {
        long steps = 0;
        boolean hit = false;
        for (ListPattern p : patterns) {
            if (!hit && p.matches(name)) hit = true;
            steps += p.steps();
        }
        if (steps > LIST_MAX_STEPS) throw no("[LIMIT] LIST pattern too costly for these mailbox names; use a simpler pattern");
        return hit;
    }

    static ListPattern listPattern(String ref, String pattern) throws CommandFailed {
        try {
            return ListPattern.of(ref, pattern);
        } catch (ImapSyntaxException e) {
            throw bad(e.getMessage());
        }
    }

    List<String> attributes(MailboxInfo mb, boolean children) {
        List<String> attrs = new ArrayList<>();
        if (children) {
            String prefix = mb.name() + "/";
            boolean has = mailboxes().list(mb.accountId()).stream().anyMatch(m -> m.name().startsWith(prefix));
            attrs.add(has ? "\\HasChildren" : "\\HasNoChildren");
        }
        if (mb.specialUse() != null) attrs.add(mb.specialUse());
        return attrs;
    }

    String list(List<Arg> a) throws IOException, CommandFailed {
        int i = 0;
        Set<String> sel = new LinkedHashSet<>();
        if (i < a.size() && a.get(i) instanceof Arg.ListArg so) { // RFC 5258 §3 selection options
            for (Arg x : so.items()) sel.add(text(x).toUpperCase(Locale.ROOT));
            i++;
        }
        if (a.size() < i + 2) throw bad("LIST [(selection)] reference pattern [RETURN (options)]");
        String ref = mailboxName(a.get(i++));
        List<String> patterns = new ArrayList<>();
        if (a.get(i) instanceof Arg.ListArg pl) { // RFC 5258 §3: several patterns
            for (Arg x : pl.items()) patterns.add(patternText(x));
        } else {
            patterns.add(patternText(a.get(i)));
        }
        i++;
        Set<String> ret = new LinkedHashSet<>();
        List<String> statusItems = null;
        if (i < a.size()) {
            if (!"RETURN".equalsIgnoreCase(Arg.text(a.get(i))) || i + 2 != a.size() || !(a.get(i + 1) instanceof Arg.ListArg ro)) {
                throw bad("Expected RETURN (options)");
            }
            List<Arg> r = ro.items();
            for (int k = 0; k < r.size(); k++) {
                String o = text(r.get(k)).toUpperCase(Locale.ROOT);
                if (o.equals("STATUS")) { // RFC 5819
                    if (k + 1 >= r.size() || !(r.get(k + 1) instanceof Arg.ListArg st)) throw bad("STATUS needs a list of items");
                    statusItems = new ArrayList<>();
                    for (Arg s : st.items()) statusItems.add(text(s).toUpperCase(Locale.ROOT));
                    k++;
                } else if (Set.of("SUBSCRIBED", "CHILDREN", "SPECIAL-USE", "MYRIGHTS").contains(o)) {
                    ret.add(o);
                } else {
                    throw bad("Unknown LIST return option " + o);
                }
            }
        }
        for (String s : sel) {
            if (!Set.of("SUBSCRIBED", "REMOTE", "RECURSIVEMATCH", "SPECIAL-USE").contains(s)) throw bad("Unknown LIST selection option " + s);
        }
        if (sel.contains("RECURSIVEMATCH") && !(sel.contains("SUBSCRIBED") || sel.contains("SPECIAL-USE"))) {
            throw bad("RECURSIVEMATCH needs another selection option"); // RFC 5258 §3
        }
        boolean extended = !sel.isEmpty() || !ret.isEmpty() || statusItems != null || patterns.size() > 1;
        if (!extended && patterns.size() == 1 && patterns.getFirst().isEmpty()) {
            // RFC 9051 §6.3.9: the hierarchy delimiter and root of the reference
            String root = ref.startsWith(OTHER_USERS) ? OTHER_USERS + "/" : "";
            untagged("LIST (\\Noselect) \"/\" " + mbox(root));
            return "LIST completed";
        }
        if (patterns.size() > LIST_MAX_PATTERNS) throw bad("Too many LIST patterns (at most " + LIST_MAX_PATTERNS + ")");
        List<ListPattern> res = new ArrayList<>();
        for (String p : patterns) res.add(listPattern(ref, p));
        TreeMap<String, Entry> all = universe();
        boolean selSub = sel.contains("SUBSCRIBED");
        boolean selSpecial = sel.contains("SPECIAL-USE");
        boolean showSub = selSub || ret.contains("SUBSCRIBED");
        for (Entry e : all.values()) {
            if (!anyMatch(res, e.name)) continue;
            boolean exists = e.info != null || e.virtual;
            String childInfo = null;
            if (selSub && !e.subscribed) {
                // RFC 5258 §3.5 RECURSIVEMATCH: a parent whose inferior is subscribed
                // whose subscribed inferior is not listed itself (matches no pattern), as Dovecot does
                if (sel.contains("RECURSIVEMATCH") && subscribedInferiorNotListed(all, e.name, res)) {
                    childInfo = " (\"CHILDINFO\" (\"SUBSCRIBED\"))";
                } else {
                    continue;
                }
            }
            if (!selSub && !exists) continue;
            if (selSpecial && (e.info == null || e.info.specialUse() == null)) continue;
            List<String> attrs = new ArrayList<>();
            if (!exists) attrs.add("\\NonExistent");
            else if (e.info == null) attrs.add("\\Noselect");
            boolean kids = all.tailMap(e.name + "/").keySet().stream().findFirst()
                    .map(k -> k.startsWith(e.name + "/") && hasExisting(all, e.name)).orElse(false);
            if (exists) attrs.add(kids ? "\\HasChildren" : "\\HasNoChildren");
            if (showSub && e.subscribed) attrs.add("\\Subscribed");
            if (e.info != null && e.info.specialUse() != null) attrs.add(e.info.specialUse());
            untagged("LIST (" + String.join(" ", attrs) + ") \"/\" " + mbox(e.name) + (childInfo == null ? "" : childInfo));
            if (statusItems != null && e.info != null && (e.rights.indexOf('r') >= 0)) {
                untagged("STATUS " + mbox(e.name) + " (" + session.status.statusText(e.info, statusItems) + ")");
            }
            if (ret.contains("MYRIGHTS") && exists) {
                untagged("MYRIGHTS " + mbox(e.name) + " " + e.rights);
            }
        }
        return "LIST completed";
    }

    /** RFC 5258 §3.5: an inferior of {@code name} that is subscribed and matches none of the patterns. */
    static boolean subscribedInferiorNotListed(TreeMap<String, Entry> all, String name, List<ListPattern> res) throws CommandFailed {
        for (Map.Entry<String, Entry> x : all.tailMap(name + "/").entrySet()) {
            if (!x.getKey().startsWith(name + "/")) return false;
            if (x.getValue().subscribed && !anyMatch(res, x.getKey())) return true;
        }
        return false;
    }

    static boolean hasExisting(TreeMap<String, Entry> all, String name) {
        for (Map.Entry<String, Entry> x : all.tailMap(name + "/").entrySet()) {
            if (!x.getKey().startsWith(name + "/")) return false;
            if (x.getValue().info != null || x.getValue().virtual) return true;
        }
        return false;
    }

    /**
     * A list-mailbox pattern: like a mailbox name, with wildcards kept. A pattern that is not valid
     * modified UTF-7 is taken literally (it then matches no mailbox; RFC 3501 §6.3.8 allows any
     * list-mailbox, and Dovecot answers OK).
     */
    String patternText(Arg a) throws CommandFailed {
        String t = text(a);
        if (utf8()) return t;
        try {
            return ModifiedUtf7.decode(t);
        } catch (ImapSyntaxException e) {
            return t;
        }
    }

    String lsub(List<Arg> a) throws IOException, CommandFailed {
        argc(a, 2);
        String ref = mailboxName(a.get(0));
        String pat = patternText(a.get(1));
        if (pat.isEmpty()) {
            untagged("LSUB (\\Noselect) \"/\" \"\"");
            return "LSUB completed";
        }
        List<ListPattern> p = List.of(listPattern(ref, pat));
        TreeMap<String, Entry> all = universe();
        Set<String> sent = new LinkedHashSet<>();
        for (Entry e : all.values()) {
            if (!e.subscribed) continue;
            if (anyMatch(p, e.name)) {
                if (sent.add(e.name)) untagged("LSUB (" + (e.info == null ? "\\Noselect" : "") + ") \"/\" " + mbox(e.name)); // RFC 3501 §6.3.9
                continue;
            }
            // RFC 3501 §6.3.9: with "%", a superior of a subscribed name that matches is returned with \Noselect
            for (int k = e.name.lastIndexOf('/'); k > 0; k = e.name.lastIndexOf('/', k - 1)) {
                String sup = e.name.substring(0, k);
                Entry se = all.get(sup);
                if ((se == null || !se.subscribed) && anyMatch(p, sup) && sent.add(sup)) {
                    untagged("LSUB (\\Noselect) \"/\" " + mbox(sup));
                }
            }
        }
        return "LSUB completed";
    }
}
