package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.app.config.SealpostConfig;
import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.MessageAuthenticator;
import dev.sealpost.auth.dkim.DkimPolicy;
import dev.sealpost.auth.dkim.DkimResult;
import dev.sealpost.auth.dkim.DkimVerifier;
import dev.sealpost.auth.spf.SpfOutcome;
import dev.sealpost.auth.spf.SpfSettings;
import dev.sealpost.auth.spf.SpfVerifier;
import dev.sealpost.dns.DnsJavaResolver;
import dev.sealpost.dns.DnsSettings;
import dev.sealpost.dns.PublicSuffixList;
import dev.sealpost.dns.Resolver;
import dev.sealpost.dns.ZoneResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * {@code sealpost check spf|dkim|message}: the MX's sender-authentication checks from the
 * command line, for users and for checking the library from outside. With {@code --zone FILE}
 * every DNS answer comes from that RFC 1035 master file only.
 */
@Command(name = "check", description = "Run sender-authentication checks (SPF, DKIM, ARC, DMARC) as the MX would; verify S/MIME and PGP/MIME.",
        mixinStandardHelpOptions = true)
public final class CheckCommand {
    @Option(names = "--zone", scope = picocli.CommandLine.ScopeType.INHERIT, paramLabel = "FILE",
            description = "Resolve only from this RFC 1035 master file.")
    Path zone;

    @Option(names = "--config", scope = picocli.CommandLine.ScopeType.INHERIT, paramLabel = "FILE",
            description = "Take the resolver settings ([dns]) from this config file.")
    Path config;

    @Option(names = "--time", scope = picocli.CommandLine.ScopeType.INHERIT, paramLabel = "UNIX",
            description = "Evaluate signatures as of this time (seconds since the epoch).")
    Long time;

    @Command(name = "spf", description = "Check SPF for the HELO and MAIL FROM identities. First line: the result the MX acts on.")
    int spf(@Option(names = "--ip", required = true) String ip, @Option(names = "--helo", required = true) String helo,
            @Option(names = "--mail-from", required = true, description = "The MAIL FROM address; \"\" for the null sender.") String mailFrom) {
        InetAddress addr = address(ip);
        SpfVerifier v = new SpfVerifier(resolver(), clock(), SpfSettings.defaults());
        SpfOutcome h = v.checkHelo(addr, helo);
        SpfOutcome m = v.checkMailFrom(addr, mailFrom, helo);
        // RFC 7208 §2.3/§2.4: a HELO fail decides; otherwise the MAIL FROM identity's result
        SpfOutcome acted = h.result() == dev.sealpost.auth.spf.SpfResult.FAIL ? h : m;
        PrintStream out = System.out;
        out.println(acted.result().keyword());
        out.println("helo " + h.domain() + ": " + h.result().keyword() + explain(h));
        out.println("mailfrom " + m.domain() + ": " + m.result().keyword() + explain(m));
        return 0;
    }

    @Command(name = "dkim", description = "Verify every DKIM-Signature of the message on standard input: one line per signature.")
    int dkim() {
        AuthMessage msg = readMessage();
        List<DkimResult> results = new DkimVerifier(resolver(), clock(), DkimPolicy.DEFAULT).verify(msg);
        if (results.isEmpty()) System.out.println("none (no DKIM-Signature)");
        for (DkimResult r : results) {
            System.out.println(r.status().word() + " d=" + r.domain() + " s=" + r.selector()
                    + (r.reason() == null ? "" : " (" + r.reason() + ")"));
        }
        return 0;
    }

    @Command(name = "arc", description = "Validate the ARC chain of the message on standard input; print its cv word.")
    int arc() {
        AuthMessage msg = readMessage();
        dev.sealpost.auth.arc.ArcOutcome o = new dev.sealpost.auth.arc.ArcVerifier(resolver(), clock()).verify(msg);
        System.out.println(o.cv().tag());
        if (o.reason() != null && !o.reason().isEmpty()) System.out.println("reason: " + o.reason());
        System.out.println("instances: " + o.instances());
        return 0;
    }

    @Command(name = "message", description = "Run every check on the message on standard input; print the "
            + "Authentication-Results header field and the DMARC disposition.")
    int message(@Option(names = "--ip", required = true) String ip, @Option(names = "--helo", required = true) String helo,
                @Option(names = "--mail-from", required = true) String mailFrom,
                @Option(names = "--authserv-id", defaultValue = "localhost") String authservId) {
        AuthMessage msg = readMessage();
        MessageAuthenticator auth = new MessageAuthenticator(resolver(), PublicSuffixList.bundled(), clock(),
                MessageAuthenticator.Settings.defaults(authservId));
        MessageAuthenticator.Verdict v = auth.authenticate(address(ip), helo, mailFrom, msg);
        System.out.print(v.header().toHeaderField());
        System.out.println("dmarc disposition: " + v.disposition().name().toLowerCase(java.util.Locale.ROOT));
        return 0;
    }

    @Command(name = "smime", description = "Verify (and with --key, decrypt) the S/MIME message on standard input offline."
            + " First line: pass, policy, fail or none (RFC 7281).")
    int smime(@Option(names = "--trust-anchor", paramLabel = "FILE", description = "PEM certificate(s) of trusted CAs (repeatable).") List<Path> anchors,
              @Option(names = "--key", paramLabel = "FILE", description = "PEM PKCS#8 private key to decrypt with (with --cert).") Path key,
              @Option(names = "--cert", paramLabel = "FILE", description = "PEM certificate of that key.") Path cert,
              @Option(names = "--out", paramLabel = "FILE", description = "Write the decrypted message here.") Path out) {
        return SecureCheck.smime(readBytes(), anchors == null ? List.of() : anchors, key, cert, out, clock());
    }

    @Command(name = "openpgp", description = "Verify (and with --key, decrypt) the PGP/MIME message on standard input offline."
            + " First line: pass, fail, neutral (signer unknown) or none.")
    int openpgp(@Option(names = "--cert", paramLabel = "FILE", description = "OpenPGP certificate(s) of trusted signers (repeatable).") List<Path> certs,
                @Option(names = "--key", paramLabel = "FILE", description = "OpenPGP secret key to decrypt with.") Path key,
                @Option(names = "--out", paramLabel = "FILE", description = "Write the decrypted message here.") Path out) {
        return SecureCheck.openpgp(readBytes(), certs == null ? List.of() : certs, key, out, clock());
    }

    private static byte[] readBytes() {
        try {
            byte[] in = System.in.readAllBytes();
            if (in.length == 0) throw new Main.UserError("no message on standard input");
            return in;
        } catch (IOException e) {
            throw new Main.UserError("cannot read the message: " + e.getMessage());
        }
    }

    private static String explain(SpfOutcome o) {
        return o.explanation() == null || o.explanation().isEmpty() ? "" : " (" + o.explanation() + ")";
    }

    private static InetAddress address(String ip) {
        // an IP literal only: never a name look-up ("cafe" matched the old pattern and went to the system resolver)
        InetAddress a = dev.sealpost.core.net.dial.Dialer.literal(ip);
        if (a == null) throw new Main.UserError("--ip: not an IP address: " + ip);
        return a;
    }

    private Clock clock() {
        return time == null ? Clock.systemUTC() : Clock.fixed(Instant.ofEpochSecond(time), ZoneOffset.UTC);
    }

    private Resolver resolver() {
        if (zone != null) {
            try {
                return ZoneResolver.fromMasterFile(zone);
            } catch (IOException e) {
                throw new Main.UserError("--zone: cannot read " + zone + ": " + e.getMessage());
            }
        }
        if (config != null) {
            try {
                return dev.sealpost.app.SealpostServer.resolver(SealpostConfig.load(config).dns());
            } catch (IOException e) {
                throw new Main.UserError("cannot read the zone file of " + config + ": " + e.getMessage());
            }
        }
        return new DnsJavaResolver(DnsSettings.defaults());
    }

    private static AuthMessage readMessage() {
        try {
            byte[] in = System.in.readAllBytes();
            if (in.length == 0) throw new Main.UserError("no message on standard input");
            return AuthMessage.fromLenient(in);
        } catch (IOException e) {
            throw new Main.UserError("cannot read the message: " + e.getMessage());
        }
    }

}
