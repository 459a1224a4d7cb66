package dev.sealpost.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code filter train} and {@code filter classify} through picocli, on a data directory. */
class FilterCliTest {
    private static final String[] SPAM = {"viagra", "cheap", "pills", "winner", "casino", "offer", "free", "money", "guaranteed"};
    private static final String[] HAM = {"meeting", "agenda", "project", "review", "patch", "release", "notes", "merge", "branch"};

    @TempDir
    Path dir;

    private static String message(Random r, boolean spam, int n) {
        String[] words = spam ? SPAM : HAM;
        StringBuilder b = new StringBuilder("From: ").append(spam ? "Deals <d@promo.example>" : "Bob <bob@example.org>")
                .append("\nTo: alice@example.com\nSubject: ").append(words[r.nextInt(words.length)]).append(' ').append(n).append("\n\n");
        for (int i = 0; i < 30; i++) b.append(words[r.nextInt(words.length)]).append(i % 8 == 7 ? "\n" : " ");
        return b.append('\n').toString();
    }

    private record Run(int exit, String out, String err) {}

    private Run run(Object command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CommandLine cl = new CommandLine(command);
            cl.setErr(new PrintWriter(err, true));
            int exit = cl.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void trainFromMaildirMboxAndFilesThenClassify() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Random r = new Random(1);
        Path maildir = dir.resolve("Junk");
        Files.createDirectories(maildir.resolve("cur"));
        Files.createDirectories(maildir.resolve("new"));
        Files.createDirectories(maildir.resolve("tmp"));
        for (int i = 0; i < 12; i++) {
            Files.writeString(maildir.resolve(i % 2 == 0 ? "cur" : "new").resolve("17000" + i + ".M1P1.host:2,S"), message(r, true, i));
        }
        StringBuilder mbox = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            mbox.append("From bob@example.org Mon Dec  7 10:00:00 2026\n").append(message(r, false, i)).append("\n");
        }
        mbox.append("From bob@example.org Mon Dec  7 10:00:00 2026\nSubject: quoted\n\n>From here on: merge the branch\n\n");
        Path mboxFile = Files.writeString(dir.resolve("ham.mbox"), mbox);

        Path probeSpam = Files.writeString(dir.resolve("probe-spam.eml"), message(r, true, 100));
        Path probeHam = Files.writeString(dir.resolve("probe-ham.eml"), message(r, false, 101));

        Run untrained = run(new FilterClassifyCommand(), "--data", data.toString(), probeSpam.toString());
        assertThat(untrained.exit()).isNotZero();
        assertThat(untrained.err()).contains("not trained yet", "filter train");

        Run train = run(new FilterTrainCommand(), "--data", data.toString(), "--spam", maildir.toString(), "--ham", mboxFile.toString());
        assertThat(train.exit()).as(train.err()).isZero();
        assertThat(train.out()).contains("trained 12 spam and 13 ham message(s) into the global model; it now holds 12 spam and 13 ham");

        Run classify = run(new FilterClassifyCommand(), "--data", data.toString(), probeSpam.toString(), probeHam.toString());
        assertThat(classify.exit()).as(classify.err()).isZero();
        String[] lines = classify.out().strip().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).matches("spam (0\\.9\\d{3}|1\\.0000) " + java.util.regex.Pattern.quote(probeSpam.toString()));
        assertThat(lines[1]).matches("ham 0\\.0\\d{3} " + java.util.regex.Pattern.quote(probeHam.toString()));

        Run perMessage = run(new FilterClassifyCommand(), "--data", data.toString(), mboxFile.toString());
        assertThat(perMessage.out().strip().split("\n")).hasSize(13).allMatch(l -> l.startsWith("ham ") && l.contains("ham.mbox#"));

        Run undo = run(new FilterTrainCommand(), "--data", data.toString(), "--untrain", "--spam", maildir.toString());
        assertThat(undo.out()).contains("untrained 12 spam and 0 ham message(s) from the global model; it now holds 0 spam and 13 ham");
    }

    @Test
    void accountOverlayAndUsageErrors() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Random r = new Random(2);
        Path spamDir = Files.createDirectories(dir.resolve("spam"));
        Path hamDir = Files.createDirectories(dir.resolve("ham"));
        for (int i = 0; i < 10; i++) {
            Files.writeString(spamDir.resolve("s" + i), message(r, true, i));
            Files.writeString(hamDir.resolve("h" + i), message(r, false, i));
        }
        Run train = run(new FilterTrainCommand(), "--data", data.toString(), "--account", "Carol@Example.com",
                "--spam", spamDir.toString(), "--ham", hamDir.toString());
        assertThat(train.out()).contains("into the overlay of carol@example.com; it now holds 10 spam and 10 ham");
        Path probe = Files.writeString(dir.resolve("p.eml"), message(r, true, 50));
        assertThat(run(new FilterClassifyCommand(), "--data", data.toString(), probe.toString()).err()).contains("not trained yet");
        Run mine = run(new FilterClassifyCommand(), "--data", data.toString(), "--account", "carol@example.com", probe.toString());
        assertThat(mine.out()).startsWith("spam ");

        assertThat(run(new FilterTrainCommand(), "--data", data.toString()).err()).contains("nothing to train");
        assertThat(run(new FilterTrainCommand(), "--data", data.toString(), "--spam", dir.resolve("missing").toString()).err())
                .contains("cannot read");
        assertThat(run(new FilterClassifyCommand(), "--data", dir.resolve("nodata").toString(), probe.toString()).err())
                .contains("no data directory");
    }
}
