package dev.sealpost.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The test JVM's name resolution (JEP 418 provider, registered in META-INF/services): every
 * name under {@code .test} (RFC 2606) is 127.0.0.1, so clients can reach
 * {@code https://mta-sts.example.test:PORT/} by its real name; {@code localhost} goes to the
 * JDK's own resolver (the hosts file) and every other name fails: no test reaches real DNS.
 */
public final class TestHostsResolver extends InetAddressResolverProvider {
    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                String h = host.toLowerCase(Locale.ROOT);
                if (h.endsWith(".test") || h.endsWith(".test.")) {
                    return Stream.of(InetAddress.getByAddress(host, new byte[]{127, 0, 0, 1}));
                }
                if (h.equals("localhost")) return builtin.lookupByName(host, policy);
                throw new UnknownHostException(host + ": tests resolve only *.test and localhost");
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                if (addr.length == 4 && addr[0] == 127) return builtin.lookupByAddress(addr);
                throw new UnknownHostException("tests do no reverse look-ups");
            }
        };
    }

    @Override
    public String name() {
        return "sealpost-test-hosts";
    }
}
