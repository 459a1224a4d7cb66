package dev.sealpost.filter;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The pipeline's thresholds and overrides ({@code [filter]} in {@code sealpost.toml}, per domain and
 * per account overrides are merged by the caller into one of these).
 *
 * @param rejectScore a score at or above this is refused before "250" ({@code reject_score})
 * @param junkScore   a score at or above this is filed into Junk; it is also the {@code required}
 *                    figure of {@code X-Spam-Status} ({@code junk_score})
 * @param weights     per-hit weight overrides by hit name ({@code [filter.weights]}); a hit not named
 *                    keeps the weight its check gave it
 * @param actions     per-hit actions by hit name ({@code [filter.actions]}): a hit named here decides
 *                    the verdict's action as {@link Verdict#of} describes; defaults in {@link #defaults()}
 */
public record FilterSettings(double rejectScore, double junkScore, Map<String, Double> weights,
                             Map<String, Verdict.Action> actions) {
    public FilterSettings {
        if (!Double.isFinite(rejectScore) || !Double.isFinite(junkScore) || junkScore > rejectScore) {
            throw new IllegalArgumentException("filter.junk_score must be finite and at most filter.reject_score: "
                    + junkScore + " > " + rejectScore);
        }
        weights = Map.copyOf(weights);
        actions = Map.copyOf(actions);
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            if (!Double.isFinite(Objects.requireNonNull(e.getValue()))) {
                throw new IllegalArgumentException("filter.weights." + e.getKey() + " must be finite");
            }
        }
    }

    /** Default thresholds: junk at 6, reject at 15 (the scale of Rspamd's and SpamAssassin's defaults). */
    public static final double DEFAULT_JUNK_SCORE = 6.0;
    public static final double DEFAULT_REJECT_SCORE = 15.0;

    /**
     * Junk at 6, reject at 15, no weight overrides; quarantine for the hits that mean a dangerous
     * attachment whatever the score: {@code dangerous_attachment}, {@code double_extension},
     * {@code misleading_file_name}, {@code archive_limit};
     * reject for {@code malware} (a virus is refused, never held).
     */
    public static FilterSettings defaults() {
        return new FilterSettings(DEFAULT_REJECT_SCORE, DEFAULT_JUNK_SCORE, Map.of(), Map.of(
                "dangerous_attachment", Verdict.Action.QUARANTINE,
                "double_extension", Verdict.Action.QUARANTINE,
                "misleading_file_name", Verdict.Action.QUARANTINE,
                "archive_limit", Verdict.Action.QUARANTINE,
                "malware", Verdict.Action.REJECT));
    }

    /** The same settings with these weight overrides added (replacing ones of the same name). */
    public FilterSettings withWeights(Map<String, Double> more) {
        java.util.HashMap<String, Double> w = new java.util.HashMap<>(weights);
        w.putAll(more);
        return new FilterSettings(rejectScore, junkScore, w, actions);
    }

    /** The weight of a hit: the override for its name, else the weight its check gave it. */
    public double weight(Hit hit) {
        Double w = weights.get(hit.name().toLowerCase(Locale.ROOT));
        return w == null ? hit.weight() : w;
    }
}
