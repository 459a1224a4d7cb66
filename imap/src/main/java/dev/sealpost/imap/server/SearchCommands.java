package dev.sealpost.imap.server;

import dev.sealpost.imap.MessageView;
import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.ImapSyntaxException;
import dev.sealpost.imap.search.BadCharsetException;
import dev.sealpost.imap.search.ReturnOption;
import dev.sealpost.imap.search.Search;
import dev.sealpost.imap.search.SearchCommand;
import dev.sealpost.imap.search.SearchContext;
import dev.sealpost.imap.search.SearchKey;
import dev.sealpost.imap.search.Sort;
import dev.sealpost.imap.search.SortCommand;
import dev.sealpost.imap.search.SortCriterion;
import dev.sealpost.imap.search.ThreadCommand;
import dev.sealpost.imap.search.Threads;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * SEARCH, SORT and THREAD (RFC 9051 §6.4.4, RFC 5256), CANCELUPDATE, and the searches kept up to
 * date with RFC 5267 CONTEXT=SEARCH / CONTEXT=SORT.
 */
final class SearchCommands extends CommandFamily {
    SearchCommands(ImapSession session) {
        super(session);
    }

    /** The selected mailbox's messages as views, in sequence order. */
    List<StoredMessage> views() {
        SelectedMailbox s = selected();
        List<StoredMessage> out = new ArrayList<>(s.uids.size());
        for (int i = 0; i < s.uids.size(); i++) {
            long u = s.uids.get(i);
            out.add(new StoredMessage(i + 1, s.byUid.get(u), isRecent(u), store().blobs(), mailboxes()));
        }
        return out;
    }

    SearchContext searchContext() {
        SelectedMailbox s = selected();
        return new SearchContext(s.uids.size(), s.maxUid(), Set.copyOf(searchRes()), java.time.Clock.systemDefaultZone(), true);
    }

    String search(String tag, List<Arg> a, boolean uid) throws IOException, CommandFailed, ImapSyntaxException {
        SearchCommand sc;
        try {
            sc = SearchCommand.parse(a);
        } catch (BadCharsetException e) {
            throw no("[" + e.responseCode() + "] Unsupported charset");
        }
        if (sc.usesModSeq()) enableCondstore(); // RFC 7162 §3.1: a CONDSTORE-enabling command
        boolean update = sc.returnOptions().contains(ReturnOption.UPDATE);
        if (update) checkUpdateSlot(tag);
        List<MessageView> hits = Search.search(sc.key(), views(), searchContext());
        if (sc.returnSave()) searchRes(sc.resultToSave(hits.stream().map(MessageView::uid).toList())); // RFC 5182 §2.4
        // IMAP4rev1: * SEARCH; IMAP4rev2 or RETURN: * ESEARCH (RFC 9051 §6.4.4, RFC 4731); SAVE alone: nothing
        String r = Search.response(sc, tag, uid, rev2(), hits);
        if (r != null) write(r + "\r\n");
        if (update) addUpdate(new UpdateContext(tag, uid, sc.key(), null, hits));
        return "SEARCH completed";
    }

    String sort(String tag, List<Arg> a, boolean uid) throws IOException, CommandFailed, ImapSyntaxException {
        SortCommand sc;
        try {
            sc = SortCommand.parse(a);
        } catch (BadCharsetException e) {
            throw no("[" + e.responseCode() + "] Unsupported charset");
        }
        boolean update = sc.returnOptions().contains(ReturnOption.UPDATE);
        if (update) checkUpdateSlot(tag);
        List<MessageView> hits = Sort.sort(sc.criteria(), Search.search(sc.key(), views(), searchContext()));
        write(Sort.response(sc, tag, uid, hits) + "\r\n"); // RFC 5256 §4, RFC 5267 ESORT
        if (update) addUpdate(new UpdateContext(tag, uid, sc.key(), sc.criteria(), hits));
        return "SORT completed";
    }

    // ================================================================ CONTEXT=SEARCH / CONTEXT=SORT (RFC 5267 §4)

    /** How many searches a session may keep up to date at once (each is re-run when the mailbox changes). */
    static final int MAX_UPDATE_CONTEXTS = 8;

    /** A SEARCH or SORT with RETURN (UPDATE): its criteria and its last result (UIDs, in result order). */
    static final class UpdateContext {
        final String tag;
        final boolean uid;
        final dev.sealpost.imap.search.SearchKey key;
        final List<dev.sealpost.imap.search.SortCriterion> sort;
        List<Long> result;

        UpdateContext(String tag, boolean uid, dev.sealpost.imap.search.SearchKey key,
                      List<dev.sealpost.imap.search.SortCriterion> sort, List<MessageView> hits) {
            this.tag = tag;
            this.uid = uid;
            this.key = key;
            this.sort = sort;
            this.result = hits.stream().map(MessageView::uid).toList();
        }
    }

    void checkUpdateSlot(String tag) throws CommandFailed {
        SelectedMailbox s = selected();
        boolean replaces = s.updates.stream().anyMatch(u -> u.tag.equals(tag));
        if (!replaces && s.updates.size() >= MAX_UPDATE_CONTEXTS) {
            throw no("[NOUPDATE " + q(tag) + "] Too many searches are kept up to date; CANCELUPDATE one"); // RFC 5267 §4.2
        }
    }

    void addUpdate(UpdateContext u) {
        SelectedMailbox s = selected();
        s.updates.removeIf(x -> x.tag.equals(u.tag));
        s.updates.add(u);
        s.updatesState = updatesState(s);
    }

    /** RFC 5267 §4.3 CANCELUPDATE tag *(SP tag): stops updating those searches. */
    String cancelUpdate(List<Arg> a) throws CommandFailed {
        if (a.isEmpty()) throw bad("CANCELUPDATE tag ...");
        SelectedMailbox s = selected();
        List<String> tags = new ArrayList<>();
        for (Arg x : a) tags.add(text(x));
        for (String t : tags) if (s.updates.stream().noneMatch(u -> u.tag.equals(t))) throw no("No search with tag " + q(t) + " is kept up to date");
        s.updates.removeIf(u -> tags.contains(u.tag));
        return "CANCELUPDATE completed";
    }

    /** What a re-run of the kept searches depends on: the view's messages, their flags, \Recent and $. */
    long updatesState(SelectedMailbox s) {
        return java.util.Objects.hash(s.knownModSeq, s.uids.size(), s.maxUid(), s.recent.size(), searchRes());
    }

    /** Re-runs the kept searches when the view changed and reports the differences (RFC 5267 §4.3). */
    void searchUpdates() throws IOException {
        SelectedMailbox s = selected();
        if (s == null || s.updates.isEmpty()) return;
        long st = updatesState(s);
        if (st == s.updatesState) return;
        s.updatesState = st;
        List<StoredMessage> views = views();
        SearchContext ctx = searchContext();
        for (UpdateContext u : s.updates) {
            List<MessageView> hits = Search.search(u.key, views, ctx);
            if (u.sort != null) hits = Sort.sort(u.sort, hits);
            sendUpdate(s, u, hits.stream().map(MessageView::uid).toList());
        }
    }

    /**
     * Sends {@code ESEARCH (TAG "t") [UID] REMOVEFROM (...)} and {@code ADDTO (...)} for the change
     * from the context's last result to {@code now}, and keeps {@code now}. RFC 5267 §4.3: an
     * unsorted SEARCH has no positions (0, as in the RFC's examples); for SORT each message comes
     * with its 1-based position, removals in the old order from the end, additions in the new
     * order from the start, so that each position is valid when applied in turn.
     */
    void sendUpdate(SelectedMailbox s, UpdateContext u, List<Long> now) throws IOException {
        List<Long> old = u.result;
        Set<Long> nowSet = new java.util.HashSet<>(now);
        Set<Long> oldSet = new java.util.HashSet<>(old);
        String head = "ESEARCH (TAG " + q(u.tag) + ")" + (u.uid ? " UID" : "");
        if (u.sort == null) {
            List<Long> removed = old.stream().filter(x -> !nowSet.contains(x)).map(x -> u.uid ? x : (long) s.seq(x)).sorted().toList();
            List<Long> added = now.stream().filter(x -> !oldSet.contains(x)).map(x -> u.uid ? x : (long) s.seq(x)).sorted().toList();
            if (!removed.isEmpty()) untagged(head + " REMOVEFROM (0 " + Search.compact(removed) + ")");
            if (!added.isEmpty()) untagged(head + " ADDTO (0 " + Search.compact(added) + ")");
        } else {
            List<String> removals = new ArrayList<>();
            for (int i = old.size() - 1; i >= 0; i--) {
                if (!nowSet.contains(old.get(i))) removals.add((i + 1) + " " + (u.uid ? old.get(i) : s.seq(old.get(i))));
            }
            // additions are applied to the list without the removals
            List<String> additions = new ArrayList<>();
            for (int i = 0; i < now.size(); i++) {
                if (!oldSet.contains(now.get(i))) additions.add((i + 1) + " " + (u.uid ? now.get(i) : s.seq(now.get(i))));
            }
            if (!removals.isEmpty()) untagged(head + " REMOVEFROM (" + String.join(" ", removals) + ")");
            if (!additions.isEmpty()) untagged(head + " ADDTO (" + String.join(" ", additions) + ")");
        }
        u.result = now;
    }

    String thread(List<Arg> a, boolean uid) throws IOException, CommandFailed, ImapSyntaxException {
        ThreadCommand tc;
        try {
            tc = ThreadCommand.parse(a);
        } catch (BadCharsetException e) {
            throw no("[" + e.responseCode() + "] Unsupported charset");
        }
        List<MessageView> hits = Search.search(tc.key(), views(), searchContext());
        write(Threads.response(tc.algorithm(), hits, uid) + "\r\n"); // RFC 5256 §4
        return "THREAD completed";
    }
}
