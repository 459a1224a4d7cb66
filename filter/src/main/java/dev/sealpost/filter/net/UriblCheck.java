package dev.sealpost.filter.net;

import dev.sealpost.core.mail.Domain;
import dev.sealpost.dns.PublicSuffixList;
import dev.sealpost.filter.Check;
import dev.sealpost.filter.FilterInput;
import dev.sealpost.filter.Hit;
import dev.sealpost.filter.MessageParts;
import dev.sealpost.filter.links.Link;
import dev.sealpost.filter.links.LinkExtractor;
import dev.sealpost.filter.links.Urls;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The domains of the links in the message body against domain lists (URIBL, RFC 5782 §3): each
 * link's host (and the final targets of redirectors) is reduced to its registrable domain (Public
 * Suffix List: lists hold {@code evil.example}, not {@code www.evil.example}); an IPv4 literal is
 * looked up reversed as in an IP list (the SURBL convention). At most {@value #MAX_DOMAINS}
 * distinct names per message, skipping configured ones (our own domains, common sites). One hit per
 * list, named after it ({@code uribl_multi_surbl_org}), weighted by the highest listing, naming up to
 * three listed domains. Lists that cannot answer give no hit.
 */
public final class UriblCheck implements Check {
    /** Most distinct names looked up per message. */
    public static final int MAX_DOMAINS = 20;

    private final DnsxlLookup lookup;
    private final List<DnsxlZone> zones;
    private final PublicSuffixList psl;
    private final Set<String> skip;

    /**
     * @param zones the domain lists (kind {@code DOMAIN})
     * @param skip  registrable domains never looked up (A-labels; our own domains belong here)
     */
    public UriblCheck(DnsxlLookup lookup, List<DnsxlZone> zones, PublicSuffixList psl, Collection<String> skip) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.zones = List.copyOf(zones);
        this.psl = Objects.requireNonNull(psl, "psl");
        Set<String> s = new LinkedHashSet<>();
        for (String d : skip) s.add(d.toLowerCase(Locale.ROOT));
        this.skip = Set.copyOf(s);
        for (DnsxlZone z : this.zones) {
            if (z.kind() != DnsxlZone.Kind.DOMAIN) throw new IllegalArgumentException("not a domain list: " + z.zone());
        }
    }

    @Override
    public String name() {
        return "uribl";
    }

    @Override
    public List<Hit> run(FilterInput input) {
        if (zones.isEmpty()) return List.of();
        List<Link> links = new ArrayList<>();
        for (MessageParts.Leaf leaf : MessageParts.leaves(input, 100, LinkExtractor.MAX_TEXT)) {
            var p = leaf.part();
            if (!p.type().equals("text") || leaf.fileName() != null || "attachment".equals(p.disposition())) continue;
            if (p.subtype().equals("html")) links.addAll(LinkExtractor.fromHtml(leaf.text()));
            else if (p.subtype().equals("plain")) links.addAll(LinkExtractor.fromPlain(leaf.text()));
            if (links.size() >= LinkExtractor.MAX_LINKS) break;
        }
        return check(links);
    }

    /** The names to look up for these links: registrable domains and IPv4 literals, distinct, bounded. */
    public List<String> names(List<Link> links) {
        Set<String> out = new LinkedHashSet<>();
        for (Link l : links) {
            List<String> urls = new ArrayList<>();
            urls.add(l.href());
            urls.addAll(Urls.embeddedTargets(l.href()));
            for (String u : urls) {
                if (out.size() >= MAX_DOMAINS) return List.copyOf(out);
                String n = name(Urls.host(u));
                if (n != null && !skip.contains(n)) out.add(n);
            }
        }
        return List.copyOf(out);
    }

    private String name(String host) {
        if (host == null || host.startsWith("[")) return null; // IPv6 literals: no list convention
        if (Urls.isIp(host)) {
            try {
                InetAddress a = InetAddress.ofLiteral(host); // dotted quads only; other browser forms are left to ip_link
                return a instanceof Inet4Address ? a.getHostAddress() : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        String ascii = Domain.toAscii(host).orElse(null);
        if (ascii == null) return null;
        String reg = psl.organizationalDomain(ascii);
        return reg == null ? null : reg.toLowerCase(Locale.ROOT);
    }

    /** The hits for these links. */
    public List<Hit> check(List<Link> links) {
        List<String> names = names(links);
        if (names.isEmpty() || zones.isEmpty()) return List.of();
        List<Hit> hits = new ArrayList<>();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<List<Future<DnsxlLookup.Result>>> perZone = new ArrayList<>();
            for (DnsxlZone z : zones) {
                List<Future<DnsxlLookup.Result>> fs = new ArrayList<>();
                for (String n : names) {
                    fs.add(ex.submit(() -> n.matches("[0-9.]+") ? lookup.lookupIp(z, InetAddress.ofLiteral(n)) : lookup.lookupDomain(z, n)));
                }
                perZone.add(fs);
            }
            for (int i = 0; i < zones.size(); i++) {
                List<String> listed = new ArrayList<>();
                double weight = 0;
                String reason = "";
                for (int k = 0; k < names.size(); k++) {
                    if (perZone.get(i).get(k).get() instanceof DnsxlLookup.Listed l) {
                        listed.add(names.get(k) + (l.meanings().isEmpty() ? "" : " (" + String.join(",", l.meanings()) + ")"));
                        if (listed.size() == 1 || l.weight() > weight) weight = l.weight();
                        if (reason.isEmpty()) reason = l.reason();
                    }
                }
                if (!listed.isEmpty()) {
                    String detail = String.join(", ", listed.subList(0, Math.min(3, listed.size())))
                            + (listed.size() > 3 ? " and " + (listed.size() - 3) + " more" : "")
                            + " listed in " + zones.get(i).zone() + (reason.isEmpty() ? "" : ": " + reason);
                    hits.add(new Hit(zones.get(i).hit(), weight, detail));
                }
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return hits;
        }
        return hits;
    }
}
