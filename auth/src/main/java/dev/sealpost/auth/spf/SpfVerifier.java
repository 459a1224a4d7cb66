package dev.sealpost.auth.spf;

import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.MxRecord;
import dev.sealpost.dns.Resolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.IDN;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * SPF verification: RFC 7208 check_host() (§4) for the HELO and MAIL FROM identities.
 *
 * <p>Every check runs under the {@link SpfSettings#maxDuration() time budget}: the evaluation
 * runs on its own virtual thread and the caller waits at most the budget; when it is spent the
 * result is temperror, whatever the resolver does. DNS work is bounded by the 10 DNS-querying
 * terms, 2 void lookups, 10 MX names and 10 PTR names of RFC 7208 §4.6.4. Thread-safe.
 */
public final class SpfVerifier {
    private static final Logger log = LoggerFactory.getLogger(SpfVerifier.class);
    /** RFC 7208 §4.6.4: at most 10 MX names per "mx"; more is a permerror. */
    static final int MAX_MX_NAMES = 10;
    /** RFC 7208 §4.6.4: at most 10 PTR names per "ptr" / %{p}; the rest are ignored. */
    static final int MAX_PTR_NAMES = 10;

    private final Resolver resolver;
    private final Clock clock;
    private final SpfSettings settings;
    private final MacroString defaultExplanation;

    public SpfVerifier(Resolver resolver, Clock clock, SpfSettings settings) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        try {
            this.defaultExplanation = MacroString.parse(settings.defaultExplanation(), MacroString.Kind.EXPLANATION);
        } catch (MacroString.SyntaxException e) {
            throw new IllegalArgumentException("spf.default-explanation: " + e.getMessage());
        }
    }

    /**
     * The HELO identity (RFC 7208 §2.3): check_host() with {@code <domain>} = the HELO name and
     * {@code <sender>} = postmaster@HELO. An address literal or a single-label name gives NONE.
     */
    public SpfOutcome checkHelo(InetAddress ip, String helo) {
        String h = helo == null ? "" : helo.strip();
        return run(ip, h, "postmaster@" + h, h, "helo");
    }

    /**
     * The MAIL FROM identity (RFC 7208 §2.4). {@code mailFrom} is the reverse-path without angle
     * brackets; an empty (null) reverse-path, or one without "@", is checked as postmaster@HELO.
     */
    public SpfOutcome checkMailFrom(InetAddress ip, String mailFrom, String helo) {
        String h = helo == null ? "" : helo.strip();
        String mf = mailFrom == null ? "" : mailFrom.strip();
        if (mf.length() >= 2 && mf.startsWith("<") && mf.endsWith(">")) mf = mf.substring(1, mf.length() - 1);
        int at = mf.lastIndexOf('@');
        if (at < 0) return run(ip, h, "postmaster@" + h, h, "mailfrom"); // RFC 7208 §2.4
        return run(ip, mf.substring(at + 1), mf, h, "mailfrom");
    }

    /**
     * RFC 7208 §4 check_host(&lt;ip&gt;, &lt;domain&gt;, &lt;sender&gt;) for the MAIL FROM identity; {@code helo} feeds
     * the {@code %{h}} macro.
     */
    public SpfOutcome checkHost(InetAddress ip, String domain, String sender, String helo) {
        String d = domain == null ? "" : domain;
        return run(ip, d, sender == null || sender.isEmpty() ? "postmaster@" + d : sender, helo == null ? "" : helo, "mailfrom");
    }

    private SpfOutcome run(InetAddress ip, String domain, String sender, String helo, String identity) {
        Objects.requireNonNull(ip, "ip");
        int at = sender.lastIndexOf('@');
        String local = at < 0 ? "" : sender.substring(0, at);
        String senderDomain = at < 0 ? sender : sender.substring(at + 1);
        if (local.isEmpty()) { // RFC 7208 §4.3: no local-part: "postmaster"
            local = "postmaster";
            sender = local + "@" + senderDomain;
        }
        String name = initialDomain(domain);
        if (name == null) { // RFC 7208 §4.3: malformed or not multi-label: "none"
            return new SpfOutcome(SpfResult.NONE, identity, domain, "not a valid domain name: " + printable(domain), null);
        }
        long budget = settings.maxDuration().toNanos();
        Evaluation ev = new Evaluation(IpAddresses.normalize(ip), sender, local, senderDomain, helo, System.nanoTime() + budget);
        String macroDomain = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        FutureTask<SpfOutcome> task = new FutureTask<>(() -> ev.run(macroDomain, name, identity));
        Thread.ofVirtual().name("spf-check").start(task);
        try {
            return task.get(budget, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            log.debug("SPF check of {} for {} exceeded {}", domain, ip.getHostAddress(), settings.maxDuration());
            return timeout(identity, domain);
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            return new SpfOutcome(SpfResult.TEMPERROR, identity, domain, "interrupted", null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    private SpfOutcome timeout(String identity, String domain) {
        // RFC 7208 §4.6.4: exceeding the elapsed-time limit SHOULD give "temperror"
        return new SpfOutcome(SpfResult.TEMPERROR, identity, domain, "SPF time budget of " + settings.maxDuration().toMillis() + " ms exceeded", null);
    }

    /**
     * RFC 7208 §4.3: the {@code <domain>} must be a multi-label domain name with labels of 1 to 63
     * octets; returns its lower-case A-label form, or null. Address literals, empty labels and
     * all-numeric top labels are refused.
     */
    static String initialDomain(String domain) {
        if (domain == null || domain.isEmpty() || domain.length() > 1024) return null;
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        if (d.startsWith("[")) return null; // an address literal is no domain
        if (!d.chars().allMatch(c -> c < 0x80)) {
            try {
                d = IDN.toASCII(d, IDN.ALLOW_UNASSIGNED); // RFC 5890 A-labels, as the Resolver expects
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (d.isEmpty() || d.length() > 253) return null;
        String[] labels = d.split("\\.", -1);
        if (labels.length < 2) return null;
        for (String l : labels) {
            if (l.isEmpty() || l.length() > 63) return null;
            for (int i = 0; i < l.length(); i++) {
                char c = l.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok) return null;
            }
        }
        if (!MacroString.isTopLabel(labels[labels.length - 1])) return null;
        return d.toLowerCase(Locale.ROOT);
    }

    /**
     * A target-name after macro expansion (RFC 7208 §4.8, §7.3): one trailing dot dropped, cut
     * from the left to 253 characters, then checked as a DNS name (labels 1-63 octets). Returns
     * the lower-case A-label form, or null when no DNS query can be made from it (treated as a
     * name that does not exist, the reading of RFC 7208 §4.3 the openspf suite prefers).
     */
    static String queryName(String expanded) {
        String n = expanded;
        if (n.endsWith(".")) n = n.substring(0, n.length() - 1);
        while (n.length() > 253) { // RFC 7208 §7.3: remove labels from the left until it fits
            int dot = n.indexOf('.');
            if (dot < 0) return null;
            n = n.substring(dot + 1);
        }
        if (n.isEmpty()) return null;
        String[] labels = n.split("\\.", -1);
        StringBuilder out = new StringBuilder(n.length());
        for (String l : labels) {
            String a = l;
            if (!l.chars().allMatch(c -> c < 0x80)) {
                try {
                    a = IDN.toASCII(l, IDN.ALLOW_UNASSIGNED);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
            if (a.isEmpty() || a.length() > 63) return null;
            if (!out.isEmpty()) out.append('.');
            out.append(a);
        }
        if (out.length() > 253) return null;
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /** Longest explanation returned; RFC 7208 §6.2 leaves it open, an SMTP reply line holds 512 octets (RFC 5321 §4.5.3.1.5). */
    static final int MAX_EXPLANATION = 400;

    private static String printable(String s) {
        return printable(s, 256);
    }

    /** Control characters become '?', and the text is cut to {@code max} characters: it ends up in SMTP replies and logs. */
    private static String printable(String s, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < max; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }

    /** A result decided inside the evaluation (errors and limits); stackless. */
    private static final class Abort extends RuntimeException {
        final SpfResult result;

        Abort(SpfResult result, String reason) {
            super(reason, null, false, false);
            this.result = result;
        }
    }

    /** The result of evaluating one domain's record, with the record whose exp= applies. */
    private record Step(SpfResult result, String mechanism, SpfRecord record, String domain, String reason) {}

    /** The state of one check_host() run: counters, deadline, the PTR cache. Confined to one thread. */
    private final class Evaluation {
        private final InetAddress ip;
        private final byte[] ipBytes;
        private final boolean v4;
        private final String sender;
        private final String local;
        private final String senderDomain;
        private final String helo;
        private final long deadline;
        private int lookups;
        private int voids;
        private boolean pCounted;
        private DnsAnswer<String> ptrAnswer;
        private List<String> validated;

        Evaluation(InetAddress ip, String sender, String local, String senderDomain, String helo, long deadline) {
            this.ip = ip;
            this.ipBytes = ip.getAddress();
            this.v4 = ipBytes.length == 4;
            this.sender = sender;
            this.local = local;
            this.senderDomain = senderDomain;
            this.helo = helo;
            this.deadline = deadline;
        }

        SpfOutcome run(String domain, String name, String identity) {
            Step step;
            try {
                step = checkHost(name, domain, 0);
            } catch (Abort a) {
                return new SpfOutcome(a.result, identity, domain, printable(a.getMessage(), MAX_EXPLANATION), null);
            }
            String explanation = printable(step.reason(), MAX_EXPLANATION);
            if (step.result() == SpfResult.FAIL) explanation = explain(step);
            return new SpfOutcome(step.result(), identity, domain, explanation, step.mechanism());
        }

        /** RFC 7208 §4.4-§4.7 for one domain: record lookup, selection, evaluation. */
        private Step checkHost(String name, String macroDomain, int depth) {
            if (depth > settings.maxDnsLookups() + 1) throw new Abort(SpfResult.PERMERROR, "SPF nesting too deep");
            DnsAnswer<String> txt = query("TXT", name, () -> resolver.txt(name));
            // RFC 7208 §4.4: a DNS error or timeout is temperror
            if (txt.temporaryFailure()) throw new Abort(SpfResult.TEMPERROR, "DNS " + txt.status() + " looking up TXT " + name);
            // RFC 7208 §4.3 / §4.5: NXDOMAIN or no SPF record: "none"
            List<String> spf = new ArrayList<>(1);
            for (String r : txt.records()) if (r != null && SpfRecord.isSpfRecord(r)) spf.add(r);
            if (spf.isEmpty()) return new Step(SpfResult.NONE, null, null, macroDomain, "no SPF record at " + name);
            // RFC 7208 §4.5: more than one record is a permerror
            if (spf.size() > 1) throw new Abort(SpfResult.PERMERROR, "more than one SPF record at " + name);
            SpfRecord record = switch (SpfRecord.parse(spf.getFirst())) {
                case SpfRecord.Valid v -> v.record();
                case SpfRecord.Invalid i -> throw new Abort(SpfResult.PERMERROR, "SPF record of " + name + ": " + i.reason());
            };
            return evaluate(record, macroDomain, depth);
        }

        /** RFC 7208 §4.6-§4.7: directives left to right, then redirect=, else neutral. */
        private Step evaluate(SpfRecord record, String d, int depth) {
            for (SpfRecord.Directive dir : record.directives()) {
                if (matches(dir, d, depth)) {
                    return new Step(dir.qualifier().result(), dir.text(), record, d, "matched " + dir.text() + " of " + d);
                }
            }
            if (record.redirect() != null) { // RFC 7208 §6.1
                countLookup("redirect=" + record.redirect());
                String target = targetName(record.redirect(), d, false);
                if (target == null) throw new Abort(SpfResult.PERMERROR, "redirect= target of " + d + " is not a domain name");
                Step s = checkHost(target, target, depth + 1);
                // RFC 7208 §6.1: no record at the target is a permerror, not "none"
                if (s.result() == SpfResult.NONE) throw new Abort(SpfResult.PERMERROR, "redirect=" + target + ": no SPF record");
                return s;
            }
            // RFC 7208 §4.7: no match and no redirect: neutral
            return new Step(SpfResult.NEUTRAL, null, record, d, "no mechanism matched in the record of " + d);
        }

        private boolean matches(SpfRecord.Directive dir, String d, int depth) {
            String term = dir.text();
            return switch (dir.mechanism()) {
                case SpfRecord.All a -> true;
                // RFC 7208 §5.6: ip4 only matches IPv4 clients (mapped IPv6 counts as IPv4, §5), ip6 only IPv6
                case SpfRecord.Ip4 n -> v4 && n.contains(ipBytes);
                case SpfRecord.Ip6 n -> !v4 && n.contains(ipBytes);
                case SpfRecord.Include inc -> include(inc, d, depth, term);
                case SpfRecord.A a -> {
                    countLookup(term);
                    String target = a.domain() == null ? queryName(d) : targetName(a.domain(), d, false);
                    yield addressMatch(target, v4 ? a.cidr4() : a.cidr6(), term);
                }
                case SpfRecord.Mx mx -> mx(mx, d, term);
                case SpfRecord.Ptr p -> {
                    countLookup(term);
                    String target = p.domain() == null ? queryName(d) : targetName(p.domain(), d, false);
                    if (target == null) yield false;
                    // RFC 7208 §5.5: a DNS error on the PTR query: no match; no PTR at all: a void lookup
                    DnsAnswer<String> answer = ptrAnswer();
                    if (answer.empty()) voidLookup(term);
                    for (String v : validatedNames()) {
                        if (v.equals(target) || v.endsWith("." + target)) yield true;
                    }
                    yield false;
                }
                case SpfRecord.Exists e -> { // RFC 7208 §5.7: an A query, whatever the client's family
                    countLookup(term);
                    String target = targetName(e.domain(), d, false);
                    if (target == null) {
                        voidLookup(term);
                        yield false;
                    }
                    DnsAnswer<InetAddress> ans = query("A", target, () -> resolver.a(target));
                    if (ans.temporaryFailure()) throw new Abort(SpfResult.TEMPERROR, "DNS " + ans.status() + " looking up A " + target);
                    if (ans.empty()) {
                        voidLookup(term);
                        yield false;
                    }
                    yield true;
                }
            };
        }

        /** RFC 7208 §5.2: pass matches; fail, softfail, neutral do not; errors propagate; none is a permerror. */
        private boolean include(SpfRecord.Include inc, String d, int depth, String term) {
            countLookup(term);
            String target = targetName(inc.domain(), d, false);
            if (target == null) throw new Abort(SpfResult.PERMERROR, term + ": target is not a domain name");
            Step s = checkHost(target, target, depth + 1);
            return switch (s.result()) {
                case PASS -> true;
                case FAIL, SOFTFAIL, NEUTRAL -> false;
                case NONE -> throw new Abort(SpfResult.PERMERROR, term + ": no SPF record at " + target);
                case TEMPERROR, PERMERROR -> throw new Abort(s.result(), s.reason());
            };
        }

        /** RFC 7208 §5.4. */
        private boolean mx(SpfRecord.Mx mx, String d, String term) {
            countLookup(term);
            String target = mx.domain() == null ? queryName(d) : targetName(mx.domain(), d, false);
            if (target == null) {
                voidLookup(term);
                return false;
            }
            DnsAnswer<MxRecord> ans = query("MX", target, () -> resolver.mx(target));
            if (ans.temporaryFailure()) throw new Abort(SpfResult.TEMPERROR, "DNS " + ans.status() + " looking up MX " + target);
            if (ans.empty()) {
                voidLookup(term);
                return false;
            }
            // RFC 7208 §4.6.4: more than 10 MX names: permerror
            if (ans.records().size() > MAX_MX_NAMES) throw new Abort(SpfResult.PERMERROR, term + ": more than " + MAX_MX_NAMES + " MX records");
            List<MxRecord> sorted = new ArrayList<>(ans.records());
            sorted.sort(Comparator.comparingInt(MxRecord::preference));
            int prefix = v4 ? mx.cidr4() : mx.cidr6();
            for (MxRecord r : sorted) {
                String exchange = r.exchange() == null ? "" : r.exchange();
                if (exchange.isEmpty() || exchange.equals(".")) continue; // RFC 7505 null MX: no host
                String host = queryName(exchange);
                if (host == null) continue;
                List<InetAddress> addrs = addresses(host);
                if (addrs == null) throw new Abort(SpfResult.TEMPERROR, "DNS error looking up the address of MX " + host);
                for (InetAddress a : addrs) if (IpAddresses.matches(a.getAddress(), ipBytes, prefix)) return true;
            }
            return false;
        }

        /** RFC 7208 §5.3: the target's A (or AAAA) records, with the CIDR length. */
        private boolean addressMatch(String target, int prefix, String term) {
            if (target == null) {
                voidLookup(term);
                return false;
            }
            List<InetAddress> addrs = addresses(target);
            if (addrs == null) throw new Abort(SpfResult.TEMPERROR, "DNS error looking up " + (v4 ? "A " : "AAAA ") + target);
            if (addrs.isEmpty()) {
                voidLookup(term);
                return false;
            }
            for (InetAddress a : addrs) if (IpAddresses.matches(a.getAddress(), ipBytes, prefix)) return true;
            return false;
        }

        /** A or AAAA records by the client's family; null on a temporary DNS failure. */
        private List<InetAddress> addresses(String name) {
            DnsAnswer<InetAddress> ans = v4 ? query("A", name, () -> resolver.a(name)) : query("AAAA", name, () -> resolver.aaaa(name));
            if (ans.temporaryFailure()) return null;
            return ans.records();
        }

        private DnsAnswer<String> ptrAnswer() {
            if (ptrAnswer == null) ptrAnswer = query("PTR", ip.getHostAddress(), () -> resolver.ptr(ip));
            return ptrAnswer;
        }

        /**
         * RFC 7208 §5.5 validated names: the first 10 PTR names whose A/AAAA records include the
         * client IP. DNS errors on the address lookups skip that name.
         */
        private List<String> validatedNames() {
            if (validated != null) return validated;
            DnsAnswer<String> answer = ptrAnswer();
            List<String> out = new ArrayList<>();
            if (!answer.temporaryFailure()) {
                List<String> names = answer.records();
                for (int i = 0; i < names.size() && i < MAX_PTR_NAMES; i++) { // RFC 7208 §4.6.4: the rest are ignored
                    String n = names.get(i) == null ? null : queryName(names.get(i));
                    if (n == null) continue;
                    List<InetAddress> addrs = addresses(n);
                    if (addrs == null) continue;
                    for (InetAddress a : addrs) {
                        if (java.util.Arrays.equals(a.getAddress(), ipBytes)) {
                            out.add(n);
                            break;
                        }
                    }
                }
            }
            validated = List.copyOf(out);
            return validated;
        }

        /** RFC 7208 §7.3 {@code p}: the domain itself, else a subdomain of it, else any validated name, else "unknown". */
        private String pMacro(String d, boolean explaining) {
            if (!explaining && !pCounted) { // RFC 7208 §4.6.4: %{p} counts against the lookup limit
                pCounted = true;
                countLookup("%{p}");
            }
            List<String> names = validatedNames();
            if (names.isEmpty()) return "unknown";
            String dl = queryName(d);
            for (String n : names) if (n.equals(dl)) return n;
            for (String n : names) if (n.endsWith("." + dl)) return n;
            return names.getFirst();
        }

        private String targetName(MacroString spec, String d, boolean explaining) {
            String expanded;
            try {
                expanded = spec.expand(values(d, explaining));
            } catch (MacroString.SyntaxException e) {
                return null;
            }
            return queryName(expanded);
        }

        private MacroString.Values values(String d, boolean explaining) {
            return letter -> switch (letter) {
                case 's' -> sender;
                case 'l' -> local;
                case 'o' -> senderDomain;
                case 'd' -> d;
                case 'i' -> IpAddresses.macroI(ip);
                case 'p' -> pMacro(d, explaining);
                case 'v' -> v4 ? "in-addr" : "ip6";
                case 'h' -> helo;
                case 'c' -> IpAddresses.readable(ip);
                case 'r' -> settings.receiver();
                case 't' -> Long.toString(clock.instant().getEpochSecond());
                default -> throw new IllegalStateException("macro letter " + letter);
            };
        }

        /** RFC 7208 §6.2: the exp= text for a fail, or the default explanation. */
        private String explain(Step step) {
            String text = null;
            try {
                if (step.record() != null && step.record().explanation() != null) text = expText(step.record().explanation(), step.domain());
            } catch (Abort a) {
                text = null; // out of time: the default will do
            }
            if (text == null) {
                try {
                    text = defaultExplanation.expand(values(step.domain(), true));
                } catch (MacroString.SyntaxException | Abort e) {
                    text = "SPF fail";
                }
            }
            return printable(text, MAX_EXPLANATION);
        }

        /**
         * RFC 7208 §6.2: a DNS error, no record, more than one record or a syntax error in the
         * explanation string: proceed as if there were no exp=. The lookup is not counted
         * against the limits (it happens after the result is known).
         */
        private String expText(MacroString spec, String d) {
            String target = targetName(spec, d, true);
            if (target == null) return null;
            DnsAnswer<String> ans = query("TXT", target, () -> resolver.txt(target));
            if (ans.status() != DnsAnswer.Status.NOERROR || ans.records().size() != 1 || ans.records().getFirst() == null) return null;
            try {
                return MacroString.parse(ans.records().getFirst(), MacroString.Kind.EXPLANATION).expand(values(d, true));
            } catch (MacroString.SyntaxException e) {
                return null;
            }
        }

        /** RFC 7208 §4.6.4: the 11th DNS-querying term is a permerror. */
        private void countLookup(String term) {
            if (++lookups > settings.maxDnsLookups()) {
                throw new Abort(SpfResult.PERMERROR, "more than " + settings.maxDnsLookups() + " DNS-querying terms (at " + term + ")");
            }
        }

        /** RFC 7208 §4.6.4: void lookups beyond the limit are a permerror. */
        private void voidLookup(String term) {
            if (++voids > settings.maxVoidLookups()) {
                throw new Abort(SpfResult.PERMERROR, "more than " + settings.maxVoidLookups() + " void DNS lookups (at " + term + ")");
            }
        }

        /** One resolver call under the deadline; a throwing or misbehaving resolver counts as SERVFAIL. */
        private <T> DnsAnswer<T> query(String type, String name, Supplier<DnsAnswer<T>> call) {
            if (System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted()) {
                throw new Abort(SpfResult.TEMPERROR, "SPF time budget of " + settings.maxDuration().toMillis() + " ms exceeded");
            }
            try {
                DnsAnswer<T> a = call.get();
                if (a == null) {
                    log.warn("resolver returned null for {} {}", type, name);
                    return DnsAnswer.failure(DnsAnswer.Status.SERVFAIL);
                }
                return a;
            } catch (RuntimeException e) {
                log.warn("resolver failed for {} {}", type, name, e);
                return DnsAnswer.failure(DnsAnswer.Status.SERVFAIL);
            }
        }
    }

}
