package dev.sealpost.it.imaptest;

import dev.sealpost.testkit.SharedSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs every imaptest script of a directory (imaptest's {@code test=DIR}: each regular file not
 * ending in {@code .mbox}, sorted by name; folders such as {@code broken/} are left out).
 */
public final class ImaptestSuite {
    private ImaptestSuite() {}

    /** {@code shared/conformance/imaptest/tests}, found upwards from the working directory (CI clones shared/ beside the repository). */
    public static Path defaultTestsDir() {
        return SharedSuite.path("imaptest/tests");
    }

    /** The script files of a directory, sorted. */
    public static List<Path> scripts(Path testsDir) {
        try (Stream<Path> s = Files.list(testsDir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".mbox"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs every script against {@code host:port} with the test mailbox "imaptest" (destroyed and
     * recreated by each script), one script at a time.
     *
     * @param user2 the second user for {@code user 2: $user2} scripts; null skips them
     */
    public static List<ImaptestResult> runAll(Path testsDir, String host, int port, String user, String user2, String password) {
        return runAll(testsDir, new ImaptestRunner.Target(host, port, user, user2, password));
    }

    public static List<ImaptestResult> runAll(Path testsDir, ImaptestRunner.Target target) {
        ImaptestRunner runner = new ImaptestRunner(target);
        List<ImaptestResult> out = new ArrayList<>();
        for (Path script : scripts(testsDir)) out.add(runner.run(script));
        return out;
    }

    /** "N scripts: P passed, F failed, S skipped" and one line per failed or skipped script. */
    public static String summary(List<ImaptestResult> results) {
        long passed = results.stream().filter(r -> r.status() == ImaptestResult.Status.PASSED).count();
        long failed = results.stream().filter(r -> r.status() == ImaptestResult.Status.FAILED).count();
        long skipped = results.stream().filter(r -> r.status() == ImaptestResult.Status.SKIPPED).count();
        StringBuilder sb = new StringBuilder();
        sb.append(results.size()).append(" scripts: ").append(passed).append(" passed, ").append(failed)
                .append(" failed, ").append(skipped).append(" skipped\n");
        for (ImaptestResult r : results) {
            if (r.status() == ImaptestResult.Status.FAILED) {
                sb.append("FAILED  ").append(r.name()).append(": ").append(r.detail().replace("\n", "\n        "));
                if (r.failures().size() > 1) sb.append("\n        (+").append(r.failures().size() - 1).append(" more failures)");
                sb.append('\n');
            }
        }
        for (ImaptestResult r : results) {
            if (r.status() == ImaptestResult.Status.SKIPPED) sb.append("SKIPPED ").append(r.name()).append(": ").append(r.detail()).append('\n');
        }
        return sb.toString();
    }
}
