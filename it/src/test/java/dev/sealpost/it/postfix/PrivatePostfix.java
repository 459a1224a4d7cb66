package dev.sealpost.it.postfix;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A private Postfix instance for interop tests: its own config, queue and data directories
 * under a temp dir (never the system's /etc/postfix), an smtpd on a loopback port with
 * STARTTLS, virtual(8) delivery to Maildir folders under the temp dir, {@code maillog_file}
 * instead of syslog, and optionally a relayhost for everything else. Postfix's master must run
 * as root (it drops to the {@code postfix} user for its daemons; virtual delivery writes as
 * {@code nobody}).
 *
 * <p>{@link #close()} stops it ({@code postfix -c DIR stop}, then {@code abort} and a kill of
 * the master if it lingers); a JVM shutdown hook does the same if a test run is cut short.
 */
public final class PrivatePostfix implements AutoCloseable {
    /** Bound of every Postfix command we run. */
    private static final int COMMAND_SECONDS = 60;

    /**
     * @param smtpdPort    loopback port of the smtpd
     * @param myHostname   Postfix's own name (EHLO, Received)
     * @param domain       the virtual mailbox domain it accepts mail for
     * @param mailboxes    local parts at {@code domain}, each with a Maildir
     * @param relayHost    {@code [127.0.0.1]:PORT} for all other mail, or null
     * @param certificate  PEM certificate (chain) of the smtpd
     * @param privateKey   PEM private key of the smtpd
     */
    public record Settings(int smtpdPort, String myHostname, String domain, List<String> mailboxes, String relayHost,
                           Path certificate, Path privateKey) {}

    /** A finished command: exit code and its output (stdout and stderr). */
    public record Result(int exit, String output) {}

    private final Path dir;
    private final Path config;
    private final Settings settings;
    private final Thread shutdownHook;
    private volatile boolean stopped;

    private PrivatePostfix(Path dir, Settings settings) {
        this.dir = dir;
        this.config = dir.resolve("etc");
        this.settings = settings;
        this.shutdownHook = new Thread(this::stopQuietly, "postfix-stop");
    }

    /** The postfix command, or empty when Postfix is not installed. */
    public static Optional<Path> binary() {
        for (String d : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin")) {
            Path p = Path.of(d, "postfix");
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** Why a private instance cannot run here, or empty when it can (Postfix installed, we are root). */
    public static Optional<String> unavailable() {
        if (binary().isEmpty()) return Optional.of("postfix is not installed");
        if (!"root".equals(System.getProperty("user.name"))) return Optional.of("a private Postfix needs root (its master runs as root)");
        return Optional.empty();
    }

    /** A loopback port free at the time of the call. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Writes the configuration under {@code dir} and starts Postfix; returns once its smtpd
     * answers. The caller closes it (also when this throws, nothing stays running).
     */
    public static PrivatePostfix start(Path dir, Settings settings) throws IOException, InterruptedException {
        PrivatePostfix p = new PrivatePostfix(dir, settings);
        Runtime.getRuntime().addShutdownHook(p.shutdownHook);
        try {
            p.writeConfig();
            Result r = p.postfix("start");
            if (r.exit() != 0) throw new IOException("postfix start failed (" + r.exit() + "): " + r.output() + "\n" + p.log());
            p.awaitSmtpd(Duration.ofSeconds(30));
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    private void writeConfig() throws IOException, InterruptedException {
        // the Postfix daemons (user postfix) must reach the queue under this directory (the
        // caller makes the directories above it searchable: a JUnit @TempDir is rwx------)
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(config);
        Path queue = Files.createDirectories(dir.resolve("queue"));
        Path data = Files.createDirectories(dir.resolve("data"));
        Path vmail = Files.createDirectories(dir.resolve("vmail"));
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        String mailOwner = postconfDefault("mail_owner");
        Files.setOwner(data, users.lookupPrincipalByName(mailOwner));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        // virtual(8) writes the Maildirs as nobody (never root: Postfix refuses uid or gid 0)
        int uid = Integer.parseInt(run(List.of("id", "-u", "nobody"), null, null).output().strip());
        int gid = Integer.parseInt(run(List.of("id", "-g", "nobody"), null, null).output().strip());
        Files.setAttribute(vmail, "unix:uid", uid);
        Files.setAttribute(vmail, "unix:gid", gid);
        String maps = settings.mailboxes().stream().map(m -> m + "@" + settings.domain() + "=" + settings.domain() + "/" + m + "/")
                .collect(Collectors.joining(", ", "inline:{ ", " }"));
        String main = String.join("\n",
                "# private test instance: nothing here touches /etc/postfix or the system's mail",
                "compatibility_level = 3.6",
                "queue_directory = " + queue,
                "data_directory = " + data,
                "command_directory = " + postconfDefault("command_directory"),
                "daemon_directory = " + postconfDefault("daemon_directory"),
                "shlib_directory = " + postconfDefault("shlib_directory"),
                "meta_directory = " + postconfDefault("meta_directory"),
                "mail_owner = " + mailOwner,
                "setgid_group = " + postconfDefault("setgid_group"),
                "maillog_file = " + dir.resolve("maillog"),
                "maillog_file_prefixes = " + dir,
                "myhostname = " + settings.myHostname(),
                "mydomain = " + settings.myHostname(),
                "myorigin = " + settings.myHostname(),
                "mydestination =",
                "inet_interfaces = 127.0.0.1",
                "inet_protocols = ipv4",
                "mynetworks = 127.0.0.0/8",
                "alias_maps =",
                "alias_database =",
                // no DNS at all: the relay host is an address literal and smtpd does not look up client names
                "smtp_dns_support_level = disabled",
                "smtp_host_lookup = native",
                "smtpd_peername_lookup = no",
                "relayhost = " + (settings.relayHost() == null ? "" : settings.relayHost()),
                "virtual_mailbox_domains = " + settings.domain(),
                "virtual_mailbox_base = " + vmail,
                "virtual_mailbox_maps = " + maps,
                "virtual_uid_maps = static:" + uid,
                "virtual_gid_maps = static:" + gid,
                "virtual_minimum_uid = 1",
                "smtpd_tls_cert_file = " + settings.certificate(),
                "smtpd_tls_key_file = " + settings.privateKey(),
                "smtpd_tls_security_level = may",
                "smtpd_tls_loglevel = 1",
                "smtpd_tls_received_header = yes",
                "smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination",
                "smtp_tls_security_level = may",
                "smtp_tls_loglevel = 1",
                "");
        Files.writeString(config.resolve("main.cf"), main);
        // every service unchrooted (a chroot would need copies of /etc files in the queue directory)
        String master = String.join("\n",
                "127.0.0.1:" + settings.smtpdPort() + " inet n - n - - smtpd",
                "pickup    unix  n - n 60 1 pickup",
                "cleanup   unix  n - n -  0 cleanup",
                "qmgr      unix  n - n 300 1 qmgr",
                "tlsmgr    unix  - - n 1000? 1 tlsmgr",
                "rewrite   unix  - - n - - trivial-rewrite",
                "bounce    unix  - - n - 0 bounce",
                "defer     unix  - - n - 0 bounce",
                "trace     unix  - - n - 0 bounce",
                "verify    unix  - - n - 1 verify",
                "flush     unix  n - n 1000? 0 flush",
                "proxymap  unix  - - n - - proxymap",
                "proxywrite unix - - n - 1 proxymap",
                "smtp      unix  - - n - - smtp",
                "relay     unix  - - n - - smtp",
                "showq     unix  n - n - - showq",
                "error     unix  - - n - - error",
                "retry     unix  - - n - - error",
                "discard   unix  - - n - - discard",
                "local     unix  - n n - - local",
                "virtual   unix  - n n - - virtual",
                "anvil     unix  - - n - 1 anvil",
                "scache    unix  - - n - 1 scache",
                "postlog   unix-dgram n - n - 1 postlogd",
                "");
        Files.writeString(config.resolve("master.cf"), master);
    }

    private static String postconfDefault(String parameter) throws IOException, InterruptedException {
        Result r = run(List.of("postconf", "-d", "-h", parameter), null, null);
        if (r.exit() != 0 || r.output().isBlank()) throw new IOException("postconf -d " + parameter + ": " + r.output());
        return r.output().strip();
    }

    private Result postfix(String command) throws IOException, InterruptedException {
        return run(List.of(binary().orElseThrow().toString(), "-c", config.toString(), command), dir, null);
    }

    private static Result run(List<String> command, Path workDir, Path stdin) throws IOException, InterruptedException {
        Path out = Files.createTempFile("postfix-cmd", ".log");
        try {
            ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null")) : ProcessBuilder.Redirect.from(stdin.toFile()));
            if (workDir != null) b.directory(workDir.toFile());
            Process p = b.start();
            if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " did not finish in " + COMMAND_SECONDS + "s: " + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private void awaitSmtpd(Duration limit) throws IOException, InterruptedException {
        Instant end = Instant.now().plus(limit);
        while (Instant.now().isBefore(end)) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), settings.smtpdPort())) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("Postfix's smtpd did not listen on port " + settings.smtpdPort() + " within " + limit + "\n" + log());
    }

    /** The config directory ({@code -c} / {@code -C}). */
    public Path configDirectory() {
        return config;
    }

    /** The whole mail log so far. */
    public String log() throws IOException {
        Path p = dir.resolve("maillog");
        return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
    }

    /** Waits until the log has a line containing every one of {@code parts}; returns that line. */
    public String awaitLogLine(Duration limit, String... parts) throws IOException, InterruptedException {
        Instant end = Instant.now().plus(limit);
        do {
            for (String line : log().split("\n")) {
                if (Stream.of(parts).allMatch(line::contains)) return line;
            }
            Thread.sleep(100);
        } while (Instant.now().isBefore(end));
        throw new AssertionError("no Postfix log line with " + List.of(parts) + " within " + limit + ":\n" + log());
    }

    /** Waits until the log has a line in which {@code pattern} is found; returns that line. */
    public String awaitLogLine(Duration limit, java.util.regex.Pattern pattern) throws IOException, InterruptedException {
        Instant end = Instant.now().plus(limit);
        do {
            for (String line : log().split("\n")) {
                if (pattern.matcher(line).find()) return line;
            }
            Thread.sleep(100);
        } while (Instant.now().isBefore(end));
        throw new AssertionError("no Postfix log line matching " + pattern + " within " + limit + ":\n" + log());
    }

    /** The messages delivered to a mailbox (Maildir {@code new/}), oldest first. */
    public List<String> maildir(String mailbox) throws IOException {
        Path fresh = dir.resolve("vmail").resolve(settings.domain()).resolve(mailbox).resolve("new");
        if (!Files.isDirectory(fresh)) return List.of();
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(fresh)) {
            for (Path p : s.sorted().toList()) out.add(Files.readString(p, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    /** Waits until a message containing {@code marker} is in the mailbox; returns it. */
    public String awaitMessage(String mailbox, String marker, Duration limit) throws IOException, InterruptedException {
        Instant end = Instant.now().plus(limit);
        do {
            for (String m : maildir(mailbox)) {
                if (m.contains(marker)) return m;
            }
            Thread.sleep(100);
        } while (Instant.now().isBefore(end));
        throw new AssertionError("no message with '" + marker + "' reached Postfix mailbox " + mailbox + " within " + limit + ":\n" + log());
    }

    /** Injects a message with Postfix's own {@code sendmail -C DIR -f FROM -- TO} (through postdrop and pickup). */
    public Result sendmail(String from, String to, String message) throws IOException, InterruptedException {
        Path msg = Files.createTempFile(dir, "msg", ".eml");
        Files.writeString(msg, message, StandardCharsets.UTF_8);
        return run(List.of("sendmail", "-C", config.toString(), "-f", from, "--", to), dir, msg);
    }

    /** Stops Postfix and waits for its master to end (bounded). */
    @Override
    public void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    private synchronized void stopQuietly() {
        if (stopped) return;
        stopped = true;
        Optional<ProcessHandle> master = masterProcess();
        try {
            postfix("stop");
        } catch (IOException | InterruptedException e) {
            // fall through to abort / kill
        }
        if (master.isPresent() && !awaitExit(master.get(), Duration.ofSeconds(15))) {
            try {
                postfix("abort");
            } catch (IOException | InterruptedException e) {
                // kill below
            }
            if (!awaitExit(master.get(), Duration.ofSeconds(5))) master.get().destroyForcibly();
        }
    }

    /** The master process from its pid file, when running. */
    private Optional<ProcessHandle> masterProcess() {
        try {
            Path pid = dir.resolve("queue/pid/master.pid");
            if (!Files.exists(pid)) return Optional.empty();
            return ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean awaitExit(ProcessHandle h, Duration limit) {
        try {
            h.onExit().get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return !h.isAlive();
        }
    }
}
