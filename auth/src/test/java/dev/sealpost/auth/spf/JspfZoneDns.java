package dev.sealpost.auth.spf;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.james.jspf.core.DNSRequest;
import org.apache.james.jspf.core.DNSService;
import org.apache.james.jspf.core.exceptions.TimeoutException;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * jSPF's {@link DNSService} over an openspf suite scenario's {@code zonedata}, entirely in memory:
 * no DNS query and no network is involved (jSPF's own {@code DNSServiceXBillImpl} is never
 * created). The zone semantics are those of {@link SuiteResolver} (pyspf's test driver), so that
 * both evaluators see the same data: SPF-tagged records are also served as TXT unless the name
 * has a TXT entry ({@code TXT: NONE} included); {@code TIMEOUT} times a query out unless a record
 * of the asked type came before it (a {@link TimeoutException}, what jSPF's dnsjava adapter throws
 * for TRY_AGAIN); CNAMEs are followed (a loop answers nothing, as that adapter does for dnsjava's
 * UNRECOVERABLE "CNAME loop"); names are case-insensitive, targets keep their case. Unlike our
 * resolver interface, jSPF also asks for the SPF RR type (99): those queries are answered from the
 * SPF-tagged records, as a real server would. Answers are the strings jSPF's adapter produces: TXT
 * strings joined, addresses in {@link InetAddress#getHostAddress()} form, MX and PTR targets
 * without the trailing dot; NXDOMAIN and NODATA are both {@code null}. jSPF still needs dnsjava on
 * the class path for name syntax ({@code Name.fromString}) and address parsing: it gets the
 * project's version through sealpost-dns (its own is excluded in auth/pom.xml).
 */
final class JspfZoneDns implements DNSService {
    private record Rec(String type, String text) {}

    /** Null entries stand for TIMEOUT. */
    private final Map<String, List<Rec>> zone = new LinkedHashMap<>();
    private int recordLimit = 10;
    final AtomicInteger queries = new AtomicInteger();

    JspfZoneDns(JsonNode zonedata) {
        if (zonedata != null) zonedata.properties().forEach(e -> zone.put(norm(e.getKey()), entries(e.getValue())));
    }

    private static List<Rec> entries(JsonNode list) {
        List<Rec> out = new ArrayList<>();
        List<Rec> generated = new ArrayList<>();
        boolean gen = true;
        for (JsonNode item : list) {
            if (item.isTextual()) {
                if (!item.asText().equals("TIMEOUT")) throw new IllegalArgumentException("unknown zone entry " + item);
                out.add(null);
                continue;
            }
            for (var f : item.properties()) {
                String type = f.getKey();
                JsonNode v = f.getValue();
                switch (type) {
                    case "TXT", "SPF" -> {
                        String text;
                        if (v.isArray()) {
                            StringBuilder sb = new StringBuilder();
                            v.forEach(s -> sb.append(s.asText()));
                            text = sb.toString();
                        } else {
                            text = v.asText();
                        }
                        boolean none = !v.isArray() && text.equals("NONE");
                        if (type.equals("TXT")) gen = false;
                        else if (gen && !none) generated.add(new Rec("TXT", text));
                        if (!none) out.add(new Rec(type, text));
                    }
                    // targets keep their case, as a DNS server returns them (only the final dot goes)
                    case "MX" -> out.add(new Rec("MX", stripDot(v.get(1).asText())));
                    case "A", "AAAA" -> out.add(new Rec(type, address(v.asText())));
                    case "PTR" -> out.add(new Rec(type, stripDot(v.asText())));
                    case "CNAME" -> out.add(new Rec(type, norm(v.asText())));
                    default -> throw new IllegalArgumentException("unknown record type " + type);
                }
            }
        }
        if (gen) out.addAll(generated);
        return out;
    }

    private static String address(String literal) {
        InetAddress a = IpAddresses.parse(literal);
        if (a == null) throw new IllegalArgumentException("bad address in zone data: " + literal);
        return a.getHostAddress();
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static String norm(String name) {
        return stripDot(name).toLowerCase(Locale.ROOT);
    }

    private static String type(int recordType) {
        return switch (recordType) {
            case DNSRequest.A -> "A";
            case DNSRequest.AAAA -> "AAAA";
            case DNSRequest.MX -> "MX";
            case DNSRequest.PTR -> "PTR";
            case DNSRequest.TXT -> "TXT";
            case DNSRequest.SPF -> "SPF";
            default -> throw new IllegalArgumentException("unexpected record type " + recordType);
        };
    }

    @Override
    public List<String> getRecords(DNSRequest request) throws TimeoutException {
        queries.incrementAndGet();
        return lookup(norm(request.getHostname()), type(request.getRecordType()), new HashSet<>());
    }

    private List<String> lookup(String name, String type, Set<String> seen) throws TimeoutException {
        // a CNAME loop: dnsjava's Lookup ends UNRECOVERABLE, not TRY_AGAIN, which jSPF's adapter answers with null
        if (!seen.add(name) || seen.size() > 10) return null;
        List<Rec> entries = zone.get(name);
        if (entries == null) return null;
        boolean timeout = true;
        List<String> out = new ArrayList<>();
        String cname = null;
        for (Rec r : entries) {
            if (r == null) {
                if (timeout) throw new TimeoutException("TIMEOUT " + name + " " + type);
                break;
            }
            if (r.type().equals(type)) {
                timeout = false;
                out.add(r.text());
            } else if (r.type().equals("CNAME")) {
                cname = r.text();
            }
        }
        if (out.isEmpty() && cname != null) return lookup(cname, type, seen);
        return out.isEmpty() ? null : out;
    }

    @Override
    public CompletionStage<List<String>> getRecordsAsync(DNSRequest request) {
        try {
            return CompletableFuture.completedFuture(getRecords(request));
        } catch (TimeoutException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public List<String> getLocalDomainNames() {
        return List.of("localhost");
    }

    @Override
    public void setTimeOut(int timeOut) {
        // nothing to wait for
    }

    @Override
    public int getRecordLimit() {
        return recordLimit;
    }

    @Override
    public void setRecordLimit(int recordLimit) {
        this.recordLimit = recordLimit;
    }
}
