package dev.sealpost.imap.search;

/**
 * SEARCH and SORT result options (RFC 4731 §3.1, RFC 5267 §3.2, RFC 9394): what an ESEARCH
 * response carries. {@code SAVE} (RFC 5182) is not one of them: see {@link SearchCommand#returnSave()}.
 */
public enum ReturnOption {
    MIN, MAX, ALL, COUNT,
    /** RFC 9394: a page of the result, see {@link PartialRange}. */
    PARTIAL,
    /**
     * RFC 5267 §4 (CONTEXT=SEARCH, CONTEXT=SORT): keep the result up to date with unsolicited
     * {@code ESEARCH ... ADDTO / REMOVEFROM} responses until CANCELUPDATE or the mailbox is closed.
     */
    UPDATE
}
