package dev.sealpost.imap.search;

import dev.sealpost.imap.MessageView;
import dev.sealpost.message.Address;
import dev.sealpost.message.EncodedWords;
import dev.sealpost.message.Envelope;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** SORT (RFC 5256 §3, RFC 5957 SORT=DISPLAY). */
public final class Sort {
    private Sort() {}

    /**
     * {@code messages} in the order the criteria give; ties (and equal keys under every criterion)
     * are broken by sequence number (RFC 5256 §3). Each message's keys are computed once.
     *
     * @throws IOException when a message's structure cannot be read
     */
    public static List<MessageView> sort(List<SortCriterion> criteria, List<? extends MessageView> messages) throws IOException {
        List<Keys> keyed = new ArrayList<>(messages.size());
        for (MessageView m : messages) keyed.add(new Keys(m, criteria));
        Comparator<Keys> cmp = null;
        for (int i = 0; i < criteria.size(); i++) {
            final int idx = i;
            Comparator<Keys> c = (a, b) -> compareKey(a.values[idx], b.values[idx]);
            if (criteria.get(i).reverse()) c = c.reversed();
            cmp = cmp == null ? c : cmp.thenComparing(c);
        }
        Comparator<Keys> bySeq = Comparator.comparingInt(k -> k.msg.seq());
        keyed.sort(cmp == null ? bySeq : cmp.thenComparing(bySeq));
        List<MessageView> out = new ArrayList<>(keyed.size());
        for (Keys k : keyed) out.add(k.msg);
        return out;
    }

    /**
     * The untagged response to a SORT (no CRLF): {@code * SORT 5 3 4}, or with a RETURN clause the
     * RFC 5267 ESORT form {@code * ESEARCH (TAG "t") ALL 5,3:4} (MIN and MAX are the first and last
     * in sort order).
     *
     * @param sorted the result of {@link #sort}
     */
    public static String response(SortCommand cmd, String tag, boolean uid, List<? extends MessageView> sorted) {
        List<Long> numbers = new ArrayList<>(sorted.size());
        for (MessageView m : sorted) numbers.add(uid ? m.uid() : m.seq());
        if (!cmd.extended()) return Search.searchResponse("SORT", numbers, null);
        return Search.esearchResponse(tag, uid, cmd.returnOptions(), cmd.partial(), numbers, null);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareKey(Comparable a, Comparable b) {
        return a.compareTo(b);
    }

    private static final class Keys {
        final MessageView msg;
        final Comparable<?>[] values;

        Keys(MessageView m, List<SortCriterion> criteria) throws IOException {
            this.msg = m;
            this.values = new Comparable<?>[criteria.size()];
            Envelope env = null;
            for (int i = 0; i < criteria.size(); i++) {
                SortCriterion.Key k = criteria.get(i).key();
                if (env == null && k != SortCriterion.Key.ARRIVAL && k != SortCriterion.Key.SIZE) env = m.structure().envelope();
                values[i] = switch (k) {
                    case ARRIVAL -> m.internalDate() == null ? Instant.EPOCH : m.internalDate();
                    case SIZE -> m.size();
                    case DATE -> sentDate(env, m);
                    case SUBJECT -> casemap(BaseSubject.of(env.subject()).base());
                    case FROM -> casemap(mailbox(env.from()));
                    case TO -> casemap(mailbox(env.to()));
                    case CC -> casemap(mailbox(env.cc()));
                    case DISPLAYFROM -> casemap(display(env.from()));
                    case DISPLAYTO -> casemap(display(env.to()));
                };
            }
        }
    }

    /** RFC 5256 §2.2 sent date: the Date field, or the internal date when it is missing or unreadable. */
    static Instant sentDate(Envelope env, MessageView m) {
        OffsetDateTime d = DateTimes.rfc5322(env.date());
        if (d != null) return d.toInstant();
        return m.internalDate() == null ? Instant.EPOCH : m.internalDate();
    }

    /**
     * RFC 5256 §3 FROM / TO / CC: the addr-mailbox (local part) of the first address, decoded; a
     * group's name when the list starts with a group (its first ENVELOPE address item, as Dovecot).
     */
    static String mailbox(List<Address> list) {
        if (list.isEmpty()) return "";
        Address a = list.getFirst();
        return a.mailbox() == null ? "" : EncodedWords.decode(a.mailbox());
    }

    /**
     * RFC 5957 §3 display: the decoded display name of the first address, or its addr-spec when it
     * has none; a group's name when the list starts with a group.
     */
    static String display(List<Address> list) {
        if (list.isEmpty()) return "";
        Address a = list.getFirst();
        if (a.isGroupStart()) return a.mailbox();
        if (!a.isMailbox()) return "";
        String name = a.name() == null ? "" : EncodedWords.decode(a.name()).strip();
        return name.isEmpty() ? a.address() : name;
    }

    /** The i;unicode-casemap comparator's key (RFC 5051), approximated by upper-casing: for ASCII it is i;ascii-casemap. */
    static String casemap(String s) {
        return s == null ? "" : s.toUpperCase(Locale.ROOT);
    }
}
