package dev.sealpost.app.cli;

import dev.sealpost.app.Main;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Runs {@code bin/sealpost} in-process against one data directory with standard output and error
 * captured (tests only): made in {@code @BeforeEach}, closed in {@code @AfterEach}, which puts
 * {@code System.out}, {@code System.err} and {@code System.in} back.
 */
final class CliRun implements AutoCloseable {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream oldOut = System.out;
    private final PrintStream oldErr = System.err;
    private final InputStream oldIn = System.in;
    private final Path data;

    CliRun(Path data) {
        this.data = data;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** The exit code of {@code sealpost ARGS... --data DIR}; the output of earlier runs is dropped. */
    int run(String... args) {
        out.reset();
        err.reset();
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--data";
        full[args.length + 1] = data.toString();
        return Main.run(full);
    }

    /** What the last run printed on standard output (UTF-8). */
    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What the last run printed on standard error (UTF-8). */
    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        System.setOut(oldOut);
        System.setErr(oldErr);
        System.setIn(oldIn);
    }
}
