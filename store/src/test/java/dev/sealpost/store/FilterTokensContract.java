package dev.sealpost.store;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.store.internal.JdbcStore;
import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The classifier token table's behaviour on every backend (subclasses give a fresh database per test). */
abstract class FilterTokensContract {
    @TempDir
    Path dataDir;
    Store store;

    protected abstract StoreConfig freshConfig(Path dataDir, MutableClock clock) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = JdbcStore.open(freshConfig(dataDir, new MutableClock(Instant.parse("2026-03-02T10:00:00Z"))),
                pw -> PasswordHasher.hash(pw, 1000, 4096));
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    FilterTokens t() {
        return store.filterTokens();
    }

    @Test
    void trainCountsTokensAndMessagesPerScope() {
        t().add(FilterTokens.GLOBAL, new long[] {1, 2, Long.MIN_VALUE}, true, 1);
        t().add(FilterTokens.GLOBAL, new long[] {2, 3}, false, 1);
        t().add(FilterTokens.GLOBAL, new long[] {2}, true, 1);
        t().add("a:alice@example.com", new long[] {2}, false, 1);

        long[] q = {1, 2, 3, 4, Long.MIN_VALUE, 2};
        int[] spam = new int[q.length], ham = new int[q.length];
        t().counts(FilterTokens.GLOBAL, q, spam, ham);
        assertThat(spam).containsExactly(1, 2, 0, 0, 1, 2);
        assertThat(ham).containsExactly(0, 1, 1, 0, 0, 1);
        assertThat(t().totals(FilterTokens.GLOBAL)).isEqualTo(new FilterTokens.Totals(2, 1));
        assertThat(t().totals("a:alice@example.com")).isEqualTo(new FilterTokens.Totals(0, 1));
        assertThat(t().totals("a:nobody@example.com")).isEqualTo(FilterTokens.Totals.EMPTY);

        t().counts("a:alice@example.com", q, spam, ham);
        assertThat(spam).containsOnly(0);
        assertThat(ham).containsExactly(0, 1, 0, 0, 0, 1);
    }

    @Test
    void untrainRemovesCountsAndEmptyRowsAndNeverGoesNegative() {
        t().add(FilterTokens.GLOBAL, new long[] {1, 2}, true, 1);
        t().add(FilterTokens.GLOBAL, new long[] {2}, false, 1);
        t().add(FilterTokens.GLOBAL, new long[] {1, 2, 9}, true, -1);
        t().add(FilterTokens.GLOBAL, new long[] {5}, false, -1);
        Map<Long, int[]> rows = new HashMap<>();
        t().forEach(FilterTokens.GLOBAL, (h, s, hm) -> rows.put(h, new int[] {s, hm}));
        assertThat(rows).containsOnlyKeys(2L);
        assertThat(rows.get(2L)).containsExactly(0, 1);
        assertThat(t().totals(FilterTokens.GLOBAL)).isEqualTo(new FilterTokens.Totals(0, 0));
    }

    @Test
    void largeLookupsAreChunkedAndClearDropsAScope() {
        long[] many = new long[1_234];
        for (int i = 0; i < many.length; i++) many[i] = i * 7_919L - 600;
        t().add("a:bob@example.com", many, false, 1);
        int[] spam = new int[many.length], ham = new int[many.length];
        t().counts("a:bob@example.com", many, spam, ham);
        assertThat(ham).containsOnly(1);
        assertThat(t().clear("a:bob@example.com")).isEqualTo(many.length);
        t().counts("a:bob@example.com", many, spam, ham);
        assertThat(ham).containsOnly(0);
        assertThat(t().totals("a:bob@example.com")).isEqualTo(FilterTokens.Totals.EMPTY);
    }

    @Test
    void bulkCountsAddAndSubtractInOneTransaction() {
        t().addCounts(FilterTokens.GLOBAL, new long[] {10, 11, 12}, new int[] {3, 0, 1}, new int[] {0, 5, 1}, 4, 6);
        t().addCounts(FilterTokens.GLOBAL, new long[] {10, 11, 13}, new int[] {-1, 0, 0}, new int[] {0, -9, 2}, -1, 2);
        long[] q = {10, 11, 12, 13};
        int[] spam = new int[4], ham = new int[4];
        t().counts(FilterTokens.GLOBAL, q, spam, ham);
        assertThat(spam).containsExactly(2, 0, 1, 0);
        assertThat(ham).containsExactly(0, 0, 1, 2);
        Map<Long, int[]> rows = new HashMap<>();
        t().forEach(FilterTokens.GLOBAL, (h, s, hm) -> rows.put(h, new int[] {s, hm}));
        assertThat(rows).containsOnlyKeys(10L, 12L, 13L); // 11 fell to zero and went
        assertThat(t().totals(FilterTokens.GLOBAL)).isEqualTo(new FilterTokens.Totals(3, 8));
    }
}
