package dev.sealpost.filter.bayes;

import java.util.HashMap;
import java.util.Map;

/**
 * Collects training in memory and writes it to a {@link TokenTable} in one
 * {@link TokenTable#addCounts} per scope on {@link #flush()}: bulk training (the CLI) costs one
 * store transaction per batch instead of one per message. Reads go to the target table and do
 * not see what is not flushed yet. Not thread-safe.
 */
public final class TrainingBatch implements TokenTable {
    private final TokenTable target;
    private final Map<String, Pending> pending = new HashMap<>();

    private static final class Pending {
        final Map<Long, int[]> counts = new HashMap<>();
        long spamMessages, hamMessages;
    }

    public TrainingBatch(TokenTable target) {
        this.target = target;
    }

    @Override
    public long[] totals(String scope) {
        return target.totals(scope);
    }

    @Override
    public void counts(String scope, long[] hashes, int[] spam, int[] ham) {
        target.counts(scope, hashes, spam, ham);
    }

    @Override
    public void add(String scope, long[] hashes, boolean spam, int delta) {
        Pending p = pending.computeIfAbsent(scope, k -> new Pending());
        for (long h : hashes) p.counts.computeIfAbsent(h, k -> new int[2])[spam ? 0 : 1] += delta;
        if (spam) p.spamMessages += delta;
        else p.hamMessages += delta;
    }

    @Override
    public void addCounts(String scope, long[] hashes, int[] spamDelta, int[] hamDelta, long spamMessages, long hamMessages) {
        Pending p = pending.computeIfAbsent(scope, k -> new Pending());
        for (int i = 0; i < hashes.length; i++) {
            int[] c = p.counts.computeIfAbsent(hashes[i], k -> new int[2]);
            c[0] += spamDelta[i];
            c[1] += hamDelta[i];
        }
        p.spamMessages += spamMessages;
        p.hamMessages += hamMessages;
    }

    /** Distinct tokens waiting to be written (to decide when to flush). */
    public int pendingTokens() {
        int n = 0;
        for (Pending p : pending.values()) n += p.counts.size();
        return n;
    }

    /** Writes everything collected to the target, one {@code addCounts} per scope. */
    public void flush() {
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            long[] hashes = new long[p.counts.size()];
            int[] spam = new int[hashes.length], ham = new int[hashes.length];
            int i = 0;
            for (Map.Entry<Long, int[]> c : p.counts.entrySet()) {
                hashes[i] = c.getKey();
                spam[i] = c.getValue()[0];
                ham[i] = c.getValue()[1];
                i++;
            }
            target.addCounts(e.getKey(), hashes, spam, ham, p.spamMessages, p.hamMessages);
        }
        pending.clear();
    }
}
