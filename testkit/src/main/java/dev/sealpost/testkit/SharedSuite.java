package dev.sealpost.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared conformance suites ({@code shared/conformance/…}, see each SOURCE.md), found by
 * walking up from the working directory, so they are found from the main checkout and from a
 * worktree alike (CI clones {@code shared/} beside the repository). A missing suite fails the
 * test with the places looked at; it never skips (ARCHITECTURE: a suite's pass count is asserted).
 */
public final class SharedSuite {
    private SharedSuite() {}

    /** {@code shared/conformance/<relative>} (a directory or a file) in the nearest directory above; fails when there is none. */
    public static Path path(String relative) {
        Path rel = Path.of("shared", "conformance").resolve(relative);
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path p = dir.resolve(rel);
            if (Files.exists(p)) return p;
        }
        throw new AssertionError("shared suite " + rel + " not found in " + start + " or any directory above it"
                + " (clone shared/ beside the repository); a missing suite fails, it is never skipped");
    }
}
