package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.app.SealpostServer;
import dev.sealpost.app.config.SealpostConfig;
import dev.sealpost.app.tls.TlsFiles;
import dev.sealpost.core.io.Fsync;
import dev.sealpost.core.mail.Domain;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.store.Directory;
import dev.sealpost.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sealpost quickstart ADMIN@DOMAIN}: a new server in one step. Writes a complete,
 * commented {@code sealpost.toml} (the example {@code conf/sealpost.toml}, bundled in the jar,
 * with this server's values filled in), creates the data directory with the domain and its DKIM
 * keys (RSA-2048 and Ed25519), the admin account with a generated password (printed once, stored
 * only hashed), the postmaster@, abuse@ and tlsrpt@ aliases to the admin, and a self-signed
 * certificate for the host name and the domain's {@code mta-sts.} and {@code autoconfig.} names;
 * then prints every DNS record to publish ({@code dns records}) and the next steps. It never
 * touches an existing setup: a config file, a database or a certificate already there ends it
 * with exit status 1 before anything is written.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Set up a new server in one step: config file, data directory, domain with DKIM keys, admin account"
                + " (password printed once), postmaster@/abuse@ aliases, self-signed certificate; prints the DNS records to publish.")
public final class QuickstartCommand implements Callable<Integer> {
    /** The standard ports quickstart writes (before {@code --port-offset}), by the config key that holds each. */
    static final Map<String, Integer> PORTS = ports();

    @Parameters(paramLabel = "ADMIN@DOMAIN", description = "The admin's address; its domain becomes the first local domain.")
    String admin;

    @Option(names = "--hostname", paramLabel = "HOST", description = "The server's public host name, its MX (default: mail.DOMAIN).")
    String hostname;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./sealpost-data",
            description = "Data directory to create (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--config", paramLabel = "FILE", description = "Where to write the config (default: DIR/sealpost.toml).")
    Path config;

    @Option(names = "--port-offset", paramLabel = "N", defaultValue = "0",
            description = "Add N to every standard port written (25, 587, 465, 143, 993, 110, 995, 4190, 80, 443).")
    int offset;

    private static Map<String, Integer> ports() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("listeners.smtp", 25);
        m.put("listeners.submission", 587);
        m.put("listeners.submissions", 465);
        m.put("listeners.imap", 143);
        m.put("listeners.imaps", 993);
        m.put("listeners.pop3", 110);
        m.put("listeners.pop3s", 995);
        m.put("managesieve.listen", 4190); // RFC 5804 §1.8
        m.put("listeners.http", 80);
        m.put("listeners.https", 443);
        return java.util.Collections.unmodifiableMap(m);
    }

    @Override
    public Integer call() throws IOException {
        String address = EmailAddress.parse(admin).map(EmailAddress::canonical)
                .orElseThrow(() -> new Main.UserError("not an email address: " + admin));
        String domain = DkimCommand.ascii(address.substring(address.lastIndexOf('@') + 1));
        String host = hostname == null ? "mail." + domain : DkimCommand.ascii(hostname);
        if (offset < 0 || 4190 + offset > 65535) {
            throw new Main.UserError("--port-offset out of range: " + offset + " (0 to " + (65535 - 4190) + ")");
        }
        Path dir = data.toAbsolutePath().normalize();
        Path file = (config != null ? config : dir.resolve("sealpost.toml")).toAbsolutePath().normalize();
        Path cert = dir.resolve("tls/cert.pem"), key = dir.resolve("tls/key.pem");
        Optional<String> existing = existingSetup(dir, file, cert, key);
        if (existing.isPresent()) {
            System.err.println("error: " + existing.get() + ". quickstart sets up a new server only and changes nothing here:"
                    + " manage this one with the admin commands (domain add, account add, alias add, ... --config FILE),"
                    + " or give another --data DIR / --config FILE");
            return 1;
        }
        String toml = header(address, domain, host) + render(template(), values(host, dir, address, cert, key, offset));
        // the text is checked before anything is created: a template problem leaves no half-made setup
        SealpostConfig cfg = SealpostConfig.parse(toml, file.getParent());

        createPrivateDirectory(dir);
        // the names clients use: the host (SMTP, IMAP, POP3), mta-sts.<domain> (RFC 8461 §3.3) and autoconfig.<domain>
        TlsFiles.writeSelfSigned(cert, key, host, List.of(host, "mta-sts." + domain, "autoconfig." + domain), List.of());
        String password = Passwords.generate();
        PasswordPolicy.of(cfg).require(password.toCharArray());
        List<Directory.DkimKey> keys;
        List<String> aliases = new ArrayList<>();
        try (Store s = Store.open(SealpostServer.storeConfig(cfg, Clock.systemUTC()))) {
            Directory d = s.directory();
            d.addDomain(domain);
            keys = DkimCommand.generateDefaults(d, domain, Clock.systemUTC());
            d.addAccount(address, password.toCharArray());
            // RFC 2142 §4-5: postmaster@ and abuse@ reach a person; tlsrpt@ receives the TLS reports the records ask for
            for (String local : List.of("postmaster", "abuse", "tlsrpt")) {
                String source = local + "@" + domain;
                if (source.equals(address)) continue;
                d.addAlias(source, address);
                aliases.add(source);
            }
        }
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        Fsync.writeDurably(file, toml.getBytes(StandardCharsets.UTF_8));
        restrict(file, "rw-r-----");
        // what serve will read: the written file itself, with the files it names
        SealpostConfig written = SealpostConfig.load(file);
        written.checkNamedFiles();

        PrintStream out = System.out;
        out.println("Sealpost is set up for " + domain + " (host " + host + "):");
        out.println("  config        " + file);
        out.println("  data          " + dir);
        out.println("  certificate   " + cert + " (self-signed: " + host + ", mta-sts." + domain + ", autoconfig." + domain + ")");
        out.println("  domain        " + domain + ", DKIM keys " + String.join(", ", keys.stream().map(k -> k.selector() + " (" + k.algorithm() + ")").toList()));
        out.println("  account       " + address + " (server.postmaster)");
        out.println("  aliases       " + (aliases.isEmpty() ? "none" : String.join(", ", aliases) + " -> " + address));
        out.println();
        out.println("Publish these DNS records for " + domain + ":");
        out.println();
        String policy = dev.sealpost.web.WebServer.policyText(SealpostServer.webConfig(written));
        DnsCommand.print(out, domain, host, List.of(), keys, written.tls().certificate(), policy, Clock.systemUTC());
        out.println();
        nextSteps(out, file, dir, domain, host, address, password);
        out.flush();
        return 0;
    }

    /** Why this would overwrite an existing setup, or empty. */
    static Optional<String> existingSetup(Path dir, Path file, Path cert, Path key) {
        if (Files.exists(file)) return Optional.of("refusing to overwrite the existing config file " + file);
        for (String db : List.of("sealpost.db", "sealpost.db-wal")) {
            if (Files.exists(dir.resolve(db))) return Optional.of("refusing to overwrite the existing Sealpost database in " + dir);
        }
        for (Path p : List.of(cert, key)) {
            if (Files.exists(p)) return Optional.of("refusing to overwrite the existing " + p);
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) return Optional.of(dir + " exists and is not a directory");
        return Optional.empty();
    }

    private void nextSteps(PrintStream out, Path file, Path dir, String domain, String host, String address, String password) {
        int low = (int) PORTS.values().stream().filter(p -> p + offset < 1024).count();
        out.printf("""
                Next steps
                  1. Publish the records above in the zone of %2$s. The address of %3$s needs a PTR record naming
                     %3$s (set by whoever gives you the address). Then compare with live DNS:
                       bin/sealpost dns check %2$s --config %1$s
                  2. Start the server as a dedicated user, not root:
                       bin/sealpost serve --config %1$s
                """, file, domain, host);
        if (low > 0) {
            out.printf("""
                         %d of its ports are below 1024 and need the capability CAP_NET_BIND_SERVICE, which the systemd unit
                         dist/systemd/sealpost.service grants. The unit reads /etc/sealpost/sealpost.toml and may write only
                         /var/lib/sealpost: for it, run quickstart with --data /var/lib/sealpost --config /etc/sealpost/sealpost.toml
                         and give the data directory to its user (chown -R sealpost: /var/lib/sealpost). Without systemd:
                           setcap cap_net_bind_service=+ep "$(readlink -f "$(command -v java)")"
                    """, low);
        } else {
            out.println("     Every port written is above 1023 (--port-offset " + offset + "): no capability is needed.");
        }
        out.printf("""
                  3. The certificate is self-signed, so MTA-STS stays in testing mode: replace tls.certificate and
                     tls.private_key with one from a CA (for %1$s, mta-sts.%2$s, autoconfig.%2$s), then
                     'kill -HUP' the server (systemctl reload sealpost): no restart is needed.
                  4. Mail clients: user %3$s, server %1$s, IMAPS port %4$d, submission port %5$d (implicit TLS) or %6$d (STARTTLS).
                     More accounts: bin/sealpost account add USER@%2$s --config %7$s

                The admin account %3$s has the password (shown only now, and nowhere else):

                    %8$s

                Sealpost keeps only a PBKDF2 hash and SCRAM-SHA-256 keys of it in the database, and it is in no file.
                Change it with: bin/sealpost account passwd %3$s --config %7$s
                """, host, domain, address, 993 + offset, 465 + offset, 587 + offset, file, password);
    }

    private static String header(String address, String domain, String host) {
        return "# Written by 'sealpost quickstart " + address + "' on " + LocalDate.now(ZoneOffset.UTC) + " for the domain "
                + domain + " on " + host + ".\n"
                + "# It is conf/sealpost.toml with these values filled in: server.hostname, server.data_dir,\n"
                + "# server.postmaster, tls.certificate, tls.private_key, the listeners' ports and web.mta_sts_mx.\n"
                + "# Run it with: bin/sealpost serve --config THIS_FILE\n#\n";
    }

    /** The values quickstart writes, by {@code section.key}, as TOML literals. */
    static Map<String, String> values(String host, Path dir, String postmaster, Path cert, Path key, int offset) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("server.hostname", quote(host));
        v.put("server.data_dir", quote(dir.toString()));
        v.put("server.postmaster", quote(postmaster));
        v.put("tls.certificate", quote(cert.toString()));
        v.put("tls.private_key", quote(key.toString()));
        PORTS.forEach((k, port) -> v.put(k, quote("0.0.0.0:" + (port + offset))));
        v.put("web.mta_sts_mx", "[" + quote(host) + "]");
        return v;
    }

    private static final Pattern SECTION = Pattern.compile("^\\[([A-Za-z0-9_.-]+)]\\s*(#.*)?$");
    // key = value [# comment]; value: a basic string, an array on one line, or a bare number/boolean
    private static final Pattern KEY = Pattern.compile("^([A-Za-z0-9_-]+)(\\s*=\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"|\\[[^]]*]|[^\\s#]+)(.*)$");

    /**
     * The template with each {@code section.key} in {@code values} set, comments and alignment
     * kept. Every key in {@code values} must occur in the template exactly once.
     */
    static String render(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        Map<String, String> left = new LinkedHashMap<>(values);
        String section = "";
        for (String line : template.split("\n", -1)) {
            Matcher sm = SECTION.matcher(line);
            Matcher km = KEY.matcher(line);
            if (sm.matches()) {
                section = sm.group(1);
            } else if (km.matches() && left.containsKey(section + "." + km.group(1))) {
                String value = left.remove(section + "." + km.group(1));
                String rest = km.group(4);
                String comment = rest.stripLeading();
                if (!comment.isEmpty()) {
                    // keep a trailing comment in its column where the new value leaves room, one space at least
                    int spaces = rest.length() - comment.length() + km.group(3).length() - value.length();
                    rest = " ".repeat(Math.max(1, spaces)) + comment;
                }
                line = km.group(1) + km.group(2) + value + rest;
            }
            out.append(line).append('\n');
        }
        if (!left.isEmpty()) throw new IllegalStateException("the bundled sealpost.toml lacks the keys " + left.keySet());
        out.setLength(out.length() - 1);
        return out.toString();
    }

    /** The example config bundled from {@code conf/sealpost.toml} at build time. */
    static String template() throws IOException {
        try (InputStream in = QuickstartCommand.class.getResourceAsStream("sealpost.toml")) {
            if (in == null) throw new IllegalStateException("sealpost.toml (conf/sealpost.toml) missing from the build");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        boolean fresh = !Files.exists(dir);
        Files.createDirectories(dir);
        if (fresh) restrict(dir, "rwxr-x---"); // the data of every mailbox: the server's user (and group) only
    }

    private static void restrict(Path p, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: nothing to restrict
        }
    }
}
