package dev.sealpost.filter.bayes;

import dev.sealpost.filter.Check;
import dev.sealpost.filter.FilterInput;
import dev.sealpost.filter.Hit;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The classifier as a pipeline check. A score above 0.5 + {@code margin} gives {@code bayes_spam}
 * with a weight rising linearly from 0 at 0.5 to {@code spamWeight} at 1; below 0.5 - {@code margin},
 * {@code bayes_ham} with a weight falling from 0 to {@code -hamWeight} at 0. An untrained model, or a
 * score within the margin, gives no hit. The account whose overlay is used comes from
 * {@code account} (by default the single envelope recipient, or none for several).
 */
public final class BayesCheck implements Check {
    private final BayesClassifier classifier;
    private final double spamWeight;
    private final double hamWeight;
    private final double margin;
    private final Function<FilterInput, String> account;

    public BayesCheck(BayesClassifier classifier, double spamWeight, double hamWeight, double margin,
                      Function<FilterInput, String> account) {
        if (!(spamWeight >= 0) || !(hamWeight >= 0) || !(margin >= 0 && margin < 0.5)) {
            throw new IllegalArgumentException("bad bayes check weights");
        }
        this.classifier = classifier;
        this.spamWeight = spamWeight;
        this.hamWeight = hamWeight;
        this.margin = margin;
        this.account = account;
    }

    /** Spam weight 6, ham weight 3, margin 0.1, the single recipient's overlay. */
    public BayesCheck(BayesClassifier classifier) {
        this(classifier, 6.0, 3.0, 0.1, in -> in.recipients().size() == 1 ? in.recipients().getFirst() : null);
    }

    @Override
    public String name() {
        return "bayes_spam";
    }

    @Override
    public List<Hit> run(FilterInput input) {
        BayesClassifier.Result r = classifier.classify(input.message(), input.structure(), account.apply(input));
        if (!r.trained()) return List.of();
        String detail = String.format(Locale.ROOT, "score=%.4f clues=%d", r.score(), r.clues());
        if (r.score() > 0.5 + margin) return List.of(new Hit("bayes_spam", round(spamWeight * (r.score() - 0.5) * 2), detail));
        if (r.score() < 0.5 - margin) return List.of(new Hit("bayes_ham", -round(hamWeight * (0.5 - r.score()) * 2), detail));
        return List.of();
    }

    private static double round(double w) {
        return Math.round(w * 1000) / 1000.0;
    }
}
