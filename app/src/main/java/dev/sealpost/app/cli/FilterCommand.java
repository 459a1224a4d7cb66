package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.dns.PublicSuffixList;
import dev.sealpost.dns.ZoneResolver;
import dev.sealpost.filter.Check;
import dev.sealpost.filter.FilterInput;
import dev.sealpost.filter.FilterSettings;
import dev.sealpost.filter.Hit;
import dev.sealpost.filter.Pipeline;
import dev.sealpost.filter.Verdict;
import dev.sealpost.filter.attach.AttachmentCheck;
import dev.sealpost.filter.links.LinkCheck;
import dev.sealpost.filter.spoof.DisplayNameCheck;
import dev.sealpost.filter.spoof.LookalikeDomainCheck;
import dev.sealpost.filter.spoof.LookalikeDomains;
import dev.sealpost.filter.spoof.Protection;
import dev.sealpost.message.MessageStructure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code sealpost filter ...}: the threat filter from the command line. {@code explain} runs the
 * checks offline on one message and prints the verdict and every hit, the way the MX would
 * explain it; {@code train} and {@code classify} are the statistical classifier's (docs/classifier.md).
 */
@Command(name = "filter", description = "Run the threat filter (attachments, links, lookalike domains, display-name spoofing) "
        + "offline; train and run the spam classifier.",
        mixinStandardHelpOptions = true, subcommands = {FilterTrainCommand.class, FilterClassifyCommand.class})
public final class FilterCommand {

    @Command(name = "explain", description = {
            "Run the filter's checks on the message on standard input, as the MX would for one recipient.",
            "First line: VERDICT SCORE (verdict: reject, quarantine, junk or inbox); then one line per check that fired: "
                    + "NAME WEIGHT DETAIL.",
            "Checks in this build: attachments (dangerous types, double extensions, misleading names, archives, macros, PDF "
                    + "actions), links (phishing, IP links, shorteners, lookalikes), lookalike_domain, display_name_spoof.",
            "The protected set is the recipient's domain, --protect, --vip and --known.",
            "With --zone FILE, --dnsbl and --uribl zones are asked (RFC 5782) from that file only, never the network: a listed "
                    + "client counts as the MX's default filter.dnsbl_policy (reject), a listed link domain adds 5."})
    int explain(@Option(names = "--zone", paramLabel = "FILE",
                        description = "An RFC 1035 master file answering the DNS lists (--dnsbl, --uribl).") Path zone,
                @Option(names = "--dnsbl", paramLabel = "ZONE", description = "A client IP block list (repeatable; needs --zone).")
                List<String> dnsbl,
                @Option(names = "--uribl", paramLabel = "ZONE", description = "A link domain list (repeatable; needs --zone).")
                List<String> uribl,
                @Option(names = "--protect", paramLabel = "DOMAIN", description = "A domain to guard against lookalikes (repeatable).")
                List<String> protect,
                @Option(names = "--vip", paramLabel = "\"Name <address>\"",
                        description = "A person whose name must not be borrowed (repeatable).") List<String> vips,
                @Option(names = "--known", paramLabel = "ADDRESS",
                        description = "An address the recipient has corresponded with (repeatable).") List<String> known,
                @Option(names = "--ip", required = true, description = "The client's IP address.") String ip,
                @Option(names = "--helo", required = true, description = "The HELO/EHLO name.") String helo,
                @Option(names = "--mail-from", required = true, description = "The MAIL FROM address; \"\" for the null sender.")
                String mailFrom,
                @Option(names = "--rcpt", required = true, description = "The recipient.") String rcpt) {
        if (dev.sealpost.core.net.dial.Dialer.literal(ip) == null) throw new Main.UserError("--ip: not an IP address: " + ip);
        ZoneResolver resolver = null;
        if (zone != null) {
            try {
                resolver = ZoneResolver.fromMasterFile(zone);
            } catch (IOException e) {
                throw new Main.UserError("--zone: cannot read " + zone + ": " + e.getMessage());
            }
        }
        List<dev.sealpost.filter.net.DnsxlZone> ipZones = new ArrayList<>();
        List<dev.sealpost.filter.net.DnsxlZone> domainZones = new ArrayList<>();
        try {
            for (String z : dnsbl == null ? List.<String>of() : dnsbl) {
                ipZones.add(dev.sealpost.filter.net.DnsxlZone.of(z, dev.sealpost.filter.net.DnsxlZone.Kind.IP_BLOCK, 5)
                        .withAction(Verdict.Action.REJECT));
            }
            for (String z : uribl == null ? List.<String>of() : uribl) {
                domainZones.add(dev.sealpost.filter.net.DnsxlZone.of(z, dev.sealpost.filter.net.DnsxlZone.Kind.DOMAIN, 5));
            }
        } catch (IllegalArgumentException e) {
            throw new Main.UserError("--dnsbl/--uribl: " + e.getMessage());
        }
        if (resolver == null && !(ipZones.isEmpty() && domainZones.isEmpty())) {
            throw new Main.UserError("--dnsbl and --uribl need --zone FILE (explain never asks the network)");
        }
        if (!rcpt.contains("@")) throw new Main.UserError("--rcpt: not an address: " + rcpt);
        List<Protection.Person> people = new ArrayList<>();
        for (String v : vips == null ? List.<String>of() : vips) {
            Protection.Person p = Protection.Person.parse(v);
            if (p == null) throw new Main.UserError("--vip: expected \"Name <address>\", got: " + v);
            people.add(p);
        }
        Set<String> domains = new LinkedHashSet<>();
        domains.add(rcpt.substring(rcpt.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT)); // our own domain
        if (protect != null) domains.addAll(protect);
        Protection protection = new Protection(domains, people, known == null ? Set.of() : Set.copyOf(known));
        PublicSuffixList psl = PublicSuffixList.bundled();
        LookalikeDomains lookalikes = new LookalikeDomains(psl, protection.allDomains());
        List<Check> checks = new ArrayList<>(List.of(new AttachmentCheck(AttachmentCheck.Settings.defaults()),
                new LinkCheck(psl, lookalikes, List.of()), new LookalikeDomainCheck(lookalikes),
                new DisplayNameCheck(protection, lookalikes)));
        if (resolver != null) {
            dev.sealpost.filter.net.DnsxlLookup lookup = new dev.sealpost.filter.net.DnsxlLookup(resolver);
            if (!ipZones.isEmpty()) checks.add(new dev.sealpost.filter.net.DnsblCheck(lookup, ipZones));
            if (!domainZones.isEmpty()) checks.add(new dev.sealpost.filter.net.UriblCheck(lookup, domainZones, psl, domains));
        }
        byte[] message = readMessage();
        FilterInput input = new FilterInput(message, MessageStructure.parse(message), ip, helo, mailFrom, List.of(rcpt), false, false);
        FilterSettings settings = FilterSettings.defaults();
        if (!ipZones.isEmpty()) {
            java.util.Map<String, Verdict.Action> actions = new java.util.HashMap<>(settings.actions());
            ipZones.forEach(z -> actions.put(z.hit(), Verdict.Action.REJECT)); // the MX's default dnsbl_policy
            settings = new FilterSettings(settings.rejectScore(), settings.junkScore(), settings.weights(), actions);
        }
        Verdict v = new Pipeline(checks, settings).run(input);
        PrintStream out = System.out;
        out.println(v.action().word() + " " + Verdict.number(v.score()));
        for (Hit h : v.hits()) out.println(h.name() + " " + Verdict.number(h.weight()) + " " + oneLine(h.detail()));
        return 0;
    }

    /** A detail on one line: control characters (a file name may hold them) shown as {@code <U+000A>}. */
    private static String oneLine(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) sb.append(String.format(Locale.ROOT, "<U+%04X>", cp));
            else sb.appendCodePoint(cp);
        });
        return sb.toString();
    }

    private static byte[] readMessage() {
        try {
            byte[] in = System.in.readAllBytes();
            if (in.length == 0) throw new Main.UserError("no message on standard input");
            return in;
        } catch (IOException e) {
            throw new Main.UserError("cannot read the message: " + e.getMessage());
        }
    }
}
