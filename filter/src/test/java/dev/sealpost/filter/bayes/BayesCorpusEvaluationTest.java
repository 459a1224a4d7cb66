package dev.sealpost.filter.bayes;

import dev.sealpost.message.MessageStructure;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The goal of issue 14 measured: trained on a deterministic 70% of the SpamAssassin corpus
 * (groups spam-1 and easy-ham-1), at least 97% of the held-out spam caught with at most 0.5% of the
 * held-out ham misjudged. Prints the figures (and writes them to target/classifier-evaluation.txt)
 * for docs/classifier.md.
 */
class BayesCorpusEvaluationTest {
    @Test
    void heldOutRecallAndFalsePositiveRateMeetTheGoal() throws Exception {
        Path data = SpamCorpus.dataDir();
        List<SpamCorpus.Sample> all = new ArrayList<>(SpamCorpus.group(data, "spam-1", true));
        all.addAll(SpamCorpus.group(data, "easy-ham-1", false));
        List<SpamCorpus.Sample> train = new ArrayList<>(), test = new ArrayList<>();
        for (SpamCorpus.Sample s : all) (SpamCorpus.inTraining(s) ? train : test).add(s);

        MemoryTokenTable table = new MemoryTokenTable();
        BayesClassifier c = new BayesClassifier(table);
        long t0 = System.nanoTime();
        for (SpamCorpus.Sample s : train) c.train(s.content(), MessageStructure.parse(s.content()), null, s.spam());
        long trainNanos = System.nanoTime() - t0;

        int spam = 0, ham = 0, caught = 0, falsePositives = 0, unsureSpam = 0, unsureHam = 0;
        StringBuilder misses = new StringBuilder();
        t0 = System.nanoTime();
        double[] scores = new double[test.size()];
        for (int i = 0; i < test.size(); i++) {
            SpamCorpus.Sample s = test.get(i);
            scores[i] = c.classify(s.content(), MessageStructure.parse(s.content()), null).score();
        }
        long classifyNanos = System.nanoTime() - t0;
        for (int i = 0; i < test.size(); i++) {
            SpamCorpus.Sample s = test.get(i);
            boolean saysSpam = scores[i] >= c.settings().spamCutoff();
            if (s.spam()) {
                spam++;
                if (saysSpam) caught++;
                else misses.append(String.format(Locale.ROOT, "  missed spam %s %.4f%n", s.name(), scores[i]));
                if (scores[i] > 0.2 && scores[i] < 0.9) unsureSpam++;
            } else {
                ham++;
                if (saysSpam) {
                    falsePositives++;
                    misses.append(String.format(Locale.ROOT, "  false positive %s %.4f%n", s.name(), scores[i]));
                }
                if (scores[i] > 0.2 && scores[i] < 0.9) unsureHam++;
            }
        }
        StringBuilder cutoffs = new StringBuilder();
        for (double cut : new double[] {0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95}) {
            int sp = 0, fp = 0;
            for (int i = 0; i < test.size(); i++) {
                if (scores[i] < cut) continue;
                if (test.get(i).spam()) sp++;
                else fp++;
            }
            cutoffs.append(String.format(Locale.ROOT, "  cutoff %.2f: recall %.4f, false-positive rate %.4f (%d)%n", cut,
                    (double) sp / spam, (double) fp / ham, fp));
        }
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        table.write(model);
        MemoryTokenTable reread = new MemoryTokenTable();
        reread.read(new ByteArrayInputStream(model.toByteArray()));
        double recall = (double) caught / spam, fpr = (double) falsePositives / ham;
        String report = String.format(Locale.ROOT, """
                        corpus: %s, split seed "%s"
                        training: %d messages (%d spam, %d ham), %.0f messages/s (tokenize + train, in memory)
                        held out: %d spam, %d ham; classification %.0f messages/s (parse + tokenize + classify, in memory)
                        cutoff %.2f: recall %.4f (%d/%d), false-positive rate %.4f (%d/%d); unsure (0.2-0.9): %d spam, %d ham
                        model: %d tokens, %d octets serialised
                        %s%s""", data, SpamCorpus.SEED, train.size(), train.stream().filter(SpamCorpus.Sample::spam).count(),
                train.stream().filter(s -> !s.spam()).count(), train.size() / (trainNanos / 1e9), spam, ham,
                test.size() / (classifyNanos / 1e9), c.settings().spamCutoff(), recall, caught, spam, fpr, falsePositives, ham,
                unsureSpam, unsureHam, table.size(TokenTable.GLOBAL), model.size(), cutoffs, misses);
        System.out.println(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/classifier-evaluation.txt"), report);

        assertThat(spam).as("held-out spam").isGreaterThan(100);
        assertThat(ham).as("held-out ham").isGreaterThan(500);
        assertThat(reread.size(TokenTable.GLOBAL)).isEqualTo(table.size(TokenTable.GLOBAL));
        assertThat(recall).as("recall").isGreaterThanOrEqualTo(0.97);
        assertThat(fpr).as("false-positive rate").isLessThanOrEqualTo(0.005);
    }

    /**
     * The same classifier on the store's token table (SQLite in a temp directory, as {@code sealpost
     * filter train} and {@code classify} use it): its speed, and scores equal to the in-memory model's.
     */
    @Test
    void storeBackedModelSpeedAndEquality(@TempDir Path dir) throws Exception {
        Path data = SpamCorpus.dataDir();
        List<SpamCorpus.Sample> all = new ArrayList<>(SpamCorpus.group(data, "spam-1", true));
        all.addAll(SpamCorpus.group(data, "easy-ham-1", false));
        List<SpamCorpus.Sample> train = new ArrayList<>(), test = new ArrayList<>();
        for (SpamCorpus.Sample s : all) (SpamCorpus.inTraining(s) ? train : test).add(s);
        // every 5th message: a fifth of each side, both labels
        List<SpamCorpus.Sample> trainPart = new ArrayList<>(), testPart = new ArrayList<>();
        for (int i = 0; i < train.size(); i += 5) trainPart.add(train.get(i));
        for (int i = 0; i < test.size(); i += 5) testPart.add(test.get(i));
        BayesClassifier memory = new BayesClassifier(new MemoryTokenTable());
        for (SpamCorpus.Sample s : trainPart) memory.train(s.content(), MessageStructure.parse(s.content()), null, s.spam());
        try (Store store = Store.open(StoreConfig.sqlite(dir))) {
            StoreTokenTable table = new StoreTokenTable(store.filterTokens());
            BayesClassifier stored = new BayesClassifier(table);
            // bulk, as `sealpost filter train` does: one transaction for the batch
            TrainingBatch batch = new TrainingBatch(table);
            BayesClassifier bulk = new BayesClassifier(batch);
            long t0 = System.nanoTime();
            for (SpamCorpus.Sample s : trainPart) bulk.train(s.content(), MessageStructure.parse(s.content()), null, s.spam());
            batch.flush();
            double trainRate = trainPart.size() / ((System.nanoTime() - t0) / 1e9);
            // one message at a time, as training from a user's move does: a commit each (into an account, then undone)
            List<SpamCorpus.Sample> single = trainPart.subList(0, 60);
            t0 = System.nanoTime();
            for (SpamCorpus.Sample s : single) stored.train(s.content(), MessageStructure.parse(s.content()), "x@example.com", s.spam());
            double singleRate = single.size() / ((System.nanoTime() - t0) / 1e9);
            for (SpamCorpus.Sample s : single) stored.untrain(s.content(), MessageStructure.parse(s.content()), "x@example.com", s.spam());
            assertThat(table.totals(TokenTable.accountScope("x@example.com"))).containsExactly(0, 0);
            t0 = System.nanoTime();
            int agree = 0;
            for (SpamCorpus.Sample s : testPart) {
                double got = stored.classify(s.content(), MessageStructure.parse(s.content()), null).score();
                if (got == memory.classify(s.content(), MessageStructure.parse(s.content()), null).score()) agree++;
            }
            double classifyRate = testPart.size() / ((System.nanoTime() - t0) / 1e9);
            String report = String.format(Locale.ROOT, "store-backed (SQLite): bulk-trained %d messages at %.0f messages/s (one commit); "
                    + "trained %d one by one at %.0f messages/s (a commit each); classified %d at %.0f messages/s (with an in-memory "
                    + "classification each for the comparison)%n", trainPart.size(), trainRate, single.size(), singleRate,
                    testPart.size(), classifyRate);
            System.out.println(report);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target/classifier-evaluation-store.txt"), report);
            assertThat(agree).isEqualTo(testPart.size());
        }
    }
}
