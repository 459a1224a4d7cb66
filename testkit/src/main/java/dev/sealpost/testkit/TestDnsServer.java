package dev.sealpost.testkit;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * An in-process authoritative DNS server for one zone, on 127.0.0.1 (UDP and TCP, same ephemeral
 * port). Behaves as RFC 1034 §4.3.2 asks of an authority: AA answers, in-zone CNAME chasing, SOA in
 * the authority section of negative answers (RFC 2308 §3), empty non-terminals as NODATA, TC over
 * UDP when the answer does not fit (RFC 1035 §4.2.1, RFC 6891 §7). Per-name behaviours: drop (no
 * reply, for timeouts), SERVFAIL, REFUSED. Optionally DNSSEC-signed (KSK + ZSK, ECDSA P-256,
 * algorithm 13) with an NSEC chain (RFC 4034, 4035 §3.1) served when the query sets DO.
 * Counts every query it receives.
 */
public final class TestDnsServer implements AutoCloseable {
    private final Name apex;
    private final Map<Name, Map<Integer, RRset>> data = new ConcurrentHashMap<>();
    private final Set<Name> drop = ConcurrentHashMap.newKeySet();
    private final Set<Name> servfail = ConcurrentHashMap.newKeySet();
    private final Set<Name> refused = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicInteger udpQueries = new AtomicInteger();
    private final AtomicInteger tcpQueries = new AtomicInteger();
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean signed;
    private volatile boolean claimAuthentic;
    private volatile boolean closed;
    private DNSKEYRecord ksk;

    private TestDnsServer(String apex) throws IOException {
        this.apex = Name.fromString(apex, Name.root).canonicalize();
        InetAddress lo = InetAddress.getLoopbackAddress();
        DatagramSocket u = null;
        ServerSocket t = null;
        for (int attempt = 0; attempt < 20 && t == null; attempt++) {
            u = new DatagramSocket(new InetSocketAddress(lo, 0));
            try {
                t = new ServerSocket(u.getLocalPort(), 50, lo);
            } catch (IOException busy) {
                u.close();
            }
        }
        if (t == null) throw new IOException("no free port for UDP and TCP");
        this.udp = u;
        this.tcp = t;
        threads.add(Thread.ofVirtual().start(this::udpLoop));
        threads.add(Thread.ofVirtual().start(this::tcpLoop));
    }

    /** A server for the zone {@code apex}, with an SOA (MINIMUM = negative TTL = 60) and one NS. */
    public static TestDnsServer start(String apex) throws IOException {
        TestDnsServer s = new TestDnsServer(apex);
        s.zone("@ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 60\n@ 3600 IN NS ns1\nns1 3600 IN A 127.0.0.1\n");
        return s;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort());
    }

    public Name apex() {
        return apex;
    }

    /** Adds records in master-file syntax, relative to the apex, default TTL 300. */
    public TestDnsServer zone(String masterText) throws IOException {
        try (Master m = new Master(new ByteArrayInputStream(masterText.getBytes(StandardCharsets.UTF_8)), apex, 300)) {
            for (Record r; (r = m.nextRecord()) != null; ) add(r);
        }
        return this;
    }

    public TestDnsServer add(Record r) {
        Name owner = r.getName().canonicalize();
        data.computeIfAbsent(owner, k -> new ConcurrentHashMap<>()).computeIfAbsent(r.getType(), k -> new RRset()).addRR(r.withName(owner));
        return this;
    }

    /** Removes every record of the name (it becomes NXDOMAIN). */
    public void remove(String name) throws IOException {
        data.remove(abs(name));
    }

    public void drop(String name) throws IOException {
        drop.add(abs(name));
    }

    public void servfail(String name) throws IOException {
        servfail.add(abs(name));
    }

    public void refuse(String name) throws IOException {
        refused.add(abs(name));
    }

    public int queries(String name, int type) throws IOException {
        AtomicInteger c = counts.get(abs(name) + "/" + Type.string(type));
        return c == null ? 0 : c.get();
    }

    public int totalQueries() {
        return udpQueries.get() + tcpQueries.get();
    }

    public int tcpQueries() {
        return tcpQueries.get();
    }

    private Name abs(String name) throws IOException {
        return Name.fromString(name, apex).canonicalize();
    }

    // ---- DNSSEC ----

    /**
     * Signs the zone as it is now: a KSK (flags 257) signs the DNSKEY RRset, a ZSK (256) every other
     * RRset; an NSEC chain is built over the owners (RFC 4034 §4, §6.1 canonical order). Signatures
     * are valid from one hour ago to seven days ahead. Returns the DS of the KSK (SHA-256, RFC 4509).
     */
    public DSRecord sign() throws Exception {
        KeyPair kskPair = ecKey();
        KeyPair zskPair = ecKey();
        ksk = new DNSKEYRecord(apex, DClass.IN, 3600, 257, 3, DNSSEC.Algorithm.ECDSAP256SHA256, kskPair.getPublic());
        DNSKEYRecord zsk = new DNSKEYRecord(apex, DClass.IN, 3600, 256, 3, DNSSEC.Algorithm.ECDSAP256SHA256, zskPair.getPublic());
        add(ksk);
        add(zsk);
        long nsecTtl = ((SOARecord) data.get(apex).get(Type.SOA).first()).getMinimum(); // RFC 4034 §4
        List<Name> owners = new ArrayList<>(new TreeSet<>(data.keySet()));
        for (int i = 0; i < owners.size(); i++) {
            Name owner = owners.get(i);
            Name next = owners.get((i + 1) % owners.size());
            TreeSet<Integer> types = new TreeSet<>(data.get(owner).keySet());
            types.add(Type.RRSIG);
            types.add(Type.NSEC);
            add(new NSECRecord(owner, DClass.IN, nsecTtl, next, types.stream().mapToInt(Integer::intValue).toArray()));
        }
        Instant now = Instant.now();
        for (Map<Integer, RRset> node : data.values()) {
            for (RRset set : node.values()) {
                boolean keySet = set.getType() == Type.DNSKEY;
                set.addRR(DNSSEC.sign(set, keySet ? ksk : zsk, (keySet ? kskPair : zskPair).getPrivate(),
                        now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7))));
            }
        }
        signed = true;
        return new DSRecord(apex, DClass.IN, 3600, DNSSEC.Digest.SHA256, ksk);
    }

    /** Sets AD on every answer, as a validating recursive resolver would for secure data. */
    public void claimAuthentic(boolean value) {
        claimAuthentic = value;
    }

    public DNSKEYRecord ksk() {
        return ksk;
    }

    /** Flips one bit of the signature over the RRset: a validator must call the answer bogus. */
    public void corruptSignature(String name, int type) throws IOException {
        RRset set = data.get(abs(name)).get(type);
        RRSIGRecord sig = set.sigs().getFirst();
        byte[] bytes = sig.getSignature();
        bytes[bytes.length / 2] ^= 0x01;
        set.deleteRR(sig);
        set.addRR(new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(), sig.getAlgorithm(),
                sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), sig.getFootprint(), sig.getSigner(), bytes));
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    // ---- answering ----

    /** Returns null to stay silent. */
    public Message answer(Message query) {
        Header qh = query.getHeader();
        Record question = query.getQuestion();
        Message resp = new Message(qh.getID());
        Header h = resp.getHeader();
        h.setFlag(Flags.QR);
        if (qh.getFlag(Flags.RD)) h.setFlag(Flags.RD);
        if (qh.getFlag(Flags.CD)) h.setFlag(Flags.CD);
        if (question == null) {
            h.setRcode(Rcode.FORMERR);
            return resp;
        }
        resp.addRecord(question, Section.QUESTION);
        Name qname = question.getName().canonicalize();
        int qtype = question.getType();
        counts.computeIfAbsent(qname + "/" + Type.string(qtype), k -> new AtomicInteger()).incrementAndGet();
        OPTRecord qopt = query.getOPT();
        boolean dnssecOk = signed && qopt != null && (qopt.getFlags() & ExtendedFlags.DO) != 0;
        if (qopt != null) resp.addRecord(new OPTRecord(1232, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
        if (drop.contains(qname)) return null;
        if (servfail.contains(qname)) {
            h.setRcode(Rcode.SERVFAIL);
            return resp;
        }
        if (refused.contains(qname) || !qname.subdomain(apex)) {
            h.setRcode(Rcode.REFUSED);
            return resp;
        }
        h.setFlag(Flags.AA);
        if (claimAuthentic) h.setFlag(Flags.AD);
        Name current = qname;
        for (int link = 0; link < 10; link++) {
            Map<Integer, RRset> node = data.get(current);
            if (node == null) {
                if (!emptyNonTerminal(current)) {
                    h.setRcode(Rcode.NXDOMAIN);
                    if (dnssecOk) {
                        addSet(resp, Section.AUTHORITY, covering(current), true);
                        Name closest = current;
                        while (!data.containsKey(closest) && !emptyNonTerminal(closest)) closest = new Name(closest, 1);
                        Name wild = wildcardOf(closest);
                        RRset noWild = covering(wild);
                        if (!noWild.getName().equals(covering(current).getName())) addSet(resp, Section.AUTHORITY, noWild, true);
                    }
                }
                addSoa(resp, dnssecOk);
                return resp;
            }
            RRset rrs = node.get(qtype);
            if (rrs != null) {
                addSet(resp, Section.ANSWER, rrs, dnssecOk);
                return resp;
            }
            RRset cname = node.get(Type.CNAME);
            if (cname != null && qtype != Type.CNAME) {
                addSet(resp, Section.ANSWER, cname, dnssecOk);
                current = ((CNAMERecord) cname.first()).getTarget().canonicalize();
                if (!current.subdomain(apex)) return resp; // out of zone: the resolver asks elsewhere
                continue;
            }
            if (dnssecOk && node.containsKey(Type.NSEC)) addSet(resp, Section.AUTHORITY, node.get(Type.NSEC), true); // RFC 4035 §3.1.3.1
            addSoa(resp, dnssecOk);
            return resp;
        }
        return resp;
    }

    private static Name wildcardOf(Name closest) {
        try {
            return Name.concatenate(Name.fromConstantString("*"), closest);
        } catch (org.xbill.DNS.NameTooLongException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean emptyNonTerminal(Name name) {
        for (Name owner : data.keySet()) {
            if (!owner.equals(name) && owner.subdomain(name)) return true;
        }
        return false;
    }

    /** The NSEC RRset whose owner is the last one before {@code name} in canonical order (wrapping). */
    private RRset covering(Name name) {
        TreeMap<Name, RRset> chain = new TreeMap<>();
        data.forEach((owner, node) -> {
            if (node.containsKey(Type.NSEC)) chain.put(owner, node.get(Type.NSEC));
        });
        Map.Entry<Name, RRset> e = chain.lowerEntry(name);
        return e != null ? e.getValue() : chain.lastEntry().getValue();
    }

    private void addSoa(Message resp, boolean dnssecOk) {
        addSet(resp, Section.AUTHORITY, data.get(apex).get(Type.SOA), dnssecOk);
    }

    private static void addSet(Message resp, int section, RRset set, boolean withSigs) {
        for (Record r : set.rrs(false)) resp.addRecord(r, section);
        if (withSigs) for (RRSIGRecord s : set.sigs()) resp.addRecord(s, section);
    }

    // ---- transport ----

    private void udpLoop() {
        byte[] buf = new byte[65535];
        while (!closed) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                udpQueries.incrementAndGet();
                Message query = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                Message resp = answer(query);
                if (resp == null) continue;
                int max = query.getOPT() == null ? 512 : Math.max(512, Math.min(1232, query.getOPT().getPayloadSize()));
                byte[] wire = resp.toWire(max); // sets TC when it had to cut (RFC 2181 §9)
                udp.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    private void tcpLoop() {
        while (!closed) {
            try {
                Socket s = tcp.accept();
                Thread.ofVirtual().start(() -> serveTcp(s));
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    private void serveTcp(Socket s) {
        try (s; DataInputStream in = new DataInputStream(s.getInputStream());
             DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
            while (true) {
                int len = in.readUnsignedShort(); // RFC 1035 §4.2.2 length prefix
                byte[] msg = in.readNBytes(len);
                tcpQueries.incrementAndGet();
                Message resp = answer(new Message(msg));
                if (resp == null) return;
                byte[] wire = resp.toWire();
                out.writeShort(wire.length);
                out.write(wire);
                out.flush();
            }
        } catch (IOException e) {
            // connection ended
        }
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        threads.forEach(Thread::interrupt);
    }
}
