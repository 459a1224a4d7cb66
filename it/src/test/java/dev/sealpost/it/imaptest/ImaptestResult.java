package dev.sealpost.it.imaptest;

import java.util.List;

/**
 * The outcome of one imaptest script.
 *
 * @param name          the script's file name
 * @param status        PASSED, FAILED or SKIPPED
 * @param detail        FAILED: the first mismatch (command, expected, got); SKIPPED: why; PASSED: ""
 * @param failures      FAILED: every failure message in order (the first is {@code detail})
 * @param missingCapabilities SKIPPED for capabilities: the ones the server did not advertise
 */
public record ImaptestResult(String name, Status status, String detail, List<String> failures,
                             List<String> missingCapabilities) {
    public enum Status { PASSED, FAILED, SKIPPED }

    public ImaptestResult {
        failures = List.copyOf(failures);
        missingCapabilities = List.copyOf(missingCapabilities);
    }

    static ImaptestResult passed(String name) {
        return new ImaptestResult(name, Status.PASSED, "", List.of(), List.of());
    }

    static ImaptestResult failed(String name, List<String> failures) {
        return new ImaptestResult(name, Status.FAILED, failures.getFirst(), failures, List.of());
    }

    static ImaptestResult skipped(String name, String why, List<String> missing) {
        return new ImaptestResult(name, Status.SKIPPED, why, List.of(), missing);
    }

    public boolean passed() {
        return status == Status.PASSED;
    }

    @Override
    public String toString() {
        return name + ": " + status + (detail.isEmpty() ? "" : " - " + detail);
    }
}
