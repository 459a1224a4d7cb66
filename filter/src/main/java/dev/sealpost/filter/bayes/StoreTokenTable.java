package dev.sealpost.filter.bayes;

import dev.sealpost.store.FilterTokens;

/** The model in the store's {@code filter_tokens} table (migration V8): shared by every node on the database. */
public final class StoreTokenTable implements TokenTable {
    private final FilterTokens tokens;

    public StoreTokenTable(FilterTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public long[] totals(String scope) {
        FilterTokens.Totals t = tokens.totals(scope);
        return new long[] {t.spamMessages(), t.hamMessages()};
    }

    @Override
    public void counts(String scope, long[] hashes, int[] spam, int[] ham) {
        tokens.counts(scope, hashes, spam, ham);
    }

    @Override
    public void add(String scope, long[] hashes, boolean spam, int delta) {
        tokens.add(scope, hashes, spam, delta);
    }

    @Override
    public void addCounts(String scope, long[] hashes, int[] spamDelta, int[] hamDelta, long spamMessages, long hamMessages) {
        tokens.addCounts(scope, hashes, spamDelta, hamDelta, spamMessages, hamMessages);
    }

    /** Copies one scope of the store into {@code into} (for a fast in-memory evaluation or an export). */
    public void copyScope(String scope, MemoryTokenTable into) {
        long[] t = totals(scope);
        into.load(scope, t[0], t[1], visitor -> tokens.forEach(scope, visitor::token));
    }
}
