package dev.sealpost.it.imaptest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Dovecot IMAP server for tests: its own configuration, sockets, state, log and
 * Maildir under a temporary directory (never the system configuration), listening on
 * 127.0.0.1 at a free port, plain text only, with two passwd-file users and URLAUTH. Started as
 * {@code dovecot -F -c <conf>} (foreground child process) and stopped with SIGTERM.
 *
 * <p>Run as root (as in CI containers), the login processes use Debian's {@code dovenull}, the
 * internal ones and the mail the {@code dovecot} account; otherwise everything runs as the
 * current user, without chroot (tried by hand as {@code nobody}).
 */
public final class DovecotServer implements AutoCloseable {
    // without a domain: the urlauth scripts build "imap://$username@$domain/" URLs, and Dovecot
    // wants the URL's user to be the login name ($domain then is the host, 127.0.0.1)
    public static final String USER = "imaptest1";
    public static final String USER2 = "imaptest2";
    public static final String PASSWORD = "imaptest-secret";

    private final Path dir;
    private final int port;
    private final Process process;

    private DovecotServer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** The dovecot binary (PATH, then /usr/sbin and /usr/local/sbin), if installed. */
    public static Optional<Path> binary() {
        Stream<String> dirs = Stream.concat(
                Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")),
                Stream.of("/usr/sbin", "/usr/local/sbin", "/sbin"));
        return dirs.filter(d -> !d.isEmpty()).map(d -> Path.of(d, "dovecot")).filter(Files::isExecutable).findFirst();
    }

    /** Starts Dovecot in {@code dir} (a fresh, empty temporary directory) and waits until it logs users in. */
    public static DovecotServer start(Path dir) throws IOException, InterruptedException {
        Path bin = binary().orElseThrow(() -> new IOException("dovecot is not installed"));
        dir = dir.toAbsolutePath();
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        boolean root = isRoot();
        Path base = Files.createDirectories(dir.resolve("base"));
        Path state = Files.createDirectories(dir.resolve("state"));
        Path mail = Files.createDirectories(dir.resolve("mail"));
        Path log = dir.resolve("dovecot.log");
        Path passwd = dir.resolve("passwd");
        String uid;
        String gid;
        String loginUser;
        String internalUser;
        String internalGroup;
        if (root) {
            // processes that drop to dovecot/dovenull must reach the sockets, passwd file and Maildir:
            // our own ancestors without o+x (e.g. a 0700 JUnit @TempDir) get it (dir: 755 below)
            for (Path p = dir.getParent(); p != null && p.getParent() != null; p = p.getParent()) {
                var perms = Files.getPosixFilePermissions(p);
                if (perms.contains(PosixFilePermission.OTHERS_EXECUTE)) continue;
                if (!Files.getOwner(p).getName().equals(System.getProperty("user.name"))) break;
                perms.add(PosixFilePermission.OTHERS_EXECUTE);
                Files.setPosixFilePermissions(p, perms);
            }
            UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(mail, lookup.lookupPrincipalByName("dovecot"));
            uid = "dovecot";
            gid = "dovecot";
            loginUser = "dovenull";
            internalUser = "dovecot";
            internalGroup = "dovecot";
        } else {
            uid = String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
            gid = String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:gid"));
            loginUser = System.getProperty("user.name");
            internalUser = loginUser;
            internalGroup = Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class).group().getName();
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(passwd, USER + ":{PLAIN}" + PASSWORD + "::::::\n" + USER2 + ":{PLAIN}" + PASSWORD + "::::::\n",
                StandardCharsets.UTF_8);
        String conf = """
                # private test instance: nothing here touches /etc/dovecot
                protocols = imap
                listen = 127.0.0.1
                base_dir = %1$s
                state_dir = %2$s
                log_path = %3$s
                info_log_path = %3$s
                ssl = no
                disable_plaintext_auth = no
                auth_mechanisms = plain login
                default_internal_user = %4$s
                default_internal_group = %13$s
                default_login_user = %5$s
                first_valid_uid = 0
                first_valid_gid = 0
                mail_location = maildir:%6$s/%%u
                mail_uid = %7$s
                mail_gid = %8$s
                # URLAUTH (RFC 4467) for the urlauth scripts; its keys live in mailbox attributes
                imap_urlauth_host = *
                mail_attribute_dict = file:%%h/dovecot-attributes
                namespace inbox {
                  inbox = yes
                  separator = /
                }
                passdb {
                  driver = passwd-file
                  args = scheme=PLAIN username_format=%%u %9$s
                }
                userdb {
                  driver = passwd-file
                  args = username_format=%%u %9$s
                  default_fields = uid=%7$s gid=%8$s home=%6$s/%%u
                }
                %11$s
                service imap-login {
                  %12$s
                  inet_listener imap {
                    address = 127.0.0.1
                    port = %10$d
                  }
                  inet_listener imaps {
                    port = 0
                  }
                }
                """.formatted(base, state, log, internalUser, loginUser, mail, uid, gid, passwd, port,
                // without root, Dovecot cannot chroot its login and anvil processes
                root ? "" : "service anvil {\n  chroot =\n}\nservice imap-urlauth-login {\n  chroot =\n}",
                root ? "" : "chroot =", internalGroup);
        Path confFile = dir.resolve("dovecot.conf");
        Files.writeString(confFile, conf, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(bin.toString(), "-F", "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        DovecotServer server = new DovecotServer(dir, port, p);
        try {
            server.awaitReady(Duration.ofSeconds(30));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw new IOException(e.getMessage() + "\n" + server.log(), e);
        }
        return server;
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** Waits until a LOGIN succeeds (the first greeting may be "Waiting for authentication process"). */
    private void awaitReady(Duration max) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException("dovecot exited with " + process.exitValue());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(5000);
                BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream o = s.getOutputStream();
                o.write(("a LOGIN \"" + USER + "\" \"" + PASSWORD + "\"\r\n").getBytes(StandardCharsets.ISO_8859_1));
                o.flush();
                String line;
                while ((line = r.readLine()) != null) {
                    last = line;
                    if (line.startsWith("a OK")) {
                        o.write("b LOGOUT\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        o.flush();
                        return;
                    }
                    if (line.startsWith("a ")) break;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new IOException("dovecot did not log in a user within " + max.toSeconds() + "s: " + last);
    }

    public String host() { return "127.0.0.1"; }
    public int port() { return port; }
    public String user() { return USER; }
    public String user2() { return USER2; }
    public String password() { return PASSWORD; }
    public Path dir() { return dir; }

    /** Dovecot's log so far (for failure messages). */
    public String log() {
        StringBuilder sb = new StringBuilder();
        for (Path p : List.of(dir.resolve("stdout.log"), dir.resolve("dovecot.log"))) {
            try {
                if (Files.exists(p)) sb.append(Files.readString(p, StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                sb.append(p).append(": ").append(e).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: the master stops its children
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
