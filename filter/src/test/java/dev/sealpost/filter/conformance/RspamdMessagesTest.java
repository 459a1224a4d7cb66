package dev.sealpost.filter.conformance;

import dev.sealpost.dns.PublicSuffixList;
import dev.sealpost.filter.FilterInput;
import dev.sealpost.filter.FilterSettings;
import dev.sealpost.filter.Hit;
import dev.sealpost.filter.Pipeline;
import dev.sealpost.filter.Verdict;
import dev.sealpost.filter.attach.AttachmentCheck;
import dev.sealpost.filter.links.LinkCheck;
import dev.sealpost.testkit.SharedSuite;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rspamd's functional-test messages for attachment names and link phishing
 * ({@code shared/conformance/rspamd-messages}, see its SOURCE.md): every row of
 * {@code expectations.tsv} through our attachment and link checks. Rspamd's symbols map to our
 * hit names below; a row's options must all appear in our hit's detail. The test config of those
 * rows (a file-name allow list holding {@code ^hello_world\.exe$}) is ours as
 * {@code [filter.attachments] allow_names}.
 */
class RspamdMessagesTest {
    /** Rspamd symbol -> our hit name. */
    static final Map<String, String> SYMBOLS = Map.of(
            "MIME_BAD_EXTENSION", "dangerous_attachment",
            "MIME_DOUBLE_BAD_EXTENSION", "double_extension",
            "MIME_ARCHIVE_IN_ARCHIVE", "archive_in_archive",
            "PHISHING", "phishing_link");

    /** Rows that cannot pass, with the reason (none today). */
    static final Map<String, String> KNOWN_FAILURES = Map.of();

    static final int ROWS = 21;

    @Test
    void everyRowGivesTheExpectedVerdict() throws IOException {
        Path dir = SharedSuite.path("rspamd-messages");
        List<String> lines = Files.readAllLines(dir.resolve("expectations.tsv"));
        AttachmentCheck.Settings as = new AttachmentCheck.Settings(dev.sealpost.filter.attach.ArchiveLister.Limits.defaults(),
                List.of(Pattern.compile("^hello_world\\.exe$")), 100, 50 << 20);
        Pipeline pipeline = new Pipeline(List.of(new AttachmentCheck(as),
                new LinkCheck(PublicSuffixList.bundled(), null, List.of())), FilterSettings.defaults());
        int rows = 0, passed = 0;
        List<String> failures = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t", -1);
            rows++;
            String file = f[0], symbol = f[3], options = f[4];
            boolean expect = f[2].equals("yes");
            String ours = SYMBOLS.get(symbol);
            assertThat(ours).as("symbol %s mapped", symbol).isNotNull();
            Verdict v = pipeline.run(FilterInput.offline(Files.readAllBytes(dir.resolve("messages").resolve(file))));
            Optional<Hit> hit = v.hits().stream().filter(h -> h.name().equals(ours)).findFirst();
            boolean ok;
            if (expect) {
                ok = hit.isPresent();
                for (String opt : options.isBlank() ? new String[0] : options.split(" ")) {
                    ok &= hit.isPresent() && hit.get().detail().contains(opt);
                }
            } else {
                ok = hit.isEmpty();
                if (file.equals("exe_attm.eml")) ok &= v.hits().isEmpty(); // SOURCE.md: no attachment symbol at all
            }
            if (ok) passed++;
            else if (!KNOWN_FAILURES.containsKey(file + " " + symbol)) failures.add(line + "  => " + v.hits());
        }
        assertThat(rows).isEqualTo(ROWS);
        assertThat(failures).as("rows that fail").isEmpty();
        assertThat(passed).isEqualTo(ROWS - KNOWN_FAILURES.size());
    }
}
