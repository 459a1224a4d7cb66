package dev.sealpost.filter.bayes;

import dev.sealpost.message.MessageStructure;

import java.util.Arrays;

/**
 * The statistical spam classifier: Gary Robinson's per-token probabilities combined with Fisher's
 * chi-square method (as SpamBayes and Bogofilter do), over the {@link Tokenizer}'s word and
 * word-pair features, with counts in a {@link TokenTable}.
 *
 * <p>For a feature seen in {@code s} of {@code S} trained spam and {@code h} of {@code H} trained
 * ham, {@code p = (s/S) / (s/S + h/H)}, pulled towards {@code x} for rare features:
 * {@code f = (strength * x + n * p) / (strength + n)} with {@code n = s + h}. The
 * {@link Settings#maxClues()} features farthest from 0.5 (at least {@link Settings#minDeviation()}
 * away) are combined: {@code S' = 1 - C⁻¹(-2 Σ ln(1 - f), 2k)}, {@code H' = 1 - C⁻¹(-2 Σ ln f, 2k)}
 * with {@code C⁻¹} the chi-square survival function, and the score is {@code (1 + S' - H') / 2}:
 * near 1 for spam, near 0 for ham, near 0.5 when the evidence is weak or conflicting.
 *
 * <p><b>Scopes:</b> an account's overlay adds its counts to the global model's (both tokens and
 * message totals), so what one user trained weighs on that user's mail only. Training with an
 * account updates only that account's scope; training without one updates the global model.
 *
 * <p>Thread-safe when its table is.
 */
public final class BayesClassifier {
    /**
     * @param strength     Robinson's s: how strongly a rare feature is pulled to {@code unknown}
     * @param unknown      Robinson's x: the probability assumed for a feature never seen
     * @param minDeviation features with |f - 0.5| below this are ignored
     * @param maxClues     at most this many features are combined
     * @param spamCutoff   a score at or above this is spam
     * @param minTrained   below this many trained spam or ham messages the classifier abstains (score 0.5)
     */
    public record Settings(double strength, double unknown, double minDeviation, int maxClues, double spamCutoff, int minTrained) {
        public Settings {
            if (!(strength > 0) || !(unknown > 0 && unknown < 1) || !(minDeviation >= 0 && minDeviation < 0.5) || maxClues < 1
                    || !(spamCutoff > 0 && spamCutoff <= 1) || minTrained < 1) {
                throw new IllegalArgumentException("bad classifier settings");
            }
        }

        /**
         * Robinson's strength 0.45 and unknown-word probability 0.5 (as SpamBayes), features at least
         * 0.3 from neutral, up to 500 of them, the cutoff at the indicator's neutral midpoint: chosen on
         * a validation split inside the training data (docs/classifier.md).
         */
        public static Settings defaults() {
            return new Settings(0.45, 0.5, 0.3, 500, 0.5, 10);
        }
    }

    /**
     * One classification.
     *
     * @param score   0 (ham) to 1 (spam)
     * @param spam    {@code score >= spamCutoff}
     * @param clues   how many features were combined
     * @param trained false when the model had too few trained messages to judge (score 0.5)
     */
    public record Result(double score, boolean spam, int clues, boolean trained) {}

    private final TokenTable table;
    private final Tokenizer tokenizer;
    private final Settings settings;

    public BayesClassifier(TokenTable table, Tokenizer tokenizer, Settings settings) {
        this.table = table;
        this.tokenizer = tokenizer;
        this.settings = settings;
    }

    public BayesClassifier(TokenTable table) {
        this(table, new Tokenizer(), Settings.defaults());
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public Settings settings() {
        return settings;
    }

    /** Trains one message as spam or ham into the account's scope (the global model when {@code account} is null). */
    public void train(byte[] message, MessageStructure structure, String account, boolean spam) {
        table.add(TokenTable.accountScope(account), tokenizer.tokenize(message, structure).hashes(), spam, 1);
    }

    /** Undoes one {@link #train} of the same message with the same label (a message moved back). */
    public void untrain(byte[] message, MessageStructure structure, String account, boolean spam) {
        table.add(TokenTable.accountScope(account), tokenizer.tokenize(message, structure).hashes(), spam, -1);
    }

    /** Classifies a message for an account (null: by the global model alone). */
    public Result classify(byte[] message, MessageStructure structure, String account) {
        return classify(tokenizer.tokenize(message, structure), account);
    }

    /** Classifies already tokenized features. */
    public Result classify(Tokenizer.Features features, String account) {
        long[] hashes = features.hashes();
        int n = hashes.length;
        long[] totals = table.totals(TokenTable.GLOBAL);
        int[] spam = new int[n], ham = new int[n];
        table.counts(TokenTable.GLOBAL, hashes, spam, ham);
        String scope = TokenTable.accountScope(account);
        if (!scope.equals(TokenTable.GLOBAL)) {
            long[] own = table.totals(scope);
            if (own[0] + own[1] > 0) {
                totals = new long[] {totals[0] + own[0], totals[1] + own[1]};
                int[] s2 = new int[n], h2 = new int[n];
                table.counts(scope, hashes, s2, h2);
                for (int i = 0; i < n; i++) {
                    spam[i] += s2[i];
                    ham[i] += h2[i];
                }
            }
        }
        if (totals[0] < settings.minTrained() || totals[1] < settings.minTrained()) return new Result(0.5, false, 0, false);
        double[] probs = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            double f = probability(spam[i], ham[i], totals[0], totals[1]);
            if (Math.abs(f - 0.5) >= settings.minDeviation()) probs[k++] = f;
        }
        double[] clues = strongest(probs, k, settings.maxClues());
        double score = combine(clues);
        return new Result(score, score >= settings.spamCutoff(), clues.length, true);
    }

    /** Robinson's f(w) for a feature in {@code s} of {@code nSpam} spam and {@code h} of {@code nHam} ham messages. */
    double probability(int s, int h, long nSpam, long nHam) {
        double n = (double) s + h;
        if (n == 0) return settings.unknown();
        double spamRatio = Math.min(1.0, (double) s / nSpam);
        double hamRatio = Math.min(1.0, (double) h / nHam);
        double p = spamRatio / (spamRatio + hamRatio);
        return (settings.strength() * settings.unknown() + n * p) / (settings.strength() + n);
    }

    /** The {@code max} values of {@code probs[0, k)} farthest from 0.5. */
    private static double[] strongest(double[] probs, int k, int max) {
        double[] p = Arrays.copyOf(probs, k);
        if (k <= max) return p;
        Double[] boxed = new Double[k];
        for (int i = 0; i < k; i++) boxed[i] = p[i];
        Arrays.sort(boxed, (a, b) -> Double.compare(Math.abs(b - 0.5), Math.abs(a - 0.5)));
        double[] out = new double[max];
        for (int i = 0; i < max; i++) out[i] = boxed[i];
        return out;
    }

    /**
     * Fisher's method over both tails, as the indicator {@code (1 + S - H) / 2}. When both tails are
     * saturated (each test rejects randomness with a p-value below {@link #SATURATED}: strong evidence
     * both ways, common in long messages whose word and word-pair features are not independent),
     * the plain indicator is 0.5 whatever the balance; then the side with the smaller p-value wins,
     * with a score kept within 0.25 to 0.75 (weakly decided): {@code 0.5 + 0.25 tanh((ln Qh - ln Qs) / 2k)}.
     */
    static double combine(double[] clues) {
        if (clues.length == 0) return 0.5;
        double lnHam = 0, lnSpam = 0;
        for (double f : clues) {
            lnHam += Math.log(f);
            lnSpam += Math.log1p(-f);
        }
        int df = 2 * clues.length;
        double lnQs = lnChi2Q(-2 * lnSpam, df), lnQh = lnChi2Q(-2 * lnHam, df);
        if (lnQs < LN_SATURATED && lnQh < LN_SATURATED) return 0.5 + 0.25 * Math.tanh((lnQh - lnQs) / df);
        return (1 + Math.exp(lnQh) - Math.exp(lnQs)) / 2; // (1 + (1 - Qs) - (1 - Qh)) / 2
    }

    /** Below this p-value a tail counts as saturated. */
    static final double SATURATED = 1e-6;
    private static final double LN_SATURATED = Math.log(SATURATED);

    /**
     * The natural logarithm of the chi-square survival function for an even number of degrees of
     * freedom: {@code Q = e^-m Σ_{i<df/2} m^i / i!} with {@code m = x2 / 2}, summed in log space so
     * that it does not underflow for strong evidence.
     */
    static double lnChi2Q(double x2, int df) {
        double m = x2 / 2;
        if (m <= 0) return 0;
        double lnM = Math.log(m);
        double lnTerm = 0; // ln(m^0 / 0!)
        double max = 0;
        double[] terms = new double[df / 2];
        for (int i = 0; i < df / 2; i++) {
            if (i > 0) lnTerm += lnM - Math.log(i);
            terms[i] = lnTerm;
            if (lnTerm > max) max = lnTerm;
        }
        double sum = 0;
        for (double t : terms) sum += Math.exp(t - max);
        return Math.min(0, -m + max + Math.log(sum));
    }
}
