package dev.sealpost.dns;

import dev.sealpost.dns.DnsAnswer.Status;
import dev.sealpost.dns.internal.AnswerCache;
import dev.sealpost.dns.internal.DnsNames;
import dev.sealpost.dns.internal.RecordMapper;
import dev.sealpost.dns.internal.RootTrustAnchors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * The real {@link Resolver}: a stub resolver on dnsjava that asks the configured recursive servers
 * and, when {@link DnsSettings#dnssec()} is on, validates every answer itself with dnsjava's
 * {@link ValidatingResolver} from the configured trust anchors (RFC 4033-4035) instead of trusting
 * the upstream's AD bit.
 *
 * <ul>
 *   <li>RCODE mapping: NOERROR with or without data, NXDOMAIN (RFC 2308); SERVFAIL, REFUSED and every
 *       other RCODE, and DNSSEC-bogus answers (the validator turns them into SERVFAIL) become
 *       {@link Status#SERVFAIL}; no reply within the budget, or a network error, becomes
 *       {@link Status#TIMEOUT}.</li>
 *   <li>{@code authentic}: the AD bit as set by the validator (secure, RFC 4035 §3.2.3); insecure
 *       (unsigned, or outside every trust anchor) answers are not authentic. Without DNSSEC it is
 *       false unless {@link DnsSettings#trustUpstreamAd()}.</li>
 *   <li>Time: one look-up, with all its tries, servers, DNSSEC key fetches and CNAME follow-ups, ends
 *       within {@link DnsSettings#timeout()}. Each try gets an equal share of it.</li>
 *   <li>CNAMEs (RFC 1034 §3.6.2): the chain in the answer is followed; when a server stops at a CNAME
 *       whose target it does not serve (no data and no SOA for the target), the target is asked for
 *       next, up to {@value #MAX_CNAME_CHAIN} links in all; loops are SERVFAIL.</li>
 *   <li>Cache: positive answers for the smallest TTL of the records used (CNAMEs included), negative
 *       ones for min(SOA TTL, SOA MINIMUM) (RFC 2308 §5), none without an SOA; TTLs capped at
 *       {@value #MAX_CACHE_TTL} s. Failures are not cached, so recovery is immediate.</li>
 *   <li>Names that cannot exist (empty or over-long labels) answer NXDOMAIN without a query.</li>
 * </ul>
 * Thread-safe; never throws for DNS outcomes.
 */
public final class DnsJavaResolver implements Resolver {
    private static final Logger log = LoggerFactory.getLogger(DnsJavaResolver.class);

    public static final int MAX_CNAME_CHAIN = 8;
    /** Longest time an answer is cached, whatever its TTL says. */
    public static final long MAX_CACHE_TTL = 86_400;
    /** EDNS(0) UDP payload size we advertise: the DNS Flag Day 2020 value, avoids fragmentation. */
    static final int EDNS_PAYLOAD = 1232;
    private static final Duration MIN_TRY_TIMEOUT = Duration.ofMillis(100);

    private final DnsSettings settings;
    private final org.xbill.DNS.Resolver upstream;
    private final AnswerCache cache;
    private final boolean readAd;

    public DnsJavaResolver(DnsSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /**
     * @param clock drives cache expiry and the DNSSEC signature validity check
     * @throws IllegalArgumentException when the trust anchor file is unreadable or holds no DS/DNSKEY record
     */
    public DnsJavaResolver(DnsSettings settings, Clock clock) {
        this.settings = settings;
        List<InetSocketAddress> servers = settings.servers().isEmpty() ? ResolverConfig.getCurrentConfig().servers() : settings.servers();
        if (servers.isEmpty()) servers = List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 53));
        Duration perTry = settings.timeout().dividedBy((long) servers.size() * (settings.retries() + 1));
        if (perTry.compareTo(MIN_TRY_TIMEOUT) < 0) perTry = MIN_TRY_TIMEOUT;
        List<org.xbill.DNS.Resolver> simple = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            SimpleResolver r = new SimpleResolver(server);
            r.setTimeout(perTry);
            simple.add(r);
        }
        ExtendedResolver head = new ExtendedResolver(simple);
        head.setRetries(settings.retries() + 1); // dnsjava counts tries per server
        head.setTimeout(settings.timeout());
        head.setLoadBalance(false);
        head.setEDNS(0, EDNS_PAYLOAD, 0, List.of()); // RFC 6891
        if (settings.dnssec()) {
            ValidatingResolver validator = new ValidatingResolver(head, clock); // sets DO on the head (RFC 3225)
            loadTrustAnchors(validator);
            this.upstream = validator;
        } else {
            this.upstream = head;
        }
        this.readAd = settings.dnssec() || settings.trustUpstreamAd();
        this.cache = settings.cacheSize() > 0 ? new AnswerCache(settings.cacheSize(), clock) : null;
    }

    private void loadTrustAnchors(ValidatingResolver validator) {
        String where = settings.trustAnchors() == null ? "built-in root anchors" : settings.trustAnchors().toString();
        try {
            byte[] text = settings.trustAnchors() == null
                    ? RootTrustAnchors.DS_RECORDS.getBytes(StandardCharsets.US_ASCII)
                    : Files.readAllBytes(settings.trustAnchors());
            int anchors = 0;
            try (Master m = new Master(new ByteArrayInputStream(text), Name.root, 3600)) {
                for (Record r; (r = m.nextRecord()) != null; ) {
                    if (r.getType() == Type.DS || r.getType() == Type.DNSKEY) anchors++;
                }
            }
            if (anchors == 0) throw new IllegalArgumentException("dns trust anchors " + where + ": no DS or DNSKEY record");
            try (InputStream in = new ByteArrayInputStream(text)) {
                validator.loadTrustAnchors(in);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("dns trust anchors " + where + ": " + e.getMessage(), e);
        }
    }

    public DnsSettings settings() {
        return settings;
    }

    /** Forgets every cached answer. */
    public void clearCache() {
        if (cache != null) cache.clear();
    }

    /** Number of cached answers (expired ones may still count until looked at). */
    public int cachedAnswers() {
        return cache == null ? 0 : cache.size();
    }

    // ---- typed look-ups ----

    @Override
    public DnsAnswer<String> txt(String name) {
        return answer(name, Type.TXT, RecordMapper::txt);
    }

    @Override
    public DnsAnswer<InetAddress> a(String name) {
        return answer(name, Type.A, RecordMapper::a);
    }

    @Override
    public DnsAnswer<InetAddress> aaaa(String name) {
        return answer(name, Type.AAAA, RecordMapper::aaaa);
    }

    @Override
    public DnsAnswer<MxRecord> mx(String name) {
        return answer(name, Type.MX, RecordMapper::mx);
    }

    @Override
    public DnsAnswer<String> ptr(InetAddress address) {
        return answer(ReverseMap.fromAddress(address), Type.PTR, RecordMapper::ptr); // RFC 1035 §3.5, RFC 3596 §2.5
    }

    @Override
    public DnsAnswer<TlsaRecord> tlsa(String name) {
        return answer(name, Type.TLSA, RecordMapper::tlsa);
    }

    @Override
    public DnsAnswer<byte[]> openpgpkey(String name) {
        return answer(name, Type.OPENPGPKEY, RecordMapper::openpgpkey); // RFC 7929 §2
    }

    @Override
    public DnsAnswer<TlsaRecord> smimea(String name) {
        return answer(name, Type.SMIMEA, RecordMapper::smimea); // RFC 8162 §2
    }

    private <T> DnsAnswer<T> answer(String name, int type, Function<List<Record>, List<T>> mapper) {
        Optional<Name> parsed = DnsNames.parse(name);
        if (parsed.isEmpty()) return DnsAnswer.nxdomain(false);
        return answer(parsed.get(), type, mapper);
    }

    private <T> DnsAnswer<T> answer(Name name, int type, Function<List<Record>, List<T>> mapper) {
        Outcome o = lookup(name.canonicalize(), type);
        return switch (o.status()) {
            case NOERROR -> DnsAnswer.of(mapper.apply(o.records()), o.authentic());
            case NXDOMAIN -> DnsAnswer.nxdomain(o.authentic());
            case SERVFAIL, TIMEOUT -> DnsAnswer.failure(o.status());
        };
    }

    // ---- resolution ----

    private record Outcome(Status status, List<Record> records, boolean authentic, long ttl) {
        static Outcome failure(Status s) {
            return new Outcome(s, List.of(), false, 0);
        }
    }

    private Outcome lookup(Name name, int type) {
        if (cache != null) {
            Optional<AnswerCache.Entry> hit = cache.get(name, type);
            if (hit.isPresent()) {
                AnswerCache.Entry e = hit.get();
                return new Outcome(e.status(), e.records(), e.authentic(), 0);
            }
        }
        Outcome o = resolve(name, type);
        if (cache != null && (o.status() == Status.NOERROR || o.status() == Status.NXDOMAIN)) {
            cache.put(name, type, o.status(), o.records(), o.authentic(), Math.min(o.ttl(), MAX_CACHE_TTL));
        }
        return o;
    }

    private Outcome resolve(Name name, int type) {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        Name current = name;
        Set<Name> seen = new HashSet<>();
        seen.add(current);
        boolean authentic = true;
        long ttl = MAX_CACHE_TTL;
        int links = 0;
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) return Outcome.failure(Status.TIMEOUT);
            Reply reply = send(current, type, remaining);
            if (reply.failure() != null) return Outcome.failure(reply.failure());
            Message resp = reply.message();
            int rcode = resp.getRcode();
            if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
                log.debug("dns {}/{}: rcode {}{}", current, Type.string(type), Rcode.string(rcode), validationReason(resp));
                return Outcome.failure(Status.SERVFAIL); // RFC 2308 §2.1-2.2 cover only these two; REFUSED etc. are failures
            }
            authentic &= readAd && resp.getHeader().getFlag(Flags.AD);
            List<Record> answer = resp.getSection(Section.ANSWER);
            Name target = current;
            while (true) {
                List<Record> found = new ArrayList<>();
                for (Record r : answer) {
                    if (r.getType() == type && r.getDClass() == DClass.IN && r.getName().equals(target)) found.add(r);
                }
                if (!found.isEmpty()) {
                    for (Record r : found) ttl = Math.min(ttl, r.getTTL());
                    return new Outcome(Status.NOERROR, found, authentic, ttl);
                }
                CNAMERecord cname = null;
                for (Record r : answer) {
                    if (r instanceof CNAMERecord c && c.getName().equals(target)) {
                        cname = c;
                        break;
                    }
                }
                if (cname == null) break;
                ttl = Math.min(ttl, cname.getTTL());
                target = cname.getTarget().canonicalize(); // RFC 1034 §3.6.2
                if (++links > MAX_CNAME_CHAIN || !seen.add(target)) {
                    log.debug("dns {}/{}: CNAME loop or chain over {} links", name, Type.string(type), MAX_CNAME_CHAIN);
                    return Outcome.failure(Status.SERVFAIL);
                }
            }
            SOARecord soa = null;
            for (Record r : resp.getSection(Section.AUTHORITY)) {
                if (r instanceof SOARecord s) soa = s;
            }
            long negativeTtl = soa == null ? 0 : Math.min(soa.getTTL(), soa.getMinimum()); // RFC 2308 §5
            if (rcode == Rcode.NXDOMAIN) {
                // RFC 6604 §2.1: with CNAMEs, the RCODE is about the last name of the chain
                return new Outcome(Status.NXDOMAIN, List.of(), authentic, Math.min(ttl, negativeTtl));
            }
            if (soa != null || target.equals(current)) {
                return new Outcome(Status.NOERROR, List.of(), authentic, Math.min(ttl, negativeTtl));
            }
            current = target; // the server stopped at a CNAME it has no data for: ask for its target
        }
    }

    private record Reply(Message message, Status failure) {}

    private Reply send(Name name, int type, long remainingNanos) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        if (!settings.dnssec() && settings.trustUpstreamAd()) query.getHeader().setFlag(Flags.AD); // RFC 6840 §5.7
        CompletableFuture<Message> future = upstream.sendAsync(query).toCompletableFuture();
        try {
            return new Reply(future.get(remainingNanos, TimeUnit.NANOSECONDS), null);
        } catch (TimeoutException e) {
            future.cancel(true);
            log.debug("dns {}/{}: no answer within {}", name, Type.string(type), settings.timeout());
            return new Reply(null, Status.TIMEOUT);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new Reply(null, Status.TIMEOUT);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            log.debug("dns {}/{}: {}", name, Type.string(type), String.valueOf(cause));
            // I/O failures (timeouts, port unreachable, connection refused) mean no answer came
            return new Reply(null, cause instanceof IOException ? Status.TIMEOUT : Status.SERVFAIL);
        } catch (RuntimeException e) {
            log.warn("dns {}/{}: resolver failure", name, Type.string(type), e);
            return new Reply(null, Status.SERVFAIL);
        }
    }

    /** The validator's reason for a bogus answer, which it puts in the additional section. */
    private static String validationReason(Message m) {
        for (Record r : m.getSection(Section.ADDITIONAL)) {
            if (r instanceof TXTRecord t && r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
                return " (" + String.join("", t.getStrings()) + ")";
            }
        }
        return "";
    }

    @Override
    public String toString() {
        return "DnsJavaResolver" + settings.servers() + (settings.dnssec() ? " dnssec" : "");
    }
}
