package dev.sealpost.app.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/** Runs our SOP in-process, as a test helper. */
final class Sop {
    private Sop() {}

    record Out(int exit, byte[] stdout, String stderr) {
        String text() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    static Out run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SopCommand.run(List.of(args), new ByteArrayInputStream(stdin), out,
                new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC());
        return new Out(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    static Out run(String... args) {
        return run(new byte[0], args);
    }
}
