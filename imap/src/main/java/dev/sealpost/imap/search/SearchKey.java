package dev.sealpost.imap.search;

import dev.sealpost.imap.proto.SequenceSet;

import java.time.LocalDate;
import java.util.List;

/** One SEARCH key (RFC 9051 §6.4.4 and the extensions listed in {@code package-info}). */
public sealed interface SearchKey {

    /** How a date key compares (BEFORE / ON / SINCE and their SENT and SAVED forms). */
    enum DateOp { BEFORE, ON, SINCE }

    /** Which date a {@link DateKey} looks at. */
    enum DateField {
        /** INTERNALDATE (BEFORE, ON, SINCE). */
        INTERNAL,
        /** the Date header field (SENTBEFORE, SENTON, SENTSINCE). */
        SENT,
        /** RFC 8514 save date (SAVEDBEFORE, SAVEDON, SAVEDSINCE). */
        SAVED
    }

    /** ALL. */
    record All() implements SearchKey {}

    /** A flag or keyword set ({@code ANSWERED}, {@code KEYWORD x}) or not set ({@code UNANSWERED}, {@code UNKEYWORD x}). */
    record Flag(String flag, boolean set) implements SearchKey {}

    /** RECENT (IMAP4rev1): \Recent is never set here, so it matches nothing. */
    record Recent() implements SearchKey {}

    /** NEW = RECENT UNSEEN (IMAP4rev1): matches nothing. */
    record New() implements SearchKey {}

    /** OLD = NOT RECENT (IMAP4rev1): matches every message. */
    record Old() implements SearchKey {}

    /** FROM, TO, CC, BCC: substring of the address header (field name in lower case). */
    record Address(String field, String value) implements SearchKey {}

    /** HEADER name value and SUBJECT (field name in lower case); an empty value matches when the field is present. */
    record Header(String field, String value) implements SearchKey {}

    /** BODY: substring of the decoded text parts. */
    record Body(String value) implements SearchKey {}

    /** TEXT: substring of the header or the decoded text parts. */
    record Text(String value) implements SearchKey {}

    /** Date comparisons, by calendar date (time and zone disregarded, RFC 9051 §6.4.4). */
    record DateKey(DateField field, DateOp op, LocalDate date) implements SearchKey {}

    /** LARGER n ({@code larger == true}) or SMALLER n: RFC822.SIZE. */
    record Size(boolean larger, long size) implements SearchKey {}

    /** NOT key. */
    record Not(SearchKey key) implements SearchKey {}

    /** OR key1 key2. */
    record Or(SearchKey left, SearchKey right) implements SearchKey {}

    /** A list of keys, all of which must match (the top level and a parenthesized list). */
    record And(List<SearchKey> keys) implements SearchKey {
        public And {
            keys = List.copyOf(keys);
        }
    }

    /** A sequence set of message sequence numbers. */
    record Sequence(SequenceSet set) implements SearchKey {}

    /** UID sequence-set. */
    record Uid(SequenceSet set) implements SearchKey {}

    /** {@code $} or {@code UID $}: the saved search result (RFC 5182 §2.1). */
    record Saved() implements SearchKey {}

    /**
     * RFC 7162 §3.1.5 MODSEQ [entry-name entry-type] mod-sequence-valzer: messages with a
     * mod-sequence at least {@code modSeq}. The entry (per-flag mod-sequence) is accepted and the
     * message's mod-sequence is used, which RFC 7162 allows for servers without per-metadata values.
     */
    record ModSeq(String entryName, String entryType, long modSeq) implements SearchKey {}

    /** RFC 5032 OLDER (older == true) or YOUNGER: internal date compared with now minus the interval. */
    record Within(boolean older, long seconds) implements SearchKey {}

    /** RFC 8474 EMAILID. */
    record EmailId(String id) implements SearchKey {}

    /** RFC 8474 THREADID. */
    record ThreadId(String id) implements SearchKey {}

    /** RFC 8514 SAVEDATESUPPORTED. */
    record SaveDateSupported() implements SearchKey {}

    /** True when {@code key} contains a MODSEQ key (the response then carries MODSEQ, RFC 7162 §3.1.5). */
    static boolean usesModSeq(SearchKey key) {
        return switch (key) {
            case ModSeq m -> true;
            case Not n -> usesModSeq(n.key());
            case Or o -> usesModSeq(o.left()) || usesModSeq(o.right());
            case And a -> a.keys().stream().anyMatch(SearchKey::usesModSeq);
            default -> false;
        };
    }

    /** True when {@code key} contains {@code $} (RFC 5182 §2.1: the session must then wait for an earlier SAVE to finish). */
    static boolean usesSaved(SearchKey key) {
        return switch (key) {
            case Saved s -> true;
            case Not n -> usesSaved(n.key());
            case Or o -> usesSaved(o.left()) || usesSaved(o.right());
            case And a -> a.keys().stream().anyMatch(SearchKey::usesSaved);
            default -> false;
        };
    }
}
