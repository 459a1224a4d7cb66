package dev.sealpost.it.reliability;

import dev.sealpost.app.tls.TlsFiles;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Sealpost server as a child JVM (so that it can be SIGKILLed), on ephemeral loopback ports,
 * with its data directory where the caller says (a tmpfs for the disk faults).
 */
final class ServerProcess implements AutoCloseable {
    enum Port { MX, SUBMISSION, IMAP, POP3 }

    static final String DOMAIN = "example.test";
    static final String ALICE = "alice@example.test";
    static final String BOB = "bob@example.test";
    static final String PASSWORD = "reliability pass 1";

    private static final Map<Port, Pattern> LISTENING = Map.of(
            Port.MX, Pattern.compile("SMTP MX listener on [^:]+:(\\d+)"),
            Port.SUBMISSION, Pattern.compile("SMTP SUBMISSION listener on [^:]+:(\\d+)"),
            Port.IMAP, Pattern.compile("IMAP listener on [^:]+:(\\d+)"),
            Port.POP3, Pattern.compile("POP3 listener on [^:]+:(\\d+)"));

    final Path dir;
    final Path data;
    final Path config;
    private final List<Path> logs = new ArrayList<>();
    private volatile Process process;
    private volatile Map<Port, Integer> ports = Map.of();
    /** Bumped before every kill or stop: a client whose epoch changed knows why its connection broke. */
    private final AtomicInteger epoch = new AtomicInteger();
    private volatile boolean up;

    /**
     * @param dir   config, certificate, zone and logs
     * @param data  the data directory (may be a mount point)
     * @param extra TOML tables/keys appended (each table at most once: pass whole tables)
     */
    ServerProcess(Path dir, Path data, String smtpExtra, String dnsTable, String extra) throws IOException {
        this.dir = dir;
        this.data = data;
        Files.createDirectories(dir);
        Files.createDirectories(data);
        TlsFiles.writeSelfSigned(dir.resolve("cert.pem"), dir.resolve("key.pem"), "localhost", List.of("localhost"), List.of("127.0.0.1"));
        Files.writeString(dir.resolve("zone.txt"), "$TTL 300\n");
        config = dir.resolve("sealpost.toml");
        Files.writeString(config, """
                [server]
                hostname = "mx.example.test"
                data_dir = "%s"
                postmaster = "alice@example.test"
                [tls]
                certificate = "cert.pem"
                private_key = "key.pem"
                [listeners]
                smtp = "127.0.0.1:0"
                submission = "127.0.0.1:0"
                submissions = ""
                imap = "127.0.0.1:0"
                imaps = ""
                pop3 = "127.0.0.1:0"
                pop3s = ""
                [managesieve]
                enabled = false
                [imap]
                allow_plaintext_auth = true
                [pop3]
                allow_plaintext_auth = true
                [smtp]
                allow_plaintext_auth = true
                %s
                %s
                %s
                """.formatted(data.toString().replace("\\", "/"), smtpExtra,
                dnsTable == null ? "[dns]\nzone_file = \"zone.txt\"" : dnsTable, extra));
        try (Store s = Store.open(StoreConfig.sqlite(data))) {
            var d = s.directory();
            if (!d.isLocalDomain(DOMAIN)) {
                d.addDomain(DOMAIN);
                d.addAccount(ALICE, PASSWORD.toCharArray());
                d.addAccount(BOB, PASSWORD.toCharArray());
            }
        }
    }

    /** Starts the server and waits until all four listeners are bound. */
    void start() throws Exception {
        Path log = dir.resolve("server-" + logs.size() + ".log");
        logs.add(log);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Djdk.pollerMode=1",
                "-XX:+UseSerialGC", "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                "dev.sealpost.app.Main", "serve", "--config", config.toString(), "--allow-root") // CI runs as root
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        process = p;
        Instant end = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(end)) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            Map<Port, Integer> found = new EnumMap<>(Port.class);
            for (var e : LISTENING.entrySet()) {
                Matcher m = e.getValue().matcher(text);
                if (m.find()) found.put(e.getKey(), Integer.parseInt(m.group(1)));
            }
            if (found.size() == LISTENING.size()) {
                ports = found;
                up = true;
                return;
            }
            if (!p.isAlive()) throw new IOException("server exited " + p.exitValue() + ":\n" + (text.length() > 4000 ? text.substring(text.length() - 4000) : text));
            Thread.sleep(25);
        }
        p.destroyForcibly();
        throw new IOException("server did not start in 90 s: " + log);
    }

    /** SIGKILL: no shutdown hook, no flush. */
    void kill() throws InterruptedException {
        up = false;
        epoch.incrementAndGet();
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    /** SIGTERM and wait (then SIGKILL after 30 s). */
    void stop() throws InterruptedException {
        up = false;
        epoch.incrementAndGet();
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
        }
    }

    boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    boolean up() {
        return up && alive();
    }

    int epoch() {
        return epoch.get();
    }

    long pid() {
        return process.pid();
    }

    int port(Port p) {
        return ports.get(p);
    }

    /** Waits until the server is up (after a restart), at most {@code seconds}. */
    boolean awaitUp(int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!up()) {
            if (System.nanoTime() > end) return false;
            Thread.sleep(20);
        }
        return true;
    }

    /** Lines of every server log containing ERROR or an exception, for the report. */
    List<String> errorLines() throws IOException {
        List<String> out = new ArrayList<>();
        for (Path l : logs) {
            if (!Files.exists(l)) continue;
            for (String s : Files.readAllLines(l, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                if (s.contains(" ERROR ") || s.contains("Exception") || s.contains("OutOfMemory")) out.add(l.getFileName() + ": " + s);
            }
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
