package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.filter.bayes.BayesClassifier;
import dev.sealpost.filter.bayes.MessageFiles;
import dev.sealpost.filter.bayes.StoreTokenTable;
import dev.sealpost.filter.bayes.TokenTable;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code sealpost filter classify PATH...}: runs the spam classifier (the model in the store) over
 * message files, Maildirs or mbox files and prints one line per message: {@code spam|ham SCORE FILE}
 * (SCORE from 0, ham, to 1, spam; {@code FILE#n} for the n-th message of an mbox).
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classify messages (files, Maildirs or mbox files): one line per message, 'spam|ham SCORE FILE'.")
public final class FilterClassifyCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Message files, Maildir directories or mbox files.")
    List<Path> paths;

    @Option(names = "--account", paramLabel = "ADDRESS", description = "Use this account's overlay on top of the global model.")
    String account;

    @Override
    public Integer call() {
        try (Store s = store.open()) {
            TokenTable table = new StoreTokenTable(s.filterTokens());
            BayesClassifier c = new BayesClassifier(table);
            long[] totals = table.totals(TokenTable.GLOBAL);
            long[] own = table.totals(TokenTable.accountScope(account));
            if (account != null) totals = new long[] {totals[0] + own[0], totals[1] + own[1]};
            int min = c.settings().minTrained();
            if (totals[0] < min || totals[1] < min) {
                throw new Main.UserError("the classifier is not trained yet (" + totals[0] + " spam and " + totals[1]
                        + " ham messages; at least " + min + " of each are needed): run 'sealpost filter train --spam PATH... --ham PATH...'");
            }
            for (Path p : paths) {
                try {
                    MessageFiles.read(p, FilterTrainCommand.MAX_MESSAGE, m -> {
                        BayesClassifier.Result r = c.classify(m.content(), MessageStructure.parse(m.content()), account);
                        System.out.printf(Locale.ROOT, "%s %.4f %s%n", r.spam() ? "spam" : "ham", r.score(), m.name());
                    });
                } catch (IOException e) {
                    throw new Main.UserError("cannot read " + p + ": " + e.getMessage());
                }
            }
        }
        return 0;
    }
}
