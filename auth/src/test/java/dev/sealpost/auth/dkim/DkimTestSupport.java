package dev.sealpost.auth.dkim;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.MxRecord;
import dev.sealpost.dns.Resolver;
import dev.sealpost.dns.TlsaRecord;

import dev.sealpost.testkit.SharedSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared test helpers: the dkimpy folder, an in-memory resolver, a pinned clock. */
final class DkimTestSupport {
    private DkimTestSupport() {}

    static final Path DKIMPY = SharedSuite.path("dkim/dkimpy");
    /** 2021-01-01T00:00:00Z: after every t= in the vectors. */
    static final Instant NOW = Instant.parse("2021-01-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static byte[] bytes(String file) {
        try {
            return Files.readAllBytes(DKIMPY.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String file) {
        return new String(bytes(file), StandardCharsets.US_ASCII).strip();
    }

    /** A dkimpy message, LF converted to CRLF. */
    static AuthMessage message(String file) {
        return AuthMessage.fromLenient(bytes(file));
    }

    /** A resolver serving TXT records from a map; names listed in {@code failing} give SERVFAIL. */
    static final class MapResolver implements Resolver {
        final Map<String, List<String>> txt = new HashMap<>();
        final Map<String, DnsAnswer.Status> failing = new HashMap<>();
        final AtomicInteger queries = new AtomicInteger();

        MapResolver put(String name, String... records) {
            txt.put(name.toLowerCase(Locale.ROOT), List.of(records));
            return this;
        }

        MapResolver fail(String name, DnsAnswer.Status status) {
            failing.put(name.toLowerCase(Locale.ROOT), status);
            return this;
        }

        /** The records of dkimpy's {@code dns-records.txt}. */
        static MapResolver fromRecordsFile() {
            MapResolver r = new MapResolver();
            for (String line : text("dns-records.txt").split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                int sp = line.indexOf(' ');
                r.put(line.substring(0, sp), line.substring(sp + 1).strip());
            }
            return r;
        }

        @Override
        public DnsAnswer<String> txt(String name) {
            queries.incrementAndGet();
            String n = name.toLowerCase(Locale.ROOT);
            if (failing.containsKey(n)) return DnsAnswer.failure(failing.get(n));
            List<String> r = txt.get(n);
            return r == null ? DnsAnswer.nxdomain(false) : DnsAnswer.of(new ArrayList<>(r), false);
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
