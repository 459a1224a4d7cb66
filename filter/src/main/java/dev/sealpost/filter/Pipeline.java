package dev.sealpost.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs a list of {@link Check}s over one message and sums their hits into a {@link Verdict}. The
 * message is parsed once by the caller ({@link FilterInput}). A check that throws (a bug: checks
 * must not throw) does not stop the others: it is reported as a {@code check_failed} hit of weight
 * 0 naming the check, so that the failure is visible in the explanation and the log.
 */
public final class Pipeline {
    private final List<Check> checks;
    private final FilterSettings settings;

    public Pipeline(List<Check> checks, FilterSettings settings) {
        this.checks = List.copyOf(checks);
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public List<Check> checks() {
        return checks;
    }

    public FilterSettings settings() {
        return settings;
    }

    /** Runs every check in order and returns the explained verdict. */
    public Verdict run(FilterInput input) {
        List<Hit> hits = new ArrayList<>();
        for (Check c : checks) {
            try {
                List<Hit> found = c.run(input);
                if (found != null) hits.addAll(found);
            } catch (RuntimeException | StackOverflowError e) {
                hits.add(new Hit("check_failed", 0, c.name() + ": " + e.getClass().getSimpleName()));
            }
        }
        return Verdict.of(hits, settings);
    }
}
