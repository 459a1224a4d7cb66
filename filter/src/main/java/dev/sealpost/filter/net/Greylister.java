package dev.sealpost.filter.net;

import dev.sealpost.core.net.Cidr;
import dev.sealpost.store.Greylist;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Greylisting (RFC 6647): the first delivery attempt of a triplet (client network, envelope
 * sender, envelope recipient) is refused with a temporary failure; a retry after {@code delay}
 * (5 minutes by default) is accepted and the triplet is then remembered for {@code remember} (36
 * days, renewed on every accepted message), so a sender's later mail is not delayed again. The
 * client network is its IPv4 /24 or IPv6 /64 (RFC 6647: large senders retry from another address
 * of the same pool). State lives in the store ({@link Greylist}), shared by every node.
 *
 * <p>Skipped (greylisting is for unknown senders, RFC 6647): an authenticated client,
 * an allow-listed client or sender ({@link AllowList}), and a sender whose DKIM-aligned domain has a
 * good history ({@link SenderHistory}). A store failure skips greylisting (fails open) rather than
 * refusing mail.
 *
 * <p>The SMTP layer calls {@link #check} at RCPT TO, once per recipient, and answers a
 * {@link Decision.Defer} with its {@link TempFailure} ({@code 451 4.7.1}). Thread-safe.
 */
public final class Greylister {

    /**
     * @param delay       how long a new triplet must wait before a retry is accepted ({@code [filter] greylist_delay}, 5 minutes)
     * @param retryWindow how long a first attempt waits for its retry before it is forgotten ({@code greylist_retry_window}, 1 day)
     * @param remember    how long an accepted triplet is remembered after its last message ({@code greylist_remember}, 36 days)
     * @param ipv4Prefix  the IPv4 network of a client (24)
     * @param ipv6Prefix  the IPv6 network of a client (64)
     */
    public record Settings(Duration delay, Duration retryWindow, Duration remember, int ipv4Prefix, int ipv6Prefix) {
        public Settings {
            if (delay.isNegative() || retryWindow.compareTo(delay) <= 0 || remember.isNegative() || remember.isZero()) {
                throw new IllegalArgumentException("filter.greylist: need 0 <= delay < retry_window and remember > 0");
            }
            if (ipv4Prefix < 8 || ipv4Prefix > 32 || ipv6Prefix < 16 || ipv6Prefix > 128) {
                throw new IllegalArgumentException("filter.greylist: prefixes must be 8-32 (IPv4) and 16-128 (IPv6)");
            }
        }

        public static Settings defaults() {
            return new Settings(Duration.ofMinutes(5), Duration.ofDays(1), Duration.ofDays(36), 24, 64);
        }
    }

    /** Clients and senders that are never greylisted (the caller's allow lists: networks, addresses, domains). */
    @FunctionalInterface
    public interface AllowList {
        AllowList NONE = (ip, sender, recipient) -> false;

        boolean allows(InetAddress client, String sender, String recipient);

        /** Allows clients in these networks. */
        static AllowList networks(List<Cidr> networks) {
            List<Cidr> n = List.copyOf(networks);
            return (ip, sender, recipient) -> n.stream().anyMatch(c -> c.contains(ip));
        }
    }

    /** Asks whether a domain has a good history (reputation: past verdicts and user training). */
    @FunctionalInterface
    public interface SenderHistory {
        SenderHistory NONE = domain -> false;

        boolean good(String domain);
    }

    /**
     * One RCPT TO to decide.
     *
     * @param clientIp          the client's address (IPv4 or IPv6 literal)
     * @param mailFrom          the envelope sender ("" for the null reverse-path)
     * @param recipient         the envelope recipient
     * @param authenticated     the client authenticated (submission)
     * @param dkimAlignedDomain a domain with a valid DKIM signature aligned with From (DMARC), or null;
     *                          at RCPT time usually null (DKIM needs the message): then only the other
     *                          exemptions apply
     */
    public record Request(String clientIp, String mailFrom, String recipient, boolean authenticated, String dkimAlignedDomain) {}

    /** The outcome for one recipient. */
    public sealed interface Decision {
        /** Not greylisted: an exemption applies ({@code reason} says which). */
        record Skip(String reason) implements Decision {}

        /** A known triplet, or a retry after the delay: accepted. */
        record Pass(String reason) implements Decision {}

        /** Refused for now: answer {@code reply}; a retry after {@code retryAfter} will pass. */
        record Defer(TempFailure reply, Duration retryAfter) implements Decision {}
    }

    private final Greylist store;
    private final Clock clock;
    private final Settings settings;
    private final AllowList allow;
    private final SenderHistory history;

    public Greylister(Greylist store, Clock clock, Settings settings, AllowList allow, SenderHistory history) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.allow = Objects.requireNonNull(allow, "allow");
        this.history = Objects.requireNonNull(history, "history");
    }

    public Decision check(Request r) {
        if (r.authenticated()) return new Decision.Skip("authenticated");
        InetAddress ip;
        try {
            String s = r.clientIp() == null ? "" : r.clientIp().strip();
            if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
            if (s.regionMatches(true, 0, "IPv6:", 0, 5)) s = s.substring(5);
            ip = InetAddress.ofLiteral(s); // parses only: never a look-up
        } catch (IllegalArgumentException | NullPointerException e) {
            return new Decision.Skip("no client address");
        }
        String sender = r.mailFrom() == null ? "" : r.mailFrom().strip().toLowerCase(Locale.ROOT);
        String recipient = r.recipient() == null ? "" : r.recipient().strip().toLowerCase(Locale.ROOT);
        if (allow.allows(ip, sender, recipient)) return new Decision.Skip("allow-listed");
        if (r.dkimAlignedDomain() != null && history.good(r.dkimAlignedDomain().toLowerCase(Locale.ROOT))) {
            return new Decision.Skip("DKIM-aligned " + r.dkimAlignedDomain().toLowerCase(Locale.ROOT) + " has a good history");
        }
        String net = network(ip);
        Instant now = clock.instant();
        try {
            Greylist.Entry e = store.seen(net, sender, recipient, now, now.plus(settings.retryWindow()));
            if (e.passed()) {
                store.passed(net, sender, recipient, now, now.plus(settings.remember()));
                return new Decision.Pass("known since " + e.passedAt());
            }
            Instant due = e.firstSeen().plus(settings.delay());
            if (!now.isBefore(due)) {
                store.passed(net, sender, recipient, now, now.plus(settings.remember()));
                return new Decision.Pass("retried after " + Duration.between(e.firstSeen(), now).toSeconds() + " s");
            }
            Duration wait = Duration.between(now, due);
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            return new Decision.Defer(TempFailure.greylisted(seconds), wait);
        } catch (RuntimeException e) { // the store is down: never refuse mail because of greylisting
            return new Decision.Skip("greylist store unavailable: " + e.getClass().getSimpleName());
        }
    }

    /** Forgets expired triplets (pending ones past their retry window, passed ones past {@code remember}); returns how many. */
    public int purge() {
        return store.purge(clock.instant());
    }

    /** The client's network as stored: {@code 192.0.2.0/24}, {@code 2001:db8:1:2:0:0:0:0/64}. */
    public String network(InetAddress ip) {
        int prefix = ip instanceof Inet4Address ? settings.ipv4Prefix() : settings.ipv6Prefix();
        byte[] b = ip.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.clamp(prefix - i * 8L, 0, 8);
            b[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return InetAddress.getByAddress(b).getHostAddress() + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: 4 or 16 octets
        }
    }
}
