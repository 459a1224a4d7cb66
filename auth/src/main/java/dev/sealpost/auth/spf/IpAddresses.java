package dev.sealpost.auth.spf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Strict IP literal parsing and formatting for SPF, with no DNS involved. Package-private: the
 * verifier, the record parser and the tests share it.
 */
final class IpAddresses {
    private IpAddresses() {}

    /**
     * RFC 7208 §12 {@code ip4-network = qnum "." qnum "." qnum "." qnum}; {@code qnum} has no
     * leading zeros and is at most 255.
     *
     * @return the four octets, or null when the text is not a dotted quad
     */
    static byte[] parseIp4(String s) {
        if (s.isEmpty() || s.length() > 15) return null;
        byte[] out = new byte[4];
        int part = 0;
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '.') {
                if (part >= 4) return null;
                int len = i - start;
                if (len < 1 || len > 3) return null;
                if (len > 1 && s.charAt(start) == '0') return null; // RFC 7208 §12 qnum: no leading zero
                int v = 0;
                for (int k = start; k < i; k++) {
                    char c = s.charAt(k);
                    if (c < '0' || c > '9') return null;
                    v = v * 10 + (c - '0');
                }
                if (v > 255) return null;
                out[part++] = (byte) v;
                start = i + 1;
            }
        }
        return part == 4 ? out : null;
    }

    /**
     * RFC 4291 §2.2 text forms (RFC 7208 §12 refers to RFC 4291 for {@code ip6-network}): eight
     * groups of 1-4 hex digits, one optional {@code ::}, and an optional dotted quad in the last
     * 32 bits. No zone ids, no brackets.
     *
     * @return the sixteen octets, or null when the text is not an IPv6 address
     */
    static byte[] parseIp6(String s) {
        if (s.length() < 2 || s.length() > 45) return null;
        int dc = s.indexOf("::");
        String left;
        String right;
        if (dc >= 0) {
            left = s.substring(0, dc);
            right = s.substring(dc + 2);
            if (right.contains("::")) return null;
        } else {
            left = s;
            right = null;
        }
        int[] lg = groups(left, right == null);
        if (lg == null) return null;
        int[] rg = right == null ? new int[0] : groups(right, true);
        if (rg == null) return null;
        int total = lg.length + rg.length;
        if (right == null ? total != 8 : total > 7) return null;
        byte[] out = new byte[16];
        for (int i = 0; i < lg.length; i++) {
            out[2 * i] = (byte) (lg[i] >> 8);
            out[2 * i + 1] = (byte) lg[i];
        }
        for (int i = 0; i < rg.length; i++) {
            int g = 8 - rg.length + i;
            out[2 * g] = (byte) (rg[i] >> 8);
            out[2 * g + 1] = (byte) rg[i];
        }
        return out;
    }

    /** Hex groups of one side of "::"; a dotted quad is allowed as the final element when {@code last}. */
    private static int[] groups(String part, boolean last) {
        if (part.isEmpty()) return new int[0];
        String[] items = part.split(":", -1);
        int[] tmp = new int[items.length + 1];
        int n = 0;
        for (int i = 0; i < items.length; i++) {
            String g = items[i];
            if (last && i == items.length - 1 && g.indexOf('.') >= 0) {
                byte[] v4 = parseIp4(g);
                if (v4 == null) return null;
                tmp[n++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                tmp[n++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                continue;
            }
            if (g.isEmpty() || g.length() > 4) return null;
            int v = 0;
            for (int k = 0; k < g.length(); k++) {
                int d = Character.digit(g.charAt(k), 16);
                if (d < 0 || g.charAt(k) > 'f') return null;
                v = v * 16 + d;
            }
            tmp[n++] = v;
        }
        if (n > 8) return null;
        return Arrays.copyOf(tmp, n);
    }

    /** An IPv4 or IPv6 literal as an address (IPv4-mapped IPv6 becomes IPv4), or null. */
    static InetAddress parse(String literal) {
        byte[] b = parseIp4(literal);
        if (b == null) b = parseIp6(literal);
        if (b == null) return null;
        try {
            return normalize(InetAddress.getByAddress(b)); // a byte array: no name service involved
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** RFC 7208 §5 (end): an IPv4-mapped IPv6 address (RFC 4291 §2.5.5.2) is an IPv4 address for SPF. */
    static InetAddress normalize(InetAddress ip) {
        if (ip instanceof Inet6Address six) {
            byte[] b = six.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) if (b[i] != 0) mapped = false;
            if (mapped && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                try {
                    return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return ip;
    }

    /** True when the first {@code prefix} bits of both addresses (same length) agree. */
    static boolean matches(byte[] a, byte[] b, int prefix) {
        if (a.length != b.length || prefix < 0 || prefix > a.length * 8) return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++) if (a[i] != b[i]) return false;
        int rest = prefix % 8;
        if (rest == 0) return true;
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (b[full] & mask);
    }

    /**
     * RFC 7208 §7.3 {@code i} macro: IPv4 in dotted-quad form; IPv6 as 32 dot-separated nibbles.
     * The nibbles are upper case, as pyspf writes them and as the openspf suite's explanation
     * test (v-macro-ip6) expects; DNS does not care about the case (RFC 4343).
     */
    static String macroI(InetAddress ip) {
        byte[] b = ip.getAddress();
        if (b.length == 4) return ip4(b);
        StringBuilder sb = new StringBuilder(63);
        String hex = HexFormat.of().withUpperCase().formatHex(b);
        for (int i = 0; i < hex.length(); i++) {
            if (i > 0) sb.append('.');
            sb.append(hex.charAt(i));
        }
        return sb.toString();
    }

    /** RFC 7208 §7.3 {@code c} macro: the readable form; IPv6 per RFC 5952 §4 (lower case, longest zero run compressed). */
    static String readable(InetAddress ip) {
        byte[] b = ip.getAddress();
        if (b.length == 4) return ip4(b);
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        if (bestLen < 2) bestStart = -1; // RFC 5952 §4.2.2: a single 0 group is not shortened
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    private static String ip4(byte[] b) {
        return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }

    static boolean isIp4(InetAddress ip) {
        return ip instanceof Inet4Address;
    }
}
