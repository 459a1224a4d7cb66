package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.store.SieveScripts;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sealpost sieve global set|remove|list} on a data directory, driven through picocli as the launcher does. */
class SieveGlobalCliTest {
    @TempDir
    Path dir;

    record Run(int code, String out) {}

    Run run(String... args) {
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--data";
        full[args.length + 1] = dir.toString();
        StringWriter sw = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(sw, true));
        cl.setErr(new PrintWriter(sw, true));
        return new Run(cl.execute(full), sw.toString());
    }

    @Test
    void setListRemove() throws Exception {
        try (Store s = Store.open(StoreConfig.sqlite(dir))) {
            s.directory().addDomain("example.test");
        }
        Path spam = dir.resolve("spam.sieve");
        Files.writeString(spam, "require \"fileinto\";\nif header :is \"X-Spam\" \"yes\" { fileinto \"Junk\"; }\n");
        Path bad = dir.resolve("bad.sieve");
        Files.writeString(bad, "keep;\nif true {\n");

        Run r = run("sieve", "global", "set", "--phase", "before", spam.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("stored server-wide before script spam");
        r = run("sieve", "global", "set", "--domain", "Example.TEST", "--phase", "after", "--name", "10-tag", spam.toString());
        assertThat(r.code()).isZero();
        // a script that does not compile is refused with FILE:LINE:COL
        r = run("sieve", "global", "set", "--phase", "after", bad.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains(bad + ":").contains("not stored");
        // a domain that is not ours, a phase that does not exist
        assertThat(run("sieve", "global", "set", "--domain", "elsewhere.test", "--phase", "after", spam.toString()).code()).isNotZero();
        assertThat(run("sieve", "global", "set", "--phase", "during", spam.toString()).code()).isNotZero();

        r = run("sieve", "global", "list");
        assertThat(r.out()).contains("*").contains("before").contains("spam").contains("example.test").contains("10-tag");
        assertThat(run("sieve", "global", "list", "--domain", "example.test").out()).doesNotContain(" spam ").contains("10-tag");
        try (Store s = Store.open(StoreConfig.sqlite(dir))) {
            assertThat(s.sieveScripts().globalScripts("example.test")).extracting(SieveScripts.GlobalScript::name)
                    .containsExactly("spam", "10-tag");
        }
        assertThat(run("sieve", "global", "remove", "--phase", "before", "spam.sieve").code()).isZero();
        assertThat(run("sieve", "global", "remove", "--phase", "before", "spam").code()).isNotZero(); // gone
        assertThat(run("sieve", "global", "remove", "--domain", "example.test", "--phase", "after", "10-tag").code()).isZero();
        assertThat(run("sieve", "global", "list").out()).contains("no global scripts");
    }
}
