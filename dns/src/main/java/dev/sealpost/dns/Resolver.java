package dev.sealpost.dns;

import java.net.InetAddress;

/**
 * Typed DNS look-ups. Names are absolute, without the trailing dot, in A-label form.
 * Implementations never throw for DNS outcomes (those are {@link DnsAnswer.Status} values) and
 * bound each query's time; they are thread-safe.
 */
public interface Resolver {
    /** TXT records; each record's character-strings are concatenated (RFC 7208 §3.3, RFC 6376 §3.6.2.2), decoded as UTF-8 leniently. */
    DnsAnswer<String> txt(String name);

    /** A records (IPv4). */
    DnsAnswer<InetAddress> a(String name);

    /** AAAA records (IPv6). */
    DnsAnswer<InetAddress> aaaa(String name);

    /** MX records, in the order received (callers sort by preference). */
    DnsAnswer<MxRecord> mx(String name);

    /** PTR names for an address ({@code in-addr.arpa} / {@code ip6.arpa} built by the implementation). */
    DnsAnswer<String> ptr(InetAddress address);

    /** TLSA records at a name such as {@code _25._tcp.mx.example.com} (RFC 6698, RFC 7672). */
    DnsAnswer<TlsaRecord> tlsa(String name);

    /**
     * OPENPGPKEY records (RFC 7929 §2): each record's data, a binary OpenPGP certificate. The default
     * answers SERVFAIL (an implementation that cannot ask for the type never claims "no key").
     */
    default DnsAnswer<byte[]> openpgpkey(String name) {
        return DnsAnswer.failure(DnsAnswer.Status.SERVFAIL);
    }

    /**
     * SMIMEA records (RFC 8162 §2: the TLSA wire format, RFC 6698 §2.1). The default answers SERVFAIL.
     */
    default DnsAnswer<TlsaRecord> smimea(String name) {
        return DnsAnswer.failure(DnsAnswer.Status.SERVFAIL);
    }
}
