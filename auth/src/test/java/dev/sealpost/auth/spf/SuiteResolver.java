package dev.sealpost.auth.spf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.MxRecord;
import dev.sealpost.dns.Resolver;
import dev.sealpost.dns.TlsaRecord;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An in-memory {@link Resolver} serving an openspf suite scenario's {@code zonedata}, with the
 * semantics of pyspf's test driver (testspf.py): records tagged SPF are also served as TXT unless
 * the name has any TXT entry ({@code TXT: NONE} included); {@code TXT: NONE} adds nothing;
 * {@code TIMEOUT} times out a query unless a record of the asked type came before it, and ends
 * the list otherwise; CNAMEs are followed (a loop is SERVFAIL); names are case-insensitive.
 */
final class SuiteResolver implements Resolver {
    sealed interface Entry permits Timeout, Rec {}

    record Timeout() implements Entry {}

    record Rec(String type, String text, int preference) implements Entry {}

    private final Map<String, List<Entry>> zone;
    final AtomicInteger queries = new AtomicInteger();

    SuiteResolver(Map<String, List<Entry>> zone) {
        this.zone = zone;
    }

    static SuiteResolver fromYaml(JsonNode zonedata) {
        Map<String, List<Entry>> zone = new LinkedHashMap<>();
        if (zonedata != null) {
            zonedata.properties().forEach(e -> zone.put(norm(e.getKey()), entries(e.getValue())));
        }
        return new SuiteResolver(zone);
    }

    private static List<Entry> entries(JsonNode list) {
        List<Entry> out = new ArrayList<>();
        List<Entry> generated = new ArrayList<>();
        boolean gen = true;
        for (JsonNode item : list) {
            if (item.isTextual()) {
                if (!item.asText().equals("TIMEOUT")) throw new IllegalArgumentException("unknown zone entry " + item);
                out.add(new Timeout());
                continue;
            }
            for (var f : item.properties()) {
                String type = f.getKey();
                JsonNode v = f.getValue();
                Rec rec;
                boolean none = false;
                switch (type) {
                    case "TXT", "SPF" -> {
                        String text;
                        if (v.isArray()) {
                            StringBuilder sb = new StringBuilder();
                            v.forEach(s -> sb.append(s.asText()));
                            text = sb.toString();
                        } else {
                            text = v.asText();
                            none = text.equals("NONE");
                        }
                        rec = new Rec(type, text, 0);
                        if (type.equals("TXT")) gen = false;
                        else if (gen) generated.add(new Rec("TXT", text, 0));
                    }
                    case "MX" -> rec = new Rec("MX", v.get(1).asText(), v.get(0).asInt());
                    case "A", "AAAA", "PTR", "CNAME" -> rec = new Rec(type, v.asText(), 0);
                    default -> throw new IllegalArgumentException("unknown record type " + type);
                }
                if (!none) out.add(rec);
            }
        }
        if (gen) out.addAll(generated);
        return out;
    }

    private static String norm(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return n.toLowerCase(Locale.ROOT);
    }

    private <T> DnsAnswer<T> lookup(String name, String type, Function<Rec, T> conv) {
        queries.incrementAndGet();
        return lookup(norm(name), type, conv, new HashSet<>());
    }

    private <T> DnsAnswer<T> lookup(String name, String type, Function<Rec, T> conv, Set<String> seen) {
        if (!seen.add(name) || seen.size() > 10) return DnsAnswer.failure(DnsAnswer.Status.SERVFAIL); // CNAME loop
        List<Entry> entries = zone.get(name);
        if (entries == null) return DnsAnswer.nxdomain(false);
        boolean timeout = true;
        List<T> out = new ArrayList<>();
        String cname = null;
        for (Entry e : entries) {
            if (e instanceof Timeout) {
                if (timeout) return DnsAnswer.failure(DnsAnswer.Status.TIMEOUT);
                break;
            }
            Rec r = (Rec) e;
            if (r.type().equals(type)) {
                timeout = false;
                out.add(conv.apply(r));
            } else if (r.type().equals("CNAME")) {
                cname = norm(r.text());
            }
        }
        if (out.isEmpty() && cname != null) return lookup(cname, type, conv, seen);
        return DnsAnswer.of(out, false);
    }

    @Override
    public DnsAnswer<String> txt(String name) {
        return lookup(name, "TXT", Rec::text);
    }

    @Override
    public DnsAnswer<InetAddress> a(String name) {
        return lookup(name, "A", r -> address(r.text()));
    }

    @Override
    public DnsAnswer<InetAddress> aaaa(String name) {
        return lookup(name, "AAAA", r -> address(r.text()));
    }

    @Override
    public DnsAnswer<MxRecord> mx(String name) {
        return lookup(name, "MX", r -> new MxRecord(r.preference(), norm(r.text())));
    }

    @Override
    public DnsAnswer<String> ptr(InetAddress address) {
        return lookup(arpa(address), "PTR", r -> norm(r.text()));
    }

    @Override
    public DnsAnswer<TlsaRecord> tlsa(String name) {
        return DnsAnswer.nxdomain(false);
    }

    static String arpa(InetAddress ip) {
        byte[] b = ip.getAddress();
        StringBuilder sb = new StringBuilder();
        if (b.length == 4) {
            for (int i = 3; i >= 0; i--) sb.append(b[i] & 0xff).append('.');
            return sb.append("in-addr.arpa").toString();
        }
        for (int i = 15; i >= 0; i--) {
            sb.append(Character.forDigit(b[i] & 0xf, 16)).append('.');
            sb.append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append('.');
        }
        return sb.append("ip6.arpa").toString();
    }

    private static InetAddress address(String literal) {
        InetAddress a = IpAddresses.parse(literal);
        if (a == null) throw new IllegalArgumentException("bad address in zone data: " + literal);
        return a;
    }
}
