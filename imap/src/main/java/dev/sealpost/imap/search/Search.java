package dev.sealpost.imap.search;

import dev.sealpost.imap.MessageView;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** SEARCH evaluation (RFC 9051 §6.4.4) and the SEARCH / ESEARCH responses (RFC 9051 §7.3.4, RFC 4731 §3.2). */
public final class Search {
    private Search() {}

    /**
     * Whether {@code msg} matches {@code key}. The message's content is read only when a key needs
     * it, and at most once for the whole key tree.
     *
     * @throws IOException when the message content cannot be read
     */
    public static boolean matches(SearchKey key, MessageView msg, SearchContext ctx) throws IOException {
        return eval(key, new MessageText(msg), ctx);
    }

    /** The messages of {@code messages} (in mailbox order) that match {@code key}. */
    public static List<MessageView> search(SearchKey key, List<? extends MessageView> messages, SearchContext ctx) throws IOException {
        List<MessageView> out = new ArrayList<>();
        for (MessageView m : messages) if (matches(key, m, ctx)) out.add(m);
        return out;
    }

    static boolean eval(SearchKey key, MessageText t, SearchContext ctx) throws IOException {
        MessageView m = t.view();
        return switch (key) {
            case SearchKey.All a -> true;
            case SearchKey.Flag f -> hasFlag(m.flags(), f.flag()) == f.set();
            // RFC 3501 §6.4.4: \Recent is in the view's flags only for IMAP4rev1 sessions (RFC 9051 §E.1 removed it)
            case SearchKey.Recent r -> hasFlag(m.flags(), "\\Recent");
            case SearchKey.New n -> hasFlag(m.flags(), "\\Recent") && !hasFlag(m.flags(), "\\Seen");
            case SearchKey.Old o -> !hasFlag(m.flags(), "\\Recent");
            case SearchKey.Sequence s -> s.set().contains(m.seq(), ctx.maxSeq());
            case SearchKey.Uid u -> u.set().contains(m.uid(), ctx.maxUid());
            case SearchKey.Saved s -> ctx.savedUids().contains(m.uid()); // RFC 5182 §2.1
            case SearchKey.Size s -> s.larger() ? m.size() > s.size() : m.size() < s.size();
            case SearchKey.Not n -> !eval(n.key(), t, ctx);
            case SearchKey.Or o -> eval(o.left(), t, ctx) || eval(o.right(), t, ctx);
            case SearchKey.And a -> and(a, t, ctx);
            case SearchKey.ModSeq ms -> m.modSeq() >= ms.modSeq(); // RFC 7162 §3.1.5
            case SearchKey.Within w -> within(w, m.internalDate(), ctx);
            case SearchKey.EmailId e -> e.id().equals(m.emailId());
            case SearchKey.ThreadId th -> th.id().equals(m.threadId());
            case SearchKey.SaveDateSupported s -> ctx.saveDateSupported();
            case SearchKey.DateKey d -> dateMatches(d, t, ctx);
            case SearchKey.Header h -> header(h, t);
            case SearchKey.Address a -> address(a, t);
            case SearchKey.Body b -> t.foldedBody().contains(MessageText.fold(b.value()));
            case SearchKey.Text x -> {
                String needle = MessageText.fold(x.value());
                yield t.foldedHeader().contains(needle) || t.foldedBody().contains(needle);
            }
        };
    }

    /** All keys must match; the keys that do not read the message are tried first. */
    private static boolean and(SearchKey.And a, MessageText t, SearchContext ctx) throws IOException {
        for (SearchKey k : a.keys()) if (cheap(k) && !eval(k, t, ctx)) return false;
        for (SearchKey k : a.keys()) if (!cheap(k) && !eval(k, t, ctx)) return false;
        return true;
    }

    private static boolean cheap(SearchKey k) {
        return switch (k) {
            case SearchKey.Header h -> false;
            case SearchKey.Address a -> false;
            case SearchKey.Body b -> false;
            case SearchKey.Text x -> false;
            case SearchKey.DateKey d -> d.field() != SearchKey.DateField.SENT;
            case SearchKey.Not n -> cheap(n.key());
            case SearchKey.Or o -> cheap(o.left()) && cheap(o.right());
            case SearchKey.And a -> a.keys().stream().allMatch(Search::cheap);
            default -> true;
        };
    }

    static boolean hasFlag(Set<String> flags, String flag) {
        if (flags.contains(flag)) return true;
        // flags and keywords compare case-insensitively (RFC 9051 §2.3.2)
        for (String f : flags) if (f.equalsIgnoreCase(flag)) return true;
        return false;
    }

    /** RFC 5032 §3: OLDER n = internal date more than n seconds ago; YOUNGER n = within the last n seconds. */
    private static boolean within(SearchKey.Within w, Instant internal, SearchContext ctx) {
        if (internal == null) return false;
        long age = Duration.between(internal, ctx.clock().instant()).getSeconds();
        return w.older() ? age > w.seconds() : age <= w.seconds();
    }

    private static boolean dateMatches(SearchKey.DateKey d, MessageText t, SearchContext ctx) throws IOException {
        ZoneId zone = ctx.clock().getZone();
        MessageView m = t.view();
        LocalDate date = switch (d.field()) {
            // RFC 9051 §6.4.4: "disregarding time and timezone": the calendar date in the server's zone
            case INTERNAL -> m.internalDate() == null ? null : LocalDate.ofInstant(m.internalDate(), zone);
            case SAVED -> m.saveDate() == null ? null : LocalDate.ofInstant(m.saveDate(), zone);
            case SENT -> {
                // the date as written in the Date field, in its own zone (as Dovecot; imaptest search-date);
                // without a readable Date field, the internal date (as SORT's sent date, RFC 5256 §2.2)
                OffsetDateTime sent = t.sentDate();
                if (sent != null) yield sent.toLocalDate();
                yield m.internalDate() == null ? null : LocalDate.ofInstant(m.internalDate(), zone);
            }
        };
        if (date == null) return false;
        return switch (d.op()) {
            case BEFORE -> date.isBefore(d.date());
            case ON -> date.isEqual(d.date());
            case SINCE -> !date.isBefore(d.date());
        };
    }

    /** HEADER and SUBJECT: substring of any occurrence of the field (decoded); "" = the field is present. */
    private static boolean header(SearchKey.Header h, MessageText t) throws IOException {
        List<String> values = t.foldedValues(h.field());
        if (values.isEmpty()) return false;
        String needle = MessageText.fold(h.value());
        for (String v : values) if (v.contains(needle)) return true;
        return false;
    }

    /**
     * FROM / TO / CC / BCC: substring of the field as written (decoded) or of its addresses
     * rendered as {@code name <mailbox@host>} (so comments and odd spacing inside an address do not
     * hide it, as in Dovecot); "" = the field is present.
     */
    private static boolean address(SearchKey.Address a, MessageText t) throws IOException {
        List<String> values = t.foldedValues(a.field());
        if (values.isEmpty()) return false;
        String needle = MessageText.fold(a.value());
        for (String v : values) if (v.contains(needle)) return true;
        return t.foldedAddresses(a.field()).contains(needle);
    }

    // ---- responses ----

    /**
     * The untagged response to a SEARCH (no CRLF), or null when none is due (RFC 5182 §2.4:
     * {@code RETURN (SAVE)} alone). Without a RETURN clause: {@code * SEARCH ...} for IMAP4rev1,
     * and for IMAP4rev2 {@code * ESEARCH ... ALL ...} (RFC 9051 §6.4.4: no RETURN is RETURN (ALL),
     * and §7.3.4: the SEARCH response is gone). MODSEQ is added when a MODSEQ key was used.
     *
     * @param hits the matching messages in mailbox order
     * @param uid  UID SEARCH: numbers are UIDs
     */
    public static String response(SearchCommand cmd, String tag, boolean uid, boolean imap4rev2, List<? extends MessageView> hits) {
        List<Long> numbers = new ArrayList<>(hits.size());
        for (MessageView m : hits) numbers.add(uid ? m.uid() : m.seq());
        List<Long> modSeqs = null;
        if (cmd.usesModSeq()) {
            modSeqs = new ArrayList<>(hits.size());
            for (MessageView m : hits) modSeqs.add(m.modSeq());
        }
        if (!cmd.extended()) {
            if (imap4rev2) return esearchResponse(tag, uid, Set.of(ReturnOption.ALL), null, numbers, modSeqs);
            Long highest = null;
            if (modSeqs != null) for (Long m : modSeqs) highest = highest == null ? m : Math.max(highest, m);
            return searchResponse("SEARCH", numbers, highest);
        }
        if (cmd.returnOptions().isEmpty()) return null;
        return esearchResponse(tag, uid, cmd.returnOptions(), cmd.partial(), numbers, modSeqs);
    }

    /**
     * The classic response {@code * SEARCH 2 4 5} (RFC 9051 §7.3.4 / RFC 3501 §7.2.5), with
     * {@code (MODSEQ n)} appended when {@code highestModSeq} is not null and there are results
     * (RFC 7162 §3.1.5). No CRLF.
     */
    public static String searchResponse(String name, List<Long> results, Long highestModSeq) {
        StringBuilder b = new StringBuilder("* ").append(name);
        for (Long n : results) b.append(' ').append(n);
        if (highestModSeq != null && !results.isEmpty()) b.append(" (MODSEQ ").append(highestModSeq).append(')');
        return b.toString();
    }

    /** {@link #searchResponse(String, List, Long)} for SEARCH without MODSEQ. */
    public static String searchResponse(List<Long> results) {
        return searchResponse("SEARCH", results, null);
    }

    /** {@link #esearchResponse(String, boolean, Set, PartialRange, List, List)} without PARTIAL and MODSEQ. */
    public static String esearchResponse(String tag, boolean uid, Set<ReturnOption> options, List<Long> results) {
        return esearchResponse(tag, uid, options, null, results, null);
    }

    /**
     * The RFC 4731 §3.2 response, e.g. {@code * ESEARCH (TAG "a1") UID MIN 2 MAX 9 COUNT 3 ALL 2,4:5,9}.
     * No CRLF.
     *
     * @param tag     the command's tag, or null for none
     * @param options what to return ({@link ReturnOption#ALL} for {@code RETURN ()})
     * @param partial the RFC 9394 range, when {@link ReturnOption#PARTIAL} is asked
     * @param results the matches: ascending for SEARCH, in sort order for SORT (RFC 5267: MIN and MAX
     *                are then the first and last in that order)
     * @param modSeqs the mod-sequences of {@code results} (same order) when a MODSEQ key was used,
     *                else null: the response then ends with {@code MODSEQ n} (RFC 7162 §3.1.5)
     */
    public static String esearchResponse(String tag, boolean uid, Set<ReturnOption> options, PartialRange partial,
                                         List<Long> results, List<Long> modSeqs) {
        StringBuilder b = new StringBuilder("* ESEARCH");
        if (tag != null) b.append(" (TAG \"").append(tag.replace("\\", "\\\\").replace("\"", "\\\"")).append("\")");
        if (uid) b.append(" UID");
        boolean any = !results.isEmpty();
        long modSeq = 0;
        if (any && options.contains(ReturnOption.MIN)) {
            b.append(" MIN ").append(results.getFirst());
            if (modSeqs != null) modSeq = Math.max(modSeq, modSeqs.getFirst());
        }
        if (any && options.contains(ReturnOption.MAX)) {
            b.append(" MAX ").append(results.getLast());
            if (modSeqs != null) modSeq = Math.max(modSeq, modSeqs.getLast());
        }
        if (options.contains(ReturnOption.COUNT)) b.append(" COUNT ").append(results.size()); // COUNT 0 too
        if (any && options.contains(ReturnOption.ALL)) b.append(" ALL ").append(compact(results));
        if (options.contains(ReturnOption.PARTIAL) && partial != null) {
            // RFC 9394 §3.1: PARTIAL (range set-or-NIL), also for an empty result
            List<Long> page = partial.apply(results);
            b.append(" PARTIAL (").append(partial).append(' ').append(page.isEmpty() ? "NIL" : compact(page)).append(')');
        }
        if (any && modSeqs != null) {
            // RFC 7162 §3.1.5: the highest mod-sequence of the messages returned; of all matches
            // when ALL, COUNT or PARTIAL is asked, else of the MIN / MAX messages
            if (options.contains(ReturnOption.ALL) || options.contains(ReturnOption.COUNT) || options.contains(ReturnOption.PARTIAL)) {
                for (Long m : modSeqs) modSeq = Math.max(modSeq, m);
            }
            b.append(" MODSEQ ").append(modSeq);
        }
        return b.toString();
    }

    /**
     * A sequence set in the order given, with runs of consecutive ascending numbers as ranges:
     * {@code 2,4:5,9}. Ascending input gives the shortest form; sort order (ESORT) is kept.
     */
    public static String compact(List<Long> numbers) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < numbers.size()) {
            long start = numbers.get(i);
            int j = i;
            while (j + 1 < numbers.size() && numbers.get(j + 1) == numbers.get(j) + 1) j++;
            if (!b.isEmpty()) b.append(',');
            b.append(start);
            if (j > i) b.append(':').append(numbers.get(j));
            i = j + 1;
        }
        return b.toString();
    }
}
