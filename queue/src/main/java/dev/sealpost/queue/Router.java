package dev.sealpost.queue;

import dev.sealpost.core.net.dial.HostResolver;
import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.DnsHostResolver;
import dev.sealpost.dns.MxRecord;
import dev.sealpost.dns.Resolver;
import dev.sealpost.smtp.proto.Reply;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Where mail for a domain goes (RFC 5321 §5): a smarthost when one is configured, else a
 * per-domain transport rule, else the domain's MX hosts in preference order (equal preferences
 * in random order, §5.1), the implicit MX (the domain's own addresses) when it has no MX, and a
 * permanent failure for the null MX (RFC 7505 §3) and for a domain that does not exist.
 * Each host's IPv6 and IPv4 addresses are resolved through {@link DnsHostResolver} on the configured
 * resolver (never the JVM's, ADR 0006); hosts without addresses are skipped.
 * Thread-safe.
 */
public final class Router {
    private final Resolver resolver;
    private final HostResolver hosts;
    private final QueueSettings settings;
    private final RandomGenerator random;

    public Router(Resolver resolver, QueueSettings settings, RandomGenerator random) {
        this.resolver = resolver;
        this.hosts = new DnsHostResolver(resolver);
        this.settings = settings;
        this.random = random;
    }

    /** The outcome of routing one domain. */
    public sealed interface Route {
        /** Try these in order; {@code relay} when they are the smarthost (AUTH applies). */
        record Hosts(List<Target> targets, boolean relay) implements Route {
            public Hosts {
                targets = List.copyOf(targets);
            }
        }

        /** No delivery possible, ever: bounce. */
        record Permanent(Reply reply) implements Route {}

        /** Not now (DNS trouble): defer. */
        record Temporary(Reply reply) implements Route {}
    }

    /** One address to connect to. */
    public record Target(String host, InetAddress address, int port, int preference) {
        @Override
        public String toString() {
            return host + "[" + address.getHostAddress() + "]:" + port;
        }
    }

    public Route route(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) d = d.substring(0, d.length() - 1);
        if (settings.relay() != null) return fixed(settings.relay(), true);
        QueueSettings.HostPort rule = settings.transportFor(d);
        if (rule != null) return fixed(rule, false);
        if (d.startsWith("[")) {
            // RFC 5321 §4.1.3 address literal: no MX look-up
            InetAddress a = literal(d.substring(1, d.length() - 1).replaceFirst("(?i)^ipv6:", ""));
            if (a == null) return new Route.Permanent(Reply.of(553, "5.1.2", "Bad address literal " + d));
            return new Route.Hosts(List.of(new Target(d, a, settings.mxPort(), 0)), false);
        }
        DnsAnswer<MxRecord> mx = resolver.mx(d);
        if (mx.temporaryFailure()) {
            return new Route.Temporary(Reply.of(451, "4.4.3", "MX look-up for " + d + " failed (" + mx.status() + ")"));
        }
        if (mx.status() == DnsAnswer.Status.NXDOMAIN) {
            return new Route.Permanent(Reply.of(550, "5.1.2", "Domain " + d + " does not exist (NXDOMAIN)"));
        }
        List<MxRecord> records = new ArrayList<>(mx.records());
        boolean implicit = false;
        if (records.isEmpty()) {
            // RFC 5321 §5.1: no MX records: the domain itself is the implicit MX, preference 0
            records.add(new MxRecord(0, d));
            implicit = true;
        } else if (records.stream().anyMatch(r -> r.exchange().isEmpty())) {
            // RFC 7505 §3: a null MX ("0 .") says the domain accepts no mail (RFC 7505 §4.2: 556 5.1.10)
            if (records.stream().allMatch(r -> r.exchange().isEmpty())) {
                return new Route.Permanent(Reply.of(556, "5.1.10", "Domain " + d + " does not accept mail (null MX, RFC 7505)"));
            }
            // Leniency: a null MX mixed with real ones is a misconfiguration (RFC 7505 §3: MUST NOT); use the real ones
            records.removeIf(r -> r.exchange().isEmpty());
        }
        // RFC 5321 §5.1: randomise among equal preferences, then sort (stable) by preference
        Collections.shuffle(records, random);
        records.sort(Comparator.comparingInt(MxRecord::preference));
        // RFC 5321 §5.1: if we are an MX, only hosts strictly more preferred than us are usable
        String self = settings.hostname().toLowerCase(Locale.ROOT);
        for (MxRecord r : List.copyOf(records)) {
            if (r.exchange().equalsIgnoreCase(self)) {
                int mine = r.preference();
                records.removeIf(x -> x.preference() >= mine);
                if (records.isEmpty()) {
                    return new Route.Permanent(Reply.of(550, "5.4.6", "Mail for " + d + " loops back to myself (" + self + " is its best MX)"));
                }
                break;
            }
        }
        List<Target> targets = new ArrayList<>();
        boolean temporary = false;
        for (MxRecord r : records) {
            AddressResult a = addresses(r.exchange());
            temporary |= a.temporary;
            for (InetAddress ip : a.addresses) targets.add(new Target(r.exchange(), ip, settings.mxPort(), r.preference()));
        }
        if (targets.isEmpty()) {
            if (implicit && !temporary) {
                return new Route.Permanent(Reply.of(550, "5.1.2", "Domain " + d + " has no MX and no address records"));
            }
            return new Route.Temporary(Reply.of(451, "4.4.3", "No address found for the mail hosts of " + d
                    + (temporary ? " (DNS failure)" : "")));
        }
        return new Route.Hosts(targets, false);
    }

    private Route fixed(QueueSettings.HostPort hp, boolean relay) {
        InetAddress lit = literal(hp.host());
        if (lit != null) return new Route.Hosts(List.of(new Target(hp.host(), lit, hp.port(), 0)), relay);
        AddressResult a = addresses(hp.host());
        if (a.addresses.isEmpty()) {
            // our own configuration names this host: never bounce for it, wait for it to come back
            return new Route.Temporary(Reply.of(451, "4.4.3", "No address found for " + (relay ? "relay host " : "transport host ") + hp.host()));
        }
        List<Target> targets = new ArrayList<>();
        for (InetAddress ip : a.addresses) targets.add(new Target(hp.host(), ip, hp.port(), 0));
        return new Route.Hosts(targets, relay);
    }

    private record AddressResult(List<InetAddress> addresses, boolean temporary) {}

    /**
     * The host's addresses through the one owner of name resolution ({@link DnsHostResolver}: the
     * configured resolver, IPv6 then IPv4, ADR 0006); never the JVM's system resolver.
     */
    private AddressResult addresses(String host) {
        return switch (hosts.lookup(host)) {
            case HostResolver.Found f -> new AddressResult(f.addresses(), false);
            case HostResolver.TempFail t -> new AddressResult(List.of(), true);
            case HostResolver.NotFound n -> new AddressResult(List.of(), false);
        };
    }

    /** An IPv4 or IPv6 literal, or null when the text is a host name. */
    static InetAddress literal(String s) {
        return dev.sealpost.core.net.dial.Dialer.literal(s);
    }
}
