package dev.sealpost.conventions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Sealpost checkout these tests read, and its modules, found from the working directory. */
final class ProjectRoot {
    private ProjectRoot() {}

    private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");

    /**
     * The nearest directory at or above the working directory (a module's directory under
     * surefire) whose {@code pom.xml} is the {@code sealpost-parent} pom itself; fails when there is none.
     */
    static Path find() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path pom = p.resolve("pom.xml");
            // a module's pom names sealpost-parent too, but inside <parent>
            if (Files.isRegularFile(pom) && read(pom).replaceAll("(?s)<parent>.*?</parent>", "")
                    .contains("<artifactId>sealpost-parent</artifactId>")) return p;
        }
        throw new IllegalStateException("no sealpost-parent pom.xml at or above " + Path.of("").toAbsolutePath());
    }

    /** The module directories the root pom lists, in its order. */
    static List<Path> modules(Path root) {
        List<Path> out = new ArrayList<>();
        Matcher m = MODULE.matcher(read(root.resolve("pom.xml")));
        while (m.find()) out.add(root.resolve(m.group(1)));
        if (out.isEmpty()) throw new IllegalStateException("no <module> in " + root.resolve("pom.xml"));
        return out;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
