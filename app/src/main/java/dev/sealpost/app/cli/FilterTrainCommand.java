package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.filter.bayes.BayesClassifier;
import dev.sealpost.filter.bayes.MessageFiles;
import dev.sealpost.filter.bayes.StoreTokenTable;
import dev.sealpost.filter.bayes.TokenTable;
import dev.sealpost.filter.bayes.TrainingBatch;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code sealpost filter train --spam PATH... --ham PATH...}: trains the spam classifier's model in
 * the store (shared by every node) from message files, Maildirs or mbox files; {@code --account}
 * trains that account's overlay instead of the global model, {@code --untrain} undoes an earlier
 * training of the same messages.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the spam classifier from messages: files, Maildir directories or mbox files.")
public final class FilterTrainCommand implements Callable<Integer> {
    /** Octets of one message read (the tokenizer reads a bounded prefix anyway). */
    static final long MAX_MESSAGE = 32L << 20;

    /** Distinct tokens collected before they are written (bounds memory: a few tens of MB). */
    static final int BATCH_TOKENS = 500_000;

    @Mixin
    StoreOptions store;

    @Option(names = "--spam", arity = "1..*", paramLabel = "PATH", description = "Spam: message files, Maildirs or mbox files.")
    List<Path> spam = new ArrayList<>();

    @Option(names = "--ham", arity = "1..*", paramLabel = "PATH", description = "Ham (wanted mail): message files, Maildirs or mbox files.")
    List<Path> ham = new ArrayList<>();

    @Option(names = "--account", paramLabel = "ADDRESS", description = "Train this account's overlay (default: the global model).")
    String account;

    @Option(names = "--untrain", description = "Undo an earlier training of these messages with the same labels.")
    boolean untrain;

    @Override
    public Integer call() {
        if (spam.isEmpty() && ham.isEmpty()) throw new Main.UserError("nothing to train: give --spam PATH... and/or --ham PATH...");
        try (Store s = store.open()) {
            TokenTable table = new StoreTokenTable(s.filterTokens());
            TrainingBatch batch = new TrainingBatch(table); // one store transaction per batch, not per message
            BayesClassifier c = new BayesClassifier(batch);
            int spamCount = feed(c, batch, spam, true);
            int hamCount = feed(c, batch, ham, false);
            batch.flush();
            String scope = TokenTable.accountScope(account);
            long[] totals = table.totals(scope);
            System.out.printf(Locale.ROOT, "%s %d spam and %d ham message(s) %s %s; it now holds %d spam and %d ham%n",
                    untrain ? "untrained" : "trained", spamCount, hamCount, untrain ? "from" : "into",
                    scope.equals(TokenTable.GLOBAL) ? "the global model" : "the overlay of " + scope.substring(2), totals[0], totals[1]);
        }
        return 0;
    }

    private int feed(BayesClassifier c, TrainingBatch batch, List<Path> paths, boolean asSpam) {
        int[] n = {0};
        for (Path p : paths) {
            try {
                MessageFiles.read(p, MAX_MESSAGE, m -> {
                    MessageStructure structure = MessageStructure.parse(m.content());
                    if (untrain) c.untrain(m.content(), structure, account, asSpam);
                    else c.train(m.content(), structure, account, asSpam);
                    n[0]++;
                    if (batch.pendingTokens() >= BATCH_TOKENS) batch.flush();
                });
            } catch (IOException e) {
                throw new Main.UserError("cannot read " + p + ": " + e.getMessage());
            } catch (UncheckedIOException e) {
                throw new Main.UserError("cannot read " + p + ": " + e.getCause().getMessage());
            }
        }
        return n[0];
    }
}
