package dev.sealpost.imap.search;

/** One RFC 5256 §3 sort criterion (with RFC 5957 DISPLAYFROM / DISPLAYTO). */
public record SortCriterion(Key key, boolean reverse) {
    public enum Key { ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT, TO, DISPLAYFROM, DISPLAYTO }
}
