package dev.sealpost.evidence.merkle;

import java.util.Objects;

/**
 * The outcome of checking a proof: valid, or invalid with a reason in plain words. A bad proof is
 * a value, never an exception (ARCHITECTURE: results are values).
 */
public sealed interface Verification {
    /** Whether the proof verified. */
    boolean valid();

    /** The proof verified. */
    record Valid() implements Verification {
        @Override public boolean valid() { return true; }
    }

    /** The proof did not verify; {@code reason} says why. */
    record Invalid(String reason) implements Verification {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }

        @Override public boolean valid() { return false; }
    }

    Valid VALID = new Valid();

    static Verification invalid(String reason) {
        return new Invalid(reason);
    }
}
