package dev.sealpost.filter.net;

import dev.sealpost.filter.Check;
import dev.sealpost.filter.FilterInput;
import dev.sealpost.filter.Hit;
import dev.sealpost.filter.Verdict;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The client's IP against the configured IP lists (DNSBL and DNSWL, RFC 5782 §2): one hit per
 * list that lists it, named after the list ({@code dnsbl_zen_spamhaus_org},
 * {@code dnswl_list_dnswl_org}), weighted by the return codes, with the codes' meanings and the
 * TXT reason as detail. Lists are asked in parallel (virtual threads); a list that cannot answer
 * gives no hit (fail open, like every mail filter: a list outage must not stop mail). Addresses
 * never listed (loopback, private) are not sent out, except the RFC 5782 §5 test address 127.0.0.2.
 *
 * <p>The SMTP layer may run {@link #check(String)} at connect, and refuse there when a hit's
 * action ({@link #actions()}, merged into {@code FilterSettings.actions}) is {@code reject}.
 */
public final class DnsblCheck implements Check {
    private final DnsxlLookup lookup;
    private final List<DnsxlZone> zones;

    /** @param zones the IP lists (zones of kind {@code DOMAIN} are refused: they belong to {@link UriblCheck}) */
    public DnsblCheck(DnsxlLookup lookup, List<DnsxlZone> zones) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.zones = List.copyOf(zones);
        for (DnsxlZone z : this.zones) {
            if (!z.kind().ip()) throw new IllegalArgumentException("not an IP list: " + z.zone());
        }
    }

    @Override
    public String name() {
        return "dnsbl";
    }

    /** The hit actions of the zones that have one, by hit name, for {@code FilterSettings.actions}. */
    public Map<String, Verdict.Action> actions() {
        Map<String, Verdict.Action> m = new HashMap<>();
        for (DnsxlZone z : zones) if (z.action() != null) m.put(z.hit(), z.action());
        return m;
    }

    @Override
    public List<Hit> run(FilterInput input) {
        return check(input.clientIp());
    }

    /** The hits for one client address (text: an IPv4 or IPv6 literal); none for null, a non-literal or an unlisted address. */
    public List<Hit> check(String clientIp) {
        if (clientIp == null || zones.isEmpty()) return List.of();
        InetAddress ip;
        try {
            String s = clientIp.strip();
            if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
            if (s.regionMatches(true, 0, "IPv6:", 0, 5)) s = s.substring(5);
            ip = InetAddress.ofLiteral(s); // parses only: never a look-up
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        if (!DnsxlLookup.worthLookingUp(ip)) return List.of();
        List<DnsxlLookup.Result> results = new ArrayList<>(zones.size());
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<DnsxlLookup.Result>> fs = new ArrayList<>();
            for (DnsxlZone z : zones) fs.add(ex.submit(() -> lookup.lookupIp(z, ip)));
            for (Future<DnsxlLookup.Result> f : fs) results.add(f.get());
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return List.of();
        }
        List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < zones.size(); i++) {
            if (results.get(i) instanceof DnsxlLookup.Listed l) {
                hits.add(new Hit(zones.get(i).hit(), l.weight(), detail(ip.getHostAddress() + " listed in " + zones.get(i).zone(), l)));
            }
        }
        return hits;
    }

    static String detail(String head, DnsxlLookup.Listed l) {
        StringBuilder b = new StringBuilder(head).append(" (").append(String.join(",", l.answers()));
        if (!l.meanings().isEmpty()) b.append(": ").append(String.join(",", l.meanings()));
        b.append(')');
        if (!l.reason().isEmpty()) b.append(": ").append(l.reason());
        return b.toString();
    }
}
