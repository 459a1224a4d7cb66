package dev.sealpost.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * An IPv4 or IPv6 network in CIDR notation (RFC 4632 §3.1, RFC 4291 §2.3), e.g.
 * {@code 192.0.2.0/24}, {@code 2001:db8::/32}; a bare address is a /32 or /128.
 *
 * @param network the address bytes with the host bits cleared
 * @param prefix  the prefix length
 */
public record Cidr(byte[] network, int prefix) {

    /** Parses an IP literal with an optional {@code /prefix}; never does a name look-up. */
    public static Optional<Cidr> parse(String text) {
        if (text == null) return Optional.empty();
        String t = text.trim();
        int slash = t.indexOf('/');
        String ip = slash < 0 ? t : t.substring(0, slash);
        if (ip.isEmpty() || !ip.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) return Optional.empty();
        byte[] bytes;
        try {
            // ofLiteral parses only: getByName would ask the system resolver for "1.2.3.4.5" (ADR 0006)
            bytes = InetAddress.ofLiteral(ip).getAddress();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (prefix < 0 || prefix > bytes.length * 8) return Optional.empty();
        }
        return Optional.of(new Cidr(mask(bytes, prefix), prefix));
    }

    /** True when {@code address} is inside this network (IPv4 and IPv6 never match each other). */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) return false;
        byte[] m = mask(a, prefix);
        return java.util.Arrays.equals(m, network);
    }

    private static byte[] mask(byte[] in, int prefix) {
        byte[] out = in.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff << (8 - bits));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
