package dev.sealpost.testkit;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real interop peers (swaks, curl, openssl, dkimpy, Postfix, Dovecot…): a missing peer skips the
 * test, unless {@code SEALPOST_REQUIRE_INTEROP=1} (set by .ci/run) makes it a failure.
 */
public final class Peers {
    private Peers() {}

    /** Whether {@code SEALPOST_REQUIRE_INTEROP=1}: a missing peer then fails the test. */
    public static boolean required() {
        return "1".equals(System.getenv("SEALPOST_REQUIRE_INTEROP"));
    }

    /** Goes on when {@code program} is an executable on the PATH; otherwise skips or fails. */
    public static void require(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return;
        }
        missing("interop peer '" + program + "' is not installed");
    }

    /** Goes on when {@code present}; otherwise skips or fails, naming {@code what} (the peer, how to install it). */
    public static void require(boolean present, String what) {
        if (!present) missing("interop peer " + what + " is not installed");
    }

    /**
     * Never returns: skips the test with {@code reason}, or fails it when
     * {@code SEALPOST_REQUIRE_INTEROP=1}. Typed to be usable as {@code return Peers.missing(…)}.
     */
    public static <T> T missing(String reason) {
        if (required()) throw new AssertionError(reason + " and SEALPOST_REQUIRE_INTEROP=1");
        return Assumptions.abort(reason);
    }

    public record Result(int exit, String output) {}

    /** Runs a peer in {@code workDir} with a time limit (a failure past it); stdout and stderr together, stdin empty. */
    public static Result run(List<String> command, Path workDir, int timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "peer", ".log");
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command.getFirst() + " did not finish in " + timeoutSeconds + "s:\n"
                    + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
