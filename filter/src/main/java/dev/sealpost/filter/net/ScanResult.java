package dev.sealpost.filter.net;

import java.util.Objects;

/** The outcome of one malware scan, as a value. */
public sealed interface ScanResult {
    /** Nothing found. */
    record Clean() implements ScanResult {}

    /** A signature matched; {@code signature} is clamd's name for it (printable ASCII, bounded). */
    record Infected(String signature) implements ScanResult {
        public Infected {
            Objects.requireNonNull(signature, "signature");
        }
    }

    /** The scanner could not answer (unreachable, timed out, an {@code ERROR} reply, a size limit): not a verdict. */
    record Unavailable(String reason) implements ScanResult {
        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }
    }

    ScanResult CLEAN = new Clean();
}
