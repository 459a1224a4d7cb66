package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --help} on every command and subcommand of the tree prints its usage and exits 0 (never "Missing required parameter"). */
class CliHelpTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut, oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private static void walk(CommandLine cl, List<String> path, List<List<String>> all) {
        all.add(path);
        cl.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandName().equals(name)) return; // an alias of a command already walked
            List<String> p = new ArrayList<>(path);
            p.add(name);
            walk(sub, p, all);
        });
    }

    @Test
    void helpWorksOnEveryCommand() {
        List<List<String>> all = new ArrayList<>();
        walk(Main.commandLine(), List.of(), all);
        assertThat(all).as("the tree has the admin commands and their subcommands")
                .contains(List.of("dns", "records"), List.of("account", "add"), List.of("serve"), List.of("dkim", "list"))
                .hasSizeGreaterThan(30);
        List<String> failures = new ArrayList<>();
        for (List<String> path : all) {
            out.reset();
            err.reset();
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            int code = Main.run(args.toArray(String[]::new));
            String printed = out.toString(StandardCharsets.UTF_8);
            if (code != 0 || !printed.contains("Usage: sealpost" + (path.isEmpty() ? "" : " " + String.join(" ", path)))) {
                failures.add(String.join(" ", args) + " -> exit " + code + ": " + err.toString(StandardCharsets.UTF_8).strip());
            }
        }
        assertThat(failures).isEmpty();
    }
}
