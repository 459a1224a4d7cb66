package dev.sealpost.filter;

import java.util.Objects;

/**
 * One check that fired: its stable name (like an Rspamd symbol, lower case with underscores, for
 * example {@code lookalike_domain}), the weight it adds to the score (negative for good signs), and
 * a short human-readable detail (never a secret, never the message body).
 */
public record Hit(String name, double weight, String detail) {
    public Hit {
        Objects.requireNonNull(name, "name");
        detail = detail == null ? "" : detail;
        if (!name.matches("[a-z0-9_]{1,64}")) {
            throw new IllegalArgumentException("check name must be [a-z0-9_]{1,64}: " + name);
        }
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException("weight must be finite: " + name);
        }
    }
}
