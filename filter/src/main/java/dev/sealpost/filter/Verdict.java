package dev.sealpost.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of the pipeline, explained: what to do, the score, the threshold it was measured
 * against and every hit with the weight it counted for.
 *
 * @param action   what happens to the message
 * @param score    the sum of the hits' weights
 * @param required the junk threshold ({@link FilterSettings#junkScore()}), shown as {@code required=}
 * @param hits     the hits, in the order the checks ran, with their weights after overrides
 */
public record Verdict(Action action, double score, double required, List<Hit> hits) {

    /** What happens to the message, from the mildest to the most severe. */
    public enum Action {
        /** Delivered to the INBOX. */
        INBOX,
        /** Accepted and filed into Junk. */
        JUNK,
        /** Accepted with "250" and held in quarantine, never delivered to a mailbox. */
        QUARANTINE,
        /** Refused before "250" with a 5xx reply. */
        REJECT;

        /** The lower-case word printed by {@code filter explain} and in logs. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Verdict {
        Objects.requireNonNull(action, "action");
        hits = List.copyOf(hits);
    }

    /**
     * Sums the weights (after the settings' overrides) and picks the action. The score gives
     * {@code reject} at or above {@code reject_score}, {@code junk} at or above {@code junk_score},
     * else {@code inbox}. A hit with its own action ({@link FilterSettings#actions()}) wins: a
     * {@code reject} or {@code quarantine} hit action decides whatever the score (a dangerous
     * attachment is quarantined even when the score alone would refuse or deliver it, so that an
     * administrator can look at it); a {@code junk} or {@code inbox} hit action only raises the
     * score's action, never lowers it. Among several hit actions the most severe counts.
     */
    public static Verdict of(List<Hit> rawHits, FilterSettings settings) {
        List<Hit> hits = new ArrayList<>(rawHits.size());
        double score = 0;
        Action hitAction = null;
        for (Hit h : rawHits) {
            double w = settings.weight(h);
            Hit counted = w == h.weight() ? h : new Hit(h.name(), w, h.detail());
            hits.add(counted);
            score += w;
            Action a = settings.actions().get(h.name());
            if (a != null && (hitAction == null || a.compareTo(hitAction) > 0)) hitAction = a;
        }
        score = Math.round(score * 100.0) / 100.0; // sums of decimal weights: no 5.999999 in headers
        Action byScore = score >= settings.rejectScore() ? Action.REJECT
                : score >= settings.junkScore() ? Action.JUNK : Action.INBOX;
        Action action;
        if (hitAction == Action.REJECT || hitAction == Action.QUARANTINE) action = hitAction;
        else if (hitAction != null && hitAction.compareTo(byScore) > 0) action = hitAction;
        else action = byScore;
        return new Verdict(action, score, settings.junkScore(), hits);
    }

    /** True when the message counts as spam for the headers: the score reached {@code required}, or it is junk or refused. */
    public boolean isSpam() {
        return score >= required || action == Action.JUNK || action == Action.REJECT;
    }

    /** The distinct hit names in order, as {@code tests=} lists them. */
    public List<String> testNames() {
        return hits.stream().map(Hit::name).distinct().toList();
    }

    /**
     * The {@code X-Spam-Status} field (SpamAssassin's convention, which mail clients read):
     * {@code X-Spam-Status: Yes|No, score=S required=R tests=A,B}, folded between tests to stay
     * under 78 characters a line (RFC 5322 §2.2.3), ending in CRLF. {@code tests=none} when nothing hit.
     */
    public String spamStatusField() {
        StringBuilder sb = new StringBuilder("X-Spam-Status: ").append(isSpam() ? "Yes" : "No")
                .append(", score=").append(number(score)).append(" required=").append(number(required)).append(" tests=");
        List<String> names = testNames();
        if (names.isEmpty()) sb.append("none");
        int lineStart = 0;
        for (int i = 0; i < names.size(); i++) {
            String t = names.get(i) + (i + 1 < names.size() ? "," : "");
            if (sb.length() - lineStart + t.length() > 76 && i > 0) {
                sb.append("\r\n\t"); // RFC 5322 §2.2.3: fold at a place where white space may go
                lineStart = sb.length() - 1;
            }
            sb.append(t);
        }
        return sb.append("\r\n").toString();
    }

    /** {@code X-Spam-Flag: YES} with CRLF when {@link #isSpam()}, else the empty string (no field). */
    public String spamFlagField() {
        return isSpam() ? "X-Spam-Flag: YES\r\n" : "";
    }

    /** A score or weight with one or two decimals as needed ({@code 6.0}, {@code 2.25}), never in exponent form. */
    public static String number(double d) {
        java.math.BigDecimal b = java.math.BigDecimal.valueOf(Math.round(d * 100.0) / 100.0).stripTrailingZeros();
        if (b.scale() < 1) b = b.setScale(1);
        return b.toPlainString();
    }
}
