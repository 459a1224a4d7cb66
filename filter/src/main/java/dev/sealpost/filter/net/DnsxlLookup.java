package dev.sealpost.filter.net;

import dev.sealpost.core.mail.Domain;
import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.Resolver;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Queries DNS lists (RFC 5782) through the project's {@link Resolver} (never the JVM's resolver):
 * builds the query name, asks for A records, reads the return codes per the zone's
 * {@link DnsxlZone#codes()}, and fetches the TXT reason of a listing.
 *
 * <p>Answers are untrusted: only IPv4 answers in 127.0.0.0/8 count (RFC 5782 §2.1-2.3); an answer
 * elsewhere (a resolver that rewrites NXDOMAIN to an advertising page) is ignored; 127.0.0.1 and
 * 127.255.255.0/24 are the lists' ways of saying "query refused" (for example through a public
 * resolver) and are reported as an error, not a listing. TXT reasons are cut to 200 printable characters.
 */
public final class DnsxlLookup {
    /** Longest TXT reason kept. */
    public static final int MAX_REASON = 200;
    /** Most answer records read per query. */
    public static final int MAX_ANSWERS = 16;

    /** What one list said about one address or domain. */
    public sealed interface Result {}

    /**
     * Listed.
     *
     * @param queryName the name asked
     * @param answers   the return codes that counted (dotted quads)
     * @param meanings  their meanings (distinct), empty when the zone has no code table
     * @param weight    the sum of the matched codes' weights (each code once)
     * @param reason    the TXT reason, or "" when none was fetched or found
     */
    public record Listed(String queryName, List<String> answers, List<String> meanings, double weight, String reason) implements Result {}

    /** Not listed (NXDOMAIN, no data, or only answers that do not count). */
    public record NotListed(String queryName) implements Result {}

    /** The list could not answer (SERVFAIL, timeout, a "query refused" code): no verdict; filters fail open. */
    public record Error(String queryName, String reason) implements Result {}

    /** The outcome of {@link #selfTest}: whether the list honours its RFC 5782 §5 test entries. */
    public record SelfTest(boolean working, String detail) {}

    private final Resolver resolver;

    public DnsxlLookup(Resolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * The query name for an IP address (RFC 5782 §2.1 for IPv4: the four octets in reverse order,
     * {@code 192.0.2.99} → {@code 99.2.0.192.zone}; §2.4 for IPv6: the 32 nibbles in reverse order,
     * as in ip6.arpa). An IPv4-mapped IPv6 address is read as the IPv4 address (the JDK does so).
     */
    public static String ipQueryName(InetAddress ip, String zone) {
        byte[] b = ip.getAddress();
        StringBuilder s = new StringBuilder(80);
        if (ip instanceof Inet4Address) {
            for (int i = 3; i >= 0; i--) s.append(b[i] & 0xff).append('.');
        } else {
            for (int i = 15; i >= 0; i--) {
                s.append(Character.forDigit(b[i] & 0xf, 16)).append('.');
                s.append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append('.');
            }
        }
        return s.append(zone).toString();
    }

    /**
     * The query name for a domain (RFC 5782 §3: the name prepended to the zone), in A-label form,
     * lower case; empty when the name is not a valid domain or the result is longer than 253 characters.
     */
    public static Optional<String> domainQueryName(String domain, String zone) {
        if (domain == null) return Optional.empty();
        String d = domain.strip();
        while (d.endsWith(".")) d = d.substring(0, d.length() - 1);
        Optional<String> ascii = d.isEmpty() ? Optional.empty() : Domain.toAscii(d);
        if (ascii.isEmpty()) return Optional.empty();
        String name = ascii.get().toLowerCase(Locale.ROOT) + "." + zone;
        return name.length() > 253 ? Optional.empty() : Optional.of(name);
    }

    /** Looks an IP address up in an IP list. */
    public Result lookupIp(DnsxlZone zone, InetAddress ip) {
        return lookup(zone, ipQueryName(ip, zone.zone()));
    }

    /** Looks a domain (already reduced to what the list expects, usually the registrable domain) up in a domain list. */
    public Result lookupDomain(DnsxlZone zone, String domain) {
        Optional<String> q = domainQueryName(domain, zone.zone());
        return q.<Result>map(n -> lookup(zone, n)).orElseGet(() -> new NotListed(String.valueOf(domain)));
    }

    /** Asks for {@code queryName}'s A records and reads them with {@link #interpret}; fetches the TXT reason of a listing. */
    public Result lookup(DnsxlZone zone, String queryName) {
        DnsAnswer<InetAddress> a = resolver.a(queryName);
        if (a.temporaryFailure()) return new Error(queryName, "DNS " + a.status());
        if (a.empty()) return new NotListed(queryName);
        List<byte[]> answers = new ArrayList<>();
        for (InetAddress r : a.records()) {
            if (answers.size() >= MAX_ANSWERS) break;
            answers.add(r.getAddress());
        }
        Result r = interpret(zone, queryName, answers, "");
        if (r instanceof Listed l && zone.txt()) {
            DnsAnswer<String> t = resolver.txt(queryName);
            if (t.status() == DnsAnswer.Status.NOERROR && !t.records().isEmpty()) {
                return new Listed(l.queryName(), l.answers(), l.meanings(), l.weight(), reason(t.records().getFirst()));
            }
        }
        return r;
    }

    /**
     * Maps a list's A answers to a result (the zone's return-code table, RFC 5782 §2.3). Pure and
     * total: any octets give a result, never an exception.
     */
    public static Result interpret(DnsxlZone zone, String queryName, List<byte[]> answers, String reason) {
        List<String> counted = new ArrayList<>();
        Set<String> meanings = new LinkedHashSet<>();
        List<DnsxlZone.Code> matched = new ArrayList<>();
        String refused = null;
        boolean unknownCounted = false;
        int seen = 0;
        for (byte[] b : answers) {
            if (seen++ >= MAX_ANSWERS) break;
            if (b == null || b.length != 4 || (b[0] & 0xff) != 127) continue; // RFC 5782 §2.3: codes are in 127.0.0.0/8
            String dotted = (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
            // RFC 5782 §5: a list MUST NOT list 127.0.0.1; lists use it, and 127.255.255.0/24, to refuse a query
            if (dotted.equals("127.0.0.1") || ((b[1] & 0xff) == 255 && (b[2] & 0xff) == 255)) {
                refused = dotted;
                continue;
            }
            boolean any = false;
            for (DnsxlZone.Code c : zone.codes()) {
                if (c.matches(b)) {
                    any = true;
                    if (!matched.contains(c)) matched.add(c);
                    meanings.add(c.meaning());
                }
            }
            if (any) {
                counted.add(dotted);
            } else if (zone.codes().isEmpty() || zone.unknownCodesCount()) {
                counted.add(dotted);
                unknownCounted = true;
            }
        }
        if (counted.isEmpty()) {
            return refused != null ? new Error(queryName, "the list refused the query (" + refused + ")") : new NotListed(queryName);
        }
        double weight = 0;
        for (DnsxlZone.Code c : matched) weight += c.weight();
        if (unknownCounted && matched.isEmpty()) weight = zone.defaultWeight();
        return new Listed(queryName, List.copyOf(counted), List.copyOf(meanings), weight, reason(reason));
    }

    /**
     * Checks the list's test entries (RFC 5782 §5): an IP list must list 127.0.0.2 and must not list
     * 127.0.0.1; a domain list must list {@code test} and must not list {@code invalid}. A list that
     * fails is down, misconfigured, refusing us, or listing everything: do not use its answers.
     */
    public SelfTest selfTest(DnsxlZone zone) {
        String yes = zone.kind().ip() ? "2.0.0.127." + zone.zone() : "test." + zone.zone();
        String no = zone.kind().ip() ? "1.0.0.127." + zone.zone() : "invalid." + zone.zone();
        DnsAnswer<InetAddress> y = resolver.a(yes);
        if (y.temporaryFailure()) return new SelfTest(false, yes + ": DNS " + y.status());
        boolean listed = y.records().stream().anyMatch(a -> a instanceof Inet4Address && (a.getAddress()[0] & 0xff) == 127);
        if (!listed) return new SelfTest(false, yes + " is not listed (RFC 5782 §5 requires it): the list is not answering");
        DnsAnswer<InetAddress> n = resolver.a(no);
        if (n.temporaryFailure()) return new SelfTest(false, no + ": DNS " + n.status());
        if (!n.records().isEmpty()) return new SelfTest(false, no + " is listed (RFC 5782 §5 forbids it): the list answers everything");
        return new SelfTest(true, yes + " listed, " + no + " not listed");
    }

    /**
     * Whether a client address is worth a lookup: public unicast addresses, and the RFC 5782 §5 test
     * address 127.0.0.2 (so that an administrator can test the lists end to end from the server
     * itself). Loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), shared (100.64/10), link-local, unspecified and multicast addresses are
     * never listed and are not sent to the lists.
     */
    public static boolean worthLookingUp(InetAddress ip) {
        byte[] b = ip.getAddress();
        if (ip instanceof Inet4Address && (b[0] & 0xff) == 127 && b[1] == 0 && b[2] == 0 && b[3] == 2) return true;
        if (ip.isLoopbackAddress() || ip.isSiteLocalAddress() || ip.isLinkLocalAddress() || ip.isAnyLocalAddress()
                || ip.isMulticastAddress()) {
            return false;
        }
        if (ip instanceof Inet6Address && (b[0] & 0xfe) == 0xfc) return false; // unique local fc00::/7
        return !(ip instanceof Inet4Address && ((b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64)); // shared address space 100.64/10
    }

    static String reason(String txt) {
        return txt == null ? "" : ClamdReply.printable(txt.strip()); // at most MAX_REASON characters
    }
}
