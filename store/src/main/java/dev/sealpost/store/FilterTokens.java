package dev.sealpost.store;

/**
 * The statistical classifier's token table (migration V9), shared by every node on this
 * database: per scope (the global model, or one account's overlay) and per 64-bit token hash,
 * in how many trained spam and ham messages the token occurred, and per scope how many messages
 * were trained. The classifier (filter module) owns the meaning of hashes and scopes; this is
 * storage only. Writes go through the group-commit writer and are committed on return.
 */
public interface FilterTokens {
    /** The scope of the global model. */
    String GLOBAL = "";
    /** Longest scope name kept (an account scope is a prefix and an address). */
    int MAX_SCOPE = 320;

    /** Trained message counts of one scope. */
    record Totals(long spamMessages, long hamMessages) {
        public static final Totals EMPTY = new Totals(0, 0);
    }

    /** The scope's trained message counts ({@link Totals#EMPTY} for an unknown scope). */
    Totals totals(String scope);

    /**
     * Looks up counts: for each {@code hashes[i]}, sets {@code spam[i]} and {@code ham[i]} (0 for a
     * token not in the table). One snapshot for the whole lookup.
     */
    void counts(String scope, long[] hashes, int[] spam, int[] ham);

    /**
     * Adds {@code delta} (+1 to train, -1 to untrain) to the spam (or ham) count of every hash in
     * {@code hashes} (which should be distinct) and to the scope's spam (or ham) message count, in
     * one transaction. Counts never go below zero; a token whose two counts reach zero is removed.
     */
    void add(String scope, long[] hashes, boolean spam, int delta);

    /**
     * Adds many messages' counts in one transaction (bulk training): {@code spamDelta[i]} and
     * {@code hamDelta[i]} to the counts of {@code hashes[i]} (distinct), and the message deltas to
     * the scope's totals. Counts never go below zero; a token whose two counts reach zero is removed.
     */
    void addCounts(String scope, long[] hashes, int[] spamDelta, int[] hamDelta, long spamMessages, long hamMessages);

    /** Visits every token of a scope (for export and for loading a cache). */
    void forEach(String scope, TokenVisitor visitor);

    /** Deletes a scope's tokens and counts; returns how many token rows went. */
    int clear(String scope);

    /** Receives one token row. */
    @FunctionalInterface
    interface TokenVisitor {
        void token(long hash, int spam, int ham);
    }
}
