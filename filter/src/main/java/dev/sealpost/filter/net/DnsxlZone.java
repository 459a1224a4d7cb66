package dev.sealpost.filter.net;

import dev.sealpost.filter.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One configured DNS list (RFC 5782): a block list or allow list of IP addresses (DNSBL / DNSWL,
 * §2) or of domain names (URIBL, §3), how its answers are read, and what a listing weighs.
 *
 * @param zone          the list's zone, for example {@code zen.spamhaus.org} (A-label, no trailing dot)
 * @param kind          what is looked up: the client's IP or the domains of links
 * @param hit           the hit's name: {@code dnsbl_<name>}, {@code dnswl_<name>} or {@code uribl_<name>}
 *                      (see {@link #of}); at most 64 characters of {@code [a-z0-9_]}
 * @param codes         the return codes and their meanings; empty: any answer in 127.0.0.0/8 means "listed"
 *                      with {@code defaultWeight}
 * @param defaultWeight the weight of a listing when {@code codes} is empty, or of an answer in
 *                      127.0.0.0/8 that no code matches when {@code unknownCodesCount}
 * @param unknownCodesCount whether an answer no code matches still counts (with {@code defaultWeight})
 * @param action        a hit action for the listing (for example {@code reject} for a block list used
 *                      to refuse), merged into the pipeline's {@code FilterSettings.actions} by the caller; or null
 * @param txt           whether to fetch the TXT record of a listing for its reason (RFC 5782 §2.1)
 */
public record DnsxlZone(String zone, Kind kind, String hit, List<Code> codes, double defaultWeight,
                        boolean unknownCodesCount, Verdict.Action action, boolean txt) {

    /** What a zone lists. */
    public enum Kind {
        /** A block list of IP addresses (DNSBL): positive weights. */
        IP_BLOCK("dnsbl_"),
        /** An allow list of IP addresses (DNSWL): negative weights. */
        IP_ALLOW("dnswl_"),
        /** A list of domain names seen in message bodies (URIBL, RFC 5782 §3). */
        DOMAIN("uribl_");

        final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        public boolean ip() {
            return this != DOMAIN;
        }
    }

    /**
     * One return code: an exact address in 127.0.0.0/8 ({@code 127.0.0.2}), or with {@code mask}
     * not 0, a bit mask on the last octet (SURBL-style multi lists: {@code 127.0.0.x} with bit 4
     * set means one of its sublists).
     *
     * @param address an IPv4 address in 127.0.0.0/8 (ignored when {@code mask} is not 0)
     * @param mask    0 for an exact match; else the bits of the last octet that must intersect
     * @param meaning a short word for the detail ({@code sbl}, {@code xbl}, {@code pbl}, {@code phish})
     * @param weight  what this code adds to the score
     */
    public record Code(String address, int mask, String meaning, double weight) {
        public Code {
            Objects.requireNonNull(meaning, "meaning");
            if (mask < 0 || mask > 255) throw new IllegalArgumentException("dnsxl code mask must be 0-255: " + mask);
            if (mask == 0 && (address == null || !address.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}"))) {
                throw new IllegalArgumentException("dnsxl code must be an address in 127.0.0.0/8: " + address);
            }
            if (!Double.isFinite(weight)) throw new IllegalArgumentException("dnsxl code weight must be finite");
        }

        public static Code exact(String address, String meaning, double weight) {
            return new Code(address, 0, meaning, weight);
        }

        public static Code bits(int mask, String meaning, double weight) {
            return new Code(null, mask, meaning, weight);
        }

        /** True when this code matches the answer octets (an IPv4 answer in 127.0.0.0/8). */
        boolean matches(byte[] answer) {
            if (mask != 0) return (answer[3] & mask) != 0;
            return address.equals((answer[0] & 0xff) + "." + (answer[1] & 0xff) + "." + (answer[2] & 0xff) + "." + (answer[3] & 0xff));
        }
    }

    public DnsxlZone {
        Objects.requireNonNull(kind, "kind");
        zone = Objects.requireNonNull(zone, "zone").strip().toLowerCase(Locale.ROOT);
        while (zone.endsWith(".")) zone = zone.substring(0, zone.length() - 1);
        if (!zone.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)+") || zone.length() > 200) {
            throw new IllegalArgumentException("dnsxl zone must be a domain name in A-label form: " + zone);
        }
        if (hit == null) hit = hitName(kind, zone);
        if (!hit.matches("[a-z0-9_]{1,64}")) throw new IllegalArgumentException("dnsxl hit name must be [a-z0-9_]{1,64}: " + hit);
        codes = List.copyOf(codes);
        if (!Double.isFinite(defaultWeight)) throw new IllegalArgumentException("dnsxl default weight must be finite");
    }

    /**
     * A zone whose any answer in 127.0.0.0/8 means "listed" with {@code weight}, named after the zone
     * ({@code zen.spamhaus.org} as a block list gives the hit {@code dnsbl_zen_spamhaus_org}), with TXT reasons.
     */
    public static DnsxlZone of(String zone, Kind kind, double weight) {
        return new DnsxlZone(zone, kind, null, List.of(), weight, true, null, true);
    }

    /** The same zone with these codes (answers no code matches then do not count). */
    public DnsxlZone withCodes(List<Code> more) {
        List<Code> all = new ArrayList<>(codes);
        all.addAll(more);
        return new DnsxlZone(zone, kind, hit, all, defaultWeight, false, action, txt);
    }

    /** The same zone with a hit action. */
    public DnsxlZone withAction(Verdict.Action a) {
        return new DnsxlZone(zone, kind, hit, codes, defaultWeight, unknownCodesCount, a, txt);
    }

    /** The same zone with another hit name (its prefix is kept: {@code withName("spamhaus")} gives {@code dnsbl_spamhaus}). */
    public DnsxlZone withName(String name) {
        return new DnsxlZone(zone, kind, hitName(kind, name), codes, defaultWeight, unknownCodesCount, action, txt);
    }

    /** {@code <prefix><name>} with characters other than {@code [a-z0-9]} as "_", cut to 64 characters (hit names are bounded). */
    static String hitName(Kind kind, String name) {
        String n = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        String h = kind.prefix + (n.isEmpty() ? "zone" : n);
        return h.length() > 64 ? h.substring(0, 64) : h;
    }
}
