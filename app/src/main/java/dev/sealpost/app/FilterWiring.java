package dev.sealpost.app;

import dev.sealpost.app.config.SealpostConfig;
import dev.sealpost.core.net.Cidr;
import dev.sealpost.dns.Resolver;
import dev.sealpost.filter.net.ClamdAddress;
import dev.sealpost.filter.net.ClamdClient;
import dev.sealpost.filter.net.DnsblCheck;
import dev.sealpost.filter.net.DnsxlLookup;
import dev.sealpost.filter.net.DnsxlZone;
import dev.sealpost.filter.net.Greylister;
import dev.sealpost.filter.net.MalwareCheck;
import dev.sealpost.inbound.ClientChecks;
import dev.sealpost.inbound.FilterPolicy;
import dev.sealpost.inbound.InboundHandlerFactory;
import dev.sealpost.inbound.OutboundGuard;
import dev.sealpost.inbound.PostmasterNotice;
import dev.sealpost.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Wires the filter's network checks and the outbound side ({@code [filter]}: clamd, DNS lists,
 * greylisting, submission rate limits and holds) into the content policy and the SMTP sessions.
 * Everything is off unless configured, except the outbound hold (docs/filter.md "In the server").
 */
final class FilterWiring {
    private static final Logger log = LoggerFactory.getLogger(FilterWiring.class);

    private final SealpostConfig config;
    private final Store store;
    private final Resolver resolver;
    private final Clock clock;
    private final Runnable onEnqueued;
    private final OutboundGuard guard;

    FilterWiring(SealpostConfig config, Store store, Resolver resolver, Clock clock, Runnable onEnqueued) {
        this.config = config;
        this.store = store;
        this.resolver = resolver;
        this.clock = clock;
        this.onEnqueued = onEnqueued;
        SealpostConfig.FilterNet n = config.filter().net();
        this.guard = config.filter().enabled()
                ? new OutboundGuard(new OutboundGuard.Settings(n.messagesPerHour(), n.recipientsPerHour(), n.outboundSpamScore(),
                        n.outboundHoldRecipients()), clock,
                        new PostmasterNotice(store, config.server().postmaster(), config.server().hostname(), clock, onEnqueued))
                : null;
    }

    /** Adds clamd and the URIBL zones to the content filter, and the outbound scoring. */
    FilterPolicy configure(FilterPolicy policy) {
        SealpostConfig.FilterNet n = config.filter().net();
        MalwareCheck malware = null;
        if (!n.clamd().isEmpty()) {
            ClamdClient c = new ClamdClient(ClamdClient.of(n.clamd()).address(), Duration.ofSeconds(n.clamdTimeoutSeconds()), n.clamdMaxBytes());
            malware = new MalwareCheck(c, new MalwareCheck.Settings(n.clamdAccept() ? MalwareCheck.WhenUnavailable.ACCEPT
                    : MalwareCheck.WhenUnavailable.TEMPFAIL, MalwareCheck.DEFAULT_WEIGHT, 0, true));
            log.info("filter: clamd at {} ({} when unavailable)", c.address(), n.clamdAccept() ? "accept" : "tempfail");
        }
        List<DnsxlZone> uribl = n.uribl().stream().map(z -> DnsxlZone.of(z, DnsxlZone.Kind.DOMAIN, n.uriblWeight())).toList();
        policy.withNetChecks(malware, uribl.isEmpty() ? null : new DnsxlLookup(resolver), uribl);
        if (guard != null) policy.withOutbound(guard);
        if (!config.filter().overrides().isEmpty()) {
            java.util.Map<String, dev.sealpost.filter.FilterSettings> m = new java.util.HashMap<>();
            // the same weights and hit actions as the global settings (SealpostServer.filterPolicy), other thresholds
            config.filter().overrides().forEach((k, t) -> m.put(k, new dev.sealpost.filter.FilterSettings(t.rejectScore(), t.junkScore(),
                    config.filter().weights(), dev.sealpost.filter.FilterSettings.defaults().actions())));
            policy.withOverrides(m);
        }
        return policy;
    }

    /** Adds DNS lists at MAIL, greylisting at RCPT, and the submission rate limits to the sessions. */
    void configure(InboundHandlerFactory handlers) {
        SealpostConfig.FilterNet n = config.filter().net();
        if (!config.filter().enabled()) return;
        List<DnsxlZone> zones = new ArrayList<>();
        n.dnsbl().forEach(z -> zones.add(DnsxlZone.of(z, DnsxlZone.Kind.IP_BLOCK, n.dnsblWeight())));
        n.dnswl().forEach(z -> zones.add(DnsxlZone.of(z, DnsxlZone.Kind.IP_ALLOW, n.dnswlWeight())));
        DnsblCheck lists = zones.isEmpty() ? null : new DnsblCheck(new DnsxlLookup(resolver), zones);
        Greylister greylister = null;
        if (n.greylist()) {
            Greylister.Settings d = Greylister.Settings.defaults();
            greylister = new Greylister(store.greylist(), clock, new Greylister.Settings(Duration.ofSeconds(n.greylistDelaySeconds()),
                    d.retryWindow().compareTo(Duration.ofSeconds(n.greylistDelaySeconds())) > 0 ? d.retryWindow()
                            : Duration.ofSeconds(n.greylistDelaySeconds()).plus(d.retryWindow()),
                    Duration.ofDays(n.greylistRememberDays()), d.ipv4Prefix(), d.ipv6Prefix()),
                    allowList(n.greylistAllow()), Greylister.SenderHistory.NONE);
        }
        if (!zones.isEmpty() || greylister != null) {
            log.info("filter: client checks: {} DNS list(s) ({}), greylisting {}", zones.size(),
                    n.dnsblReject() ? "block lists reject" : "scored", greylister == null ? "off" : "on");
        }
        handlers.withFilterChecks(new ClientChecks(lists, zones, n.dnsblReject(), greylister), guard);
    }

    /** {@code filter.greylist_allow}: networks, sender addresses, or sender domains (with or without a leading "@"). */
    static Greylister.AllowList allowList(List<String> entries) {
        List<Cidr> nets = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        for (String e : entries) {
            String v = e.strip().toLowerCase(Locale.ROOT);
            var cidr = Cidr.parse(v);
            if (cidr.isPresent()) nets.add(cidr.get());
            else if (v.startsWith("@")) domains.add(v.substring(1));
            else if (v.contains("@")) addresses.add(v);
            else domains.add(v);
        }
        if (nets.isEmpty() && addresses.isEmpty() && domains.isEmpty()) return Greylister.AllowList.NONE;
        return (InetAddress ip, String sender, String recipient) -> {
            if (nets.stream().anyMatch(c -> c.contains(ip))) return true;
            if (addresses.contains(sender)) return true;
            int at = sender.lastIndexOf('@');
            if (at < 0) return false;
            String d = sender.substring(at + 1);
            // a domain entry covers its subdomains too
            return domains.stream().anyMatch(x -> d.equals(x) || d.endsWith("." + x));
        };
    }
}
