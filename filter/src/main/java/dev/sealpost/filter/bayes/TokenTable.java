package dev.sealpost.filter.bayes;

/**
 * Where the classifier's counts live: per scope (the global model {@link #GLOBAL}, or an
 * account's overlay {@code a:<address>}) and per feature hash, in how many trained spam and ham
 * messages the feature occurred, plus the number of trained messages per scope.
 * Implementations: {@link StoreTokenTable} (the store's {@code filter_tokens} table, shared by
 * every node) and {@link MemoryTokenTable} (in memory, with a compact file form).
 */
public interface TokenTable {
    /** The global model's scope. */
    String GLOBAL = "";

    /** The scope of one account's overlay. */
    static String accountScope(String account) {
        return account == null || account.isBlank() ? GLOBAL : "a:" + account.strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code {spamMessages, hamMessages}} trained in the scope. */
    long[] totals(String scope);

    /** For each {@code hashes[i]}: {@code spam[i]}, {@code ham[i]} (0 when unknown). */
    void counts(String scope, long[] hashes, int[] spam, int[] ham);

    /**
     * Adds {@code delta} (+1 train, -1 untrain) to the spam (or ham) count of each distinct hash and
     * to the scope's message count; counts never go below zero.
     */
    void add(String scope, long[] hashes, boolean spam, int delta);

    /**
     * Adds many messages' counts at once (bulk training, one transaction where the table has them):
     * {@code spamDelta[i]}, {@code hamDelta[i]} to {@code hashes[i]} (distinct), and the message deltas
     * to the scope's totals; counts never go below zero.
     */
    void addCounts(String scope, long[] hashes, int[] spamDelta, int[] hamDelta, long spamMessages, long hamMessages);
}
