package dev.sealpost.auth.arc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.MxRecord;
import dev.sealpost.dns.Resolver;
import dev.sealpost.dns.TlsaRecord;

import dev.sealpost.testkit.SharedSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Shared helpers: the ARC suite folder, its YAML scenarios, an in-memory TXT resolver. */
final class ArcTestSupport {
    private ArcTestSupport() {}

    /** {@code shared/conformance/arc}, found by walking up from the working directory (also beside the repository clone). */
    static Path suiteDir() {
        return SharedSuite.path("arc");
    }

    /** The scenarios of a suite file (duplicated test names: the last wins, as with PyYAML). */
    static List<JsonNode> scenarios(String file) {
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(suiteDir().resolve(file).toFile())) {
            while (it.hasNext()) out.add(it.next());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The scenario's {@code txt-records} as a resolver: folded values joined without their newlines (SOURCE.md). */
    static TxtResolver resolver(JsonNode scenario) {
        TxtResolver r = new TxtResolver();
        JsonNode records = scenario.has("txt-records") ? scenario.get("txt-records") : scenario.get("txt_records");
        if (records != null) records.properties().forEach(e -> r.put(e.getKey(), e.getValue().asText().replace("\n", "")));
        return r;
    }

    /** Serves TXT records from a map; every other query is NXDOMAIN. */
    static final class TxtResolver implements Resolver {
        final Map<String, List<String>> txt = new HashMap<>();
        int queries;

        TxtResolver put(String name, String record) {
            txt.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(record);
            return this;
        }

        @Override
        public synchronized DnsAnswer<String> txt(String name) {
            queries++;
            List<String> r = txt.get(name.toLowerCase(Locale.ROOT));
            return r == null ? DnsAnswer.nxdomain(false) : DnsAnswer.of(r, false);
        }

        @Override
        public DnsAnswer<InetAddress> a(String name) {
            return DnsAnswer.nxdomain(false);
        }

        @Override
        public DnsAnswer<InetAddress> aaaa(String name) {
            return DnsAnswer.nxdomain(false);
        }

        @Override
        public DnsAnswer<MxRecord> mx(String name) {
            return DnsAnswer.nxdomain(false);
        }

        @Override
        public DnsAnswer<String> ptr(InetAddress address) {
            return DnsAnswer.nxdomain(false);
        }

        @Override
        public DnsAnswer<TlsaRecord> tlsa(String name) {
            return DnsAnswer.nxdomain(false);
        }
    }
}
