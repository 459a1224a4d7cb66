package dev.sealpost.filter.bayes;

import dev.sealpost.filter.FilterInput;
import dev.sealpost.filter.Hit;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BayesClassifierTest {
    private static final String[] SPAM_WORDS = {"viagra", "cheap", "pills", "winner", "casino", "unsubscribe", "offer", "free",
            "money", "guaranteed", "click", "limited"};
    private static final String[] HAM_WORDS = {"meeting", "agenda", "project", "review", "patch", "release", "notes", "lunch",
            "thursday", "build", "branch", "merge"};
    private static final String[] COMMON = {"the", "and", "you", "this", "for", "with", "today", "please"};

    @TempDir
    Path dir;

    static byte[] message(Random r, boolean spam, int n) {
        String[] own = spam ? SPAM_WORDS : HAM_WORDS;
        StringBuilder b = new StringBuilder();
        b.append("From: ").append(spam ? "Deals <deals@promo.example>" : "Bob <bob@example.org>").append("\r\n");
        b.append("To: alice@example.com\r\nSubject: ").append(own[r.nextInt(own.length)]).append(" #").append(n).append("\r\n\r\n");
        for (int i = 0; i < 40; i++) {
            b.append(r.nextInt(3) == 0 ? COMMON[r.nextInt(COMMON.length)] : own[r.nextInt(own.length)]).append(i % 10 == 9 ? "\r\n" : " ");
        }
        if (spam) b.append("\r\nhttp://click.promo.example/u\r\n");
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static void trainSome(BayesClassifier c, String account, int count, long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < count; i++) {
            byte[] s = message(r, true, i), h = message(r, false, i);
            c.train(s, MessageStructure.parse(s), account, true);
            c.train(h, MessageStructure.parse(h), account, false);
        }
    }

    static double score(BayesClassifier c, byte[] m, String account) {
        return c.classify(m, MessageStructure.parse(m), account).score();
    }

    @Test
    void separatesTrainedClassesAndAbstainsWhenUntrained() {
        BayesClassifier c = new BayesClassifier(new MemoryTokenTable());
        Random r = new Random(7);
        byte[] spam = message(r, true, 999), ham = message(r, false, 999);
        assertThat(c.classify(spam, MessageStructure.parse(spam), null)).isEqualTo(new BayesClassifier.Result(0.5, false, 0, false));
        trainSome(c, null, 20, 1);
        BayesClassifier.Result s = c.classify(spam, MessageStructure.parse(spam), null);
        BayesClassifier.Result h = c.classify(ham, MessageStructure.parse(ham), null);
        assertThat(s.spam()).isTrue();
        assertThat(s.score()).isGreaterThan(0.99);
        assertThat(h.spam()).isFalse();
        assertThat(h.score()).isLessThan(0.01);
        assertThat(s.clues()).isPositive();
    }

    @Test
    void untrainUndoesTrainExactly() {
        MemoryTokenTable t = new MemoryTokenTable();
        BayesClassifier c = new BayesClassifier(t);
        trainSome(c, null, 12, 2);
        Random r = new Random(3);
        byte[] probe = message(r, true, 5);
        double before = score(c, probe, null);
        int tokens = t.size(TokenTable.GLOBAL);
        byte[] moved = message(r, false, 77);
        c.train(moved, MessageStructure.parse(moved), null, true); // filed as spam by mistake ...
        assertThat(t.totals(TokenTable.GLOBAL)).containsExactly(13, 12);
        c.untrain(moved, MessageStructure.parse(moved), null, true); // ... and moved back
        assertThat(t.totals(TokenTable.GLOBAL)).containsExactly(12, 12);
        assertThat(t.size(TokenTable.GLOBAL)).isEqualTo(tokens);
        assertThat(score(c, probe, null)).isEqualTo(before);
    }

    @Test
    void accountOverlayChangesOnlyThatAccountsVerdict() {
        BayesClassifier c = new BayesClassifier(new MemoryTokenTable());
        trainSome(c, null, 20, 4);
        // carol wants casino newsletters: she trains them as ham
        Random r = new Random(5);
        for (int i = 0; i < 15; i++) {
            byte[] m = ("From: Casino <news@casino.example>\r\nSubject: casino winner " + i + "\r\n\r\ncasino winner offer "
                    + SPAM_WORDS[r.nextInt(SPAM_WORDS.length)] + " casino\r\n").getBytes(StandardCharsets.US_ASCII);
            c.train(m, MessageStructure.parse(m), "Carol@Example.com", false);
        }
        byte[] probe = "From: Casino <news@casino.example>\r\nSubject: casino winner\r\n\r\ncasino winner offer casino\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(score(c, probe, null)).isGreaterThan(0.9);
        assertThat(score(c, probe, "alice@example.com")).isGreaterThan(0.9);
        assertThat(score(c, probe, "carol@example.com")).isLessThan(0.5);
    }

    @Test
    void storeBackedModelScoresAsTheMemoryModelAndSurvivesReopen() throws Exception {
        MemoryTokenTable mem = new MemoryTokenTable();
        BayesClassifier inMemory = new BayesClassifier(mem);
        trainSome(inMemory, null, 15, 6);
        trainSome(inMemory, "dave@example.com", 5, 8);
        Random r = new Random(9);
        List<byte[]> probes = List.of(message(r, true, 1), message(r, false, 2), message(r, true, 3));
        try (Store store = Store.open(StoreConfig.sqlite(dir))) {
            BayesClassifier stored = new BayesClassifier(new StoreTokenTable(store.filterTokens()));
            TrainingBatch batch = new TrainingBatch(new StoreTokenTable(store.filterTokens()));
            trainSome(new BayesClassifier(batch), null, 15, 6); // bulk: one transaction
            assertThat(batch.pendingTokens()).isPositive();
            batch.flush();
            assertThat(batch.pendingTokens()).isZero();
            trainSome(stored, "dave@example.com", 5, 8); // one transaction per message
            for (byte[] p : probes) {
                assertThat(score(stored, p, null)).isEqualTo(score(inMemory, p, null));
                assertThat(score(stored, p, "dave@example.com")).isEqualTo(score(inMemory, p, "dave@example.com"));
            }
        }
        try (Store store = Store.open(StoreConfig.sqlite(dir))) { // another node, or a restart, sees the same model
            StoreTokenTable table = new StoreTokenTable(store.filterTokens());
            MemoryTokenTable copy = new MemoryTokenTable();
            table.copyScope(TokenTable.GLOBAL, copy);
            assertThat(copy.size(TokenTable.GLOBAL)).isEqualTo(mem.size(TokenTable.GLOBAL));
            BayesClassifier stored = new BayesClassifier(table);
            for (byte[] p : probes) assertThat(score(stored, p, null)).isEqualTo(score(inMemory, p, null));
        }
        Path file = dir.resolve("model.bin");
        mem.save(file);
        BayesClassifier fromFile = new BayesClassifier(MemoryTokenTable.open(file));
        for (byte[] p : probes) {
            assertThat(score(fromFile, p, "dave@example.com")).isEqualTo(score(inMemory, p, "dave@example.com"));
        }
    }

    @Test
    void checkEmitsWeightedHits() {
        BayesClassifier c = new BayesClassifier(new MemoryTokenTable());
        BayesCheck check = new BayesCheck(c);
        Random r = new Random(10);
        byte[] spam = message(r, true, 1), ham = message(r, false, 2);
        assertThat(check.run(FilterInput.offline(spam))).isEmpty(); // untrained: no opinion
        trainSome(c, null, 20, 11);
        List<Hit> s = check.run(FilterInput.offline(spam));
        assertThat(s).singleElement().satisfies(h -> {
            assertThat(h.name()).isEqualTo("bayes_spam");
            assertThat(h.weight()).isCloseTo(6.0, within(0.05));
            assertThat(h.detail()).startsWith("score=");
        });
        List<Hit> h = check.run(FilterInput.offline(ham));
        assertThat(h).singleElement().satisfies(x -> {
            assertThat(x.name()).isEqualTo("bayes_ham");
            assertThat(x.weight()).isCloseTo(-3.0, within(0.05));
        });
    }

    @Test
    void chiSquareSurvivalMatchesKnownValues() {
        // Q(x2 | 2) = e^(-x2/2); Q(x2 | 4) = e^(-x2/2) (1 + x2/2)
        assertThat(Math.exp(BayesClassifier.lnChi2Q(3.0, 2))).isCloseTo(Math.exp(-1.5), within(1e-12));
        assertThat(Math.exp(BayesClassifier.lnChi2Q(3.0, 4))).isCloseTo(Math.exp(-1.5) * 2.5, within(1e-12));
        assertThat(BayesClassifier.lnChi2Q(100_000, 1000)).isFinite().isLessThan(-40_000);
        assertThat(BayesClassifier.combine(new double[] {0.99, 0.98, 0.97})).isGreaterThan(0.9);
        assertThat(BayesClassifier.combine(new double[] {0.01, 0.02, 0.03})).isLessThan(0.1);
        assertThat(BayesClassifier.combine(new double[] {0.01, 0.99})).isCloseTo(0.5, within(1e-9));
    }
}
