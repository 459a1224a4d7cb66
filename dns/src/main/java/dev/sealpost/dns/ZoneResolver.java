package dev.sealpost.dns;

import dev.sealpost.dns.DnsAnswer.Status;
import dev.sealpost.dns.internal.DnsNames;
import dev.sealpost.dns.internal.RecordMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

/**
 * A {@link Resolver} that answers from records held in memory, as an authoritative server would:
 * for tests, and for the CLI's {@code --zone FILE} where nothing may leave the machine.
 *
 * <p>The data is a plain map from owner name to RRsets, not one dnsjava {@code Zone}: a file may hold
 * the records of several zones (one {@code $ORIGIN} each, or absolute owners), and nothing here needs
 * zone cuts. Semantics:
 * <ul>
 *   <li>Names are compared case-insensitively (RFC 4343); a trailing dot is ignored.</li>
 *   <li>NXDOMAIN only when the name owns no record and is not an empty non-terminal; a name that
 *       exists with other types, or only has descendants, answers NOERROR with no data
 *       (RFC 2308 §2.2, RFC 8020). The ancestors of an owner count as empty non-terminals up to its
 *       zone apex (the nearest SOA owner above it) or, where no SOA encloses it, up to but excluding
 *       its top-level label (so {@code example.com} exists because {@code _dmarc.example.com} does,
 *       but {@code com} does not).</li>
 *   <li>Wildcards (RFC 4592 §3.3.1): a name that does not exist is answered from {@code *.<closest
 *       encloser>} when that owner exists, with the owner rewritten to the query name.</li>
 *   <li>CNAMEs are followed (RFC 1034 §3.6.2) up to {@value #MAX_CNAME_CHAIN} links; a loop or a
 *       longer chain is SERVFAIL. The status is that of the last name in the chain (RFC 6604).</li>
 *   <li>TXT: the character-strings of one record are concatenated.</li>
 *   <li>Names marked with {@link Builder#timeout} or {@link Builder#servfail} answer TIMEOUT or SERVFAIL
 *       for every type, at once (no real waiting), also when reached through a CNAME.</li>
 *   <li>{@code authentic} is a fixed flag: the data is as trustworthy as whoever supplied it.</li>
 *   <li>Only class IN records are kept; identical records are kept once (RFC 2181 §5).</li>
 * </ul>
 * Immutable and thread-safe once built.
 */
public final class ZoneResolver implements Resolver {
    /** Longest CNAME chain followed. */
    public static final int MAX_CNAME_CHAIN = 8;
    /** TTL given to records without one (master files without {@code $TTL}; builder records). */
    public static final long DEFAULT_TTL = 300;

    private final Map<Name, Map<Integer, List<Record>>> nodes;
    private final Set<Name> emptyNonTerminals;
    private final Set<Name> timeouts;
    private final Set<Name> servfails;
    private final boolean authentic;

    private ZoneResolver(Map<Name, Map<Integer, List<Record>>> nodes, Set<Name> timeouts, Set<Name> servfails, boolean authentic) {
        this.nodes = nodes;
        this.timeouts = Set.copyOf(timeouts);
        this.servfails = Set.copyOf(servfails);
        this.authentic = authentic;
        Set<Name> apexes = new HashSet<>();
        for (var e : nodes.entrySet()) {
            if (e.getValue().containsKey(Type.SOA)) apexes.add(e.getKey());
        }
        Set<Name> ents = new HashSet<>();
        for (Name owner : nodes.keySet()) {
            Name apex = nearestApex(owner, apexes);
            int stopAt = apex != null ? apex.labels() : 3; // labels() counts the root label: 3 = below a TLD
            for (int strip = 1; owner.labels() - strip >= stopAt; strip++) {
                Name ancestor = new Name(owner, strip);
                if (!nodes.containsKey(ancestor)) ents.add(ancestor);
            }
        }
        this.emptyNonTerminals = Set.copyOf(ents);
    }

    private static Name nearestApex(Name owner, Set<Name> apexes) {
        for (int strip = 0; strip < owner.labels(); strip++) {
            Name n = new Name(owner, strip);
            if (apexes.contains(n)) return n;
        }
        return null;
    }

    // ---- construction ----

    /**
     * Reads an RFC 1035 §5 master file. {@code $ORIGIN}, {@code $TTL}, {@code $INCLUDE} and
     * {@code $GENERATE} are understood; relative owners need an {@code $ORIGIN}. The answers are not
     * authentic. The file is trusted configuration (the operator's own), not peer input.
     *
     * @throws IOException when the file cannot be read or a record does not parse (the message names the line)
     */
    public static ZoneResolver fromMasterFile(Path file) throws IOException {
        return fromMasterFile(file, false);
    }

    /** As {@link #fromMasterFile(Path)}, with answers flagged {@code authentic} as given. */
    public static ZoneResolver fromMasterFile(Path file, boolean authentic) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("zone file not found: " + file);
        Builder b = builder().authentic(authentic);
        try (Master master = new Master(file.toString(), null, DEFAULT_TTL)) {
            b.readAll(master);
        }
        return b.build();
    }

    /** Master-file text, for tests; {@code origin} (may be null) stands in for a leading {@code $ORIGIN}. */
    public static ZoneResolver fromMasterText(String text, String origin) throws IOException {
        return builder().masterText(text, origin).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects records and failure markers; every method returns this builder. Not thread-safe. */
    public static final class Builder {
        private final Map<Name, Map<Integer, List<Record>>> nodes = new LinkedHashMap<>();
        private final Set<Name> timeouts = new HashSet<>();
        private final Set<Name> servfails = new HashSet<>();
        private boolean authentic;
        private long ttl = DEFAULT_TTL;

        private Builder() {}

        /** Whether answers claim DNSSEC validation (default false). */
        public Builder authentic(boolean value) {
            this.authentic = value;
            return this;
        }

        /** TTL for the records added after this call. */
        public Builder ttl(long seconds) {
            this.ttl = seconds;
            return this;
        }

        /** Any dnsjava record (class IN). */
        public Builder record(Record r) {
            if (r.getDClass() != DClass.IN) return this;
            Name owner = r.getName().canonicalize();
            List<Record> set = nodes.computeIfAbsent(owner, k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.getType(), k -> new ArrayList<>());
            Record rr = r.withName(owner);
            if (!set.contains(rr)) set.add(rr);
            return this;
        }

        /** Records in master-file syntax; {@code origin} may be null. */
        public Builder masterText(String text, String origin) throws IOException {
            InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
            try (Master master = new Master(in, origin == null ? null : DnsNames.require(origin), ttl)) {
                readAll(master);
            }
            return this;
        }

        private void readAll(Master master) throws IOException {
            for (Record r; (r = master.nextRecord()) != null; ) record(r);
        }

        /**
         * One TXT record from the given text, split into character-strings of at most 255 octets
         * (RFC 1035 §3.3.14). The text is taken literally (no master-file escapes).
         */
        public Builder txt(String name, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            DNSOutput rdata = new DNSOutput();
            int off = 0;
            do {
                int len = Math.min(255, bytes.length - off);
                rdata.writeCountedString(java.util.Arrays.copyOfRange(bytes, off, off + len));
                off += len;
            } while (off < bytes.length);
            return record(Record.newRecord(DnsNames.require(name), Type.TXT, DClass.IN, ttl, rdata.toByteArray()));
        }

        public Builder a(String name, String ipv4) {
            return record(new ARecord(DnsNames.require(name), DClass.IN, ttl, literal(ipv4, Address.IPv4)));
        }

        public Builder aaaa(String name, String ipv6) {
            return record(new AAAARecord(DnsNames.require(name), DClass.IN, ttl, literal(ipv6, Address.IPv6)));
        }

        /** An MX; {@code exchange} "." or "" is the null MX (RFC 7505). */
        public Builder mx(String name, int preference, String exchange) {
            Name target = exchange.isEmpty() || exchange.equals(".") ? Name.root : DnsNames.require(exchange);
            return record(new MXRecord(DnsNames.require(name), DClass.IN, ttl, preference, target));
        }

        /** A PTR at the reverse name of the address literal (RFC 1035 §3.5, RFC 3596 §2.5). */
        public Builder ptr(String ip, String name) {
            InetAddress address = ip.contains(":") ? literal(ip, Address.IPv6) : literal(ip, Address.IPv4);
            return record(new PTRRecord(ReverseMap.fromAddress(address), DClass.IN, ttl, DnsNames.require(name)));
        }

        public Builder cname(String name, String target) {
            return record(new CNAMERecord(DnsNames.require(name), DClass.IN, ttl, DnsNames.require(target)));
        }

        public Builder tlsa(String name, int usage, int selector, int matchingType, byte[] data) {
            return record(new TLSARecord(DnsNames.require(name), DClass.IN, ttl, usage, selector, matchingType, data));
        }

        /** OPENPGPKEY (RFC 7929 §2): a binary OpenPGP certificate. */
        public Builder openpgpkey(String name, byte[] certificate) {
            return record(new org.xbill.DNS.OPENPGPKEYRecord(DnsNames.require(name), DClass.IN, ttl, certificate));
        }

        /** SMIMEA (RFC 8162 §2). */
        public Builder smimea(String name, int usage, int selector, int matchingType, byte[] data) {
            return record(new org.xbill.DNS.SMIMEARecord(DnsNames.require(name), DClass.IN, ttl, usage, selector, matchingType, data));
        }

        /** Every query for exactly this name answers TIMEOUT. */
        public Builder timeout(String name) {
            timeouts.add(DnsNames.require(name));
            return this;
        }

        /** Every query for exactly this name answers SERVFAIL. */
        public Builder servfail(String name) {
            servfails.add(DnsNames.require(name));
            return this;
        }

        public ZoneResolver build() {
            Map<Name, Map<Integer, List<Record>>> copy = new HashMap<>();
            nodes.forEach((name, sets) -> {
                Map<Integer, List<Record>> s = new HashMap<>();
                sets.forEach((type, rrs) -> s.put(type, List.copyOf(rrs)));
                copy.put(name, Map.copyOf(s));
            });
            return new ZoneResolver(Map.copyOf(copy), timeouts, servfails, authentic);
        }

        private static InetAddress literal(String ip, int family) {
            byte[] bytes = Address.toByteArray(ip, family);
            if (bytes == null) throw new IllegalArgumentException("not an IP" + (family == Address.IPv4 ? "v4" : "v6") + " literal: " + ip);
            try {
                return InetAddress.getByAddress(bytes);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(ip, e);
            }
        }
    }

    // ---- look-up ----

    /** The raw outcome: status and the records of the asked type (owner = the last name of the chain). */
    record Lookup(Status status, List<Record> records) {}

    Lookup lookup(Name qname, int qtype) {
        Set<Name> seen = new HashSet<>();
        Name current = qname.canonicalize();
        for (int link = 0; link <= MAX_CNAME_CHAIN; link++) {
            if (!seen.add(current)) return new Lookup(Status.SERVFAIL, List.of()); // CNAME loop
            if (timeouts.contains(current)) return new Lookup(Status.TIMEOUT, List.of());
            if (servfails.contains(current)) return new Lookup(Status.SERVFAIL, List.of());
            Map<Integer, List<Record>> node = nodes.get(current);
            if (node == null) {
                if (emptyNonTerminals.contains(current)) return new Lookup(Status.NOERROR, List.of()); // RFC 8020
                node = wildcard(current);
                if (node == null) return new Lookup(Status.NXDOMAIN, List.of());
            }
            List<Record> rrs = node.get(qtype);
            if (rrs != null) return new Lookup(Status.NOERROR, rrs);
            List<Record> cname = node.get(Type.CNAME);
            if (cname == null || cname.isEmpty()) return new Lookup(Status.NOERROR, List.of());
            current = ((CNAMERecord) cname.getFirst()).getTarget().canonicalize(); // RFC 1034 §3.6.2
        }
        return new Lookup(Status.SERVFAIL, List.of()); // chain too long
    }

    /** RFC 4592 §3.3.1: the source of synthesis is {@code *.<closest encloser>}; owners become the query name. */
    private Map<Integer, List<Record>> wildcard(Name qname) {
        for (int strip = 1; strip < qname.labels(); strip++) {
            Name encloser = new Name(qname, strip);
            Map<Integer, List<Record>> source = nodes.get(wild(encloser));
            // A wildcard owner implies its parent exists, even a top-level name we do not otherwise count.
            if (source != null || nodes.containsKey(encloser) || emptyNonTerminals.contains(encloser)) {
                if (source == null) return null;
                Map<Integer, List<Record>> synthesized = new HashMap<>();
                source.forEach((type, rrs) -> synthesized.put(type, rrs.stream().map(r -> r.withName(qname)).toList()));
                return synthesized;
            }
        }
        return null;
    }

    private static Name wild(Name encloser) {
        try {
            return Name.concatenate(Name.fromConstantString("*"), encloser);
        } catch (org.xbill.DNS.NameTooLongException e) {
            return encloser; // cannot own a wildcard: look-up of the encloser itself finds no "*"
        }
    }

    private <T> DnsAnswer<T> answer(String name, int type, Function<List<Record>, List<T>> mapper) {
        return DnsNames.parse(name).map(n -> answer(n, type, mapper)).orElseGet(() -> DnsAnswer.nxdomain(false));
    }

    private <T> DnsAnswer<T> answer(Name name, int type, Function<List<Record>, List<T>> mapper) {
        Lookup l = lookup(name, type);
        return switch (l.status()) {
            case NOERROR -> DnsAnswer.of(mapper.apply(l.records()), authentic);
            case NXDOMAIN -> DnsAnswer.nxdomain(authentic);
            case SERVFAIL, TIMEOUT -> DnsAnswer.failure(l.status());
        };
    }

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
        return answer(ReverseMap.fromAddress(address).canonicalize(), Type.PTR, RecordMapper::ptr);
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

    /** CNAME records at the name itself (not followed). */
    public DnsAnswer<String> cname(String name) {
        return answer(name, Type.CNAME, RecordMapper::cname);
    }

    @Override
    public String toString() {
        return "ZoneResolver[" + nodes.size() + " names, authentic=" + authentic + "]";
    }
}
