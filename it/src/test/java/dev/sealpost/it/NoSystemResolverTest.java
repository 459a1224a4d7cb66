package dev.sealpost.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * ADR 0006: names are resolved in one place (core's {@code net.dial.HostResolver}, implemented by
 * dns's {@code DnsHostResolver} on the configured resolver), never through the JVM's system
 * resolver. This scans the server's main sources for the calls that would ask it, so a new one
 * fails the build instead of silently disagreeing with {@code [dns]} (issue 11). {@code bench}
 * (load tools run by hand against a server on the loopback) is not the server and is not scanned.
 */
class NoSystemResolverTest {
    /** Calls that resolve a host name through the JVM (or open connections that do). */
    static final Pattern FORBIDDEN = Pattern.compile(
            "InetAddress\\.getByName\\(|InetAddress\\.getAllByName\\(|getCanonicalHostName\\(|InetAddress\\.getLocalHost\\(|"
                    + "java\\.net\\.http\\.HttpClient|HttpURLConnection|\\.openConnection\\(|\\.openStream\\(|"
                    + "new Socket\\(\\s*\"|new Socket\\(\\s*[a-z][A-Za-z]*\\s*,|createUnresolved\\(");

    /**
     * Known exceptions, each with its reason (ADR 0006, "Exceptions"). acme4j 4 talks to the ACME
     * CA only through {@code java.net.http.HttpClient}, which resolves the directory's host name
     * with the JVM resolver; the CA is the operator's own choice of an HTTPS endpoint, not a name
     * taken from mail. To be replaced by a resolver provider that routes the JVM through [dns].
     */
    static final java.util.Map<String, String> EXEMPT = java.util.Map.of(
            "app/src/main/java/dev/sealpost/app/acme/AcmeCertificates.java", "acme4j needs java.net.http.HttpClient");

    @Test
    void noMainSourceAsksTheSystemResolver() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> hits = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path m : modules.filter(p -> Files.isDirectory(p.resolve("src/main/java")) && !p.getFileName().toString().equals("bench")).toList()) {
                try (Stream<Path> files = Files.walk(m.resolve("src/main/java"))) {
                    files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                        try {
                            List<String> lines = Files.readAllLines(f);
                            for (int i = 0; i < lines.size(); i++) {
                                String l = lines.get(i).strip();
                                if (l.startsWith("*") || l.startsWith("//") || l.startsWith("/*")) continue; // documentation
                                if (EXEMPT.containsKey(root.relativize(f).toString())) continue;
                                if (FORBIDDEN.matcher(l).find()) hits.add(root.relativize(f) + ":" + (i + 1) + ": " + l);
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
            }
        }
        assertThat(root.resolve("core/src/main/java")).isDirectory();
        assertThat(hits).as("resolve names through the Dialer / HostResolver (ADR 0006)").isEmpty();
    }
}
