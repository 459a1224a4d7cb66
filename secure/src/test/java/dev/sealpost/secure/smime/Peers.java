package dev.sealpost.secure.smime;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * Real peers (openssl): a missing peer skips the test, unless {@code SEALPOST_REQUIRE_INTEROP=1}
 * (set by .ci/run) makes it a failure. The same small pattern as {@code it}'s Peers.
 */
final class Peers {
    private Peers() {}

    static void require(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) return;
        }
        if ("1".equals(System.getenv("SEALPOST_REQUIRE_INTEROP"))) {
            fail("interop peer '" + program + "' is not installed and SEALPOST_REQUIRE_INTEROP=1");
        }
        Assumptions.abort("interop peer '" + program + "' is not installed");
    }

    record Result(int exit, String output) {}

    /** Runs a peer with a time limit; stdout and stderr together. */
    static Result run(List<String> command, Path workDir, int timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "peer", ".log");
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(command.getFirst() + " did not finish in " + timeoutSeconds + "s:\n" + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
