package dev.sealpost.auth.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A parsed SPF record (RFC 7208 §4.5, §4.6, §12): the directives in order, {@code redirect=},
 * {@code exp=} and the names of unknown modifiers. Parsing is strict (any syntax error anywhere is
 * a permerror, RFC 7208 §4.6) and bounded: records longer than {@link #MAX_LENGTH} characters or
 * with more than {@link #MAX_TERMS} terms are refused.
 *
 * @param directives       mechanisms with their qualifiers, in record order
 * @param redirect         the {@code redirect=} domain-spec, or null
 * @param explanation      the {@code exp=} domain-spec, or null
 * @param unknownModifiers names of modifiers this implementation ignores (RFC 7208 §6), lower case
 */
public record SpfRecord(List<Directive> directives, MacroString redirect, MacroString explanation,
                        List<String> unknownModifiers) {
    /** Longest record text accepted; RFC 7208 §3.4 asks publishers to stay below 450 octets. */
    public static final int MAX_LENGTH = 8192;
    /** Most terms accepted in one record. */
    public static final int MAX_TERMS = 512;

    private static final Pattern MODIFIER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.\\-]*");

    public SpfRecord {
        directives = List.copyOf(directives);
        unknownModifiers = List.copyOf(unknownModifiers);
    }

    /** RFC 7208 §4.6.2 qualifiers and the result each gives on a match. */
    public enum Qualifier {
        PASS('+', SpfResult.PASS), FAIL('-', SpfResult.FAIL), SOFTFAIL('~', SpfResult.SOFTFAIL), NEUTRAL('?', SpfResult.NEUTRAL);

        private final char symbol;
        private final SpfResult result;

        Qualifier(char symbol, SpfResult result) {
            this.symbol = symbol;
            this.result = result;
        }

        public char symbol() {
            return symbol;
        }

        public SpfResult result() {
            return result;
        }

        static Qualifier of(char c) {
            for (Qualifier q : values()) if (q.symbol == c) return q;
            return null;
        }
    }

    /** RFC 7208 §5 mechanisms. Domain-specs are null where the mechanism defaults to the current domain. */
    public sealed interface Mechanism {
        /** True for the terms that count against the 10 DNS-lookup limit (RFC 7208 §4.6.4). */
        default boolean causesLookup() {
            return !(this instanceof All || this instanceof Ip4 || this instanceof Ip6);
        }
    }

    /** RFC 7208 §5.1. */
    public record All() implements Mechanism {}

    /** RFC 7208 §5.2. */
    public record Include(MacroString domain) implements Mechanism {}

    /** RFC 7208 §5.3, with the dual CIDR lengths (32 and 128 when absent). */
    public record A(MacroString domain, int cidr4, int cidr6) implements Mechanism {}

    /** RFC 7208 §5.4, with the dual CIDR lengths. */
    public record Mx(MacroString domain, int cidr4, int cidr6) implements Mechanism {}

    /** RFC 7208 §5.5 (its use is discouraged, but it must still be evaluated). */
    public record Ptr(MacroString domain) implements Mechanism {}

    /** RFC 7208 §5.6: an IPv4 network. */
    public record Ip4(byte[] network, int prefix) implements Mechanism {
        public Ip4 {
            network = network.clone();
        }

        @Override
        public byte[] network() {
            return network.clone();
        }

        boolean contains(byte[] ip) {
            return IpAddresses.matches(network, ip, prefix);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ip4 other && prefix == other.prefix && java.util.Arrays.equals(network, other.network);
        }

        @Override
        public int hashCode() {
            return 31 * java.util.Arrays.hashCode(network) + prefix;
        }

        @Override
        public String toString() {
            return "Ip4[" + java.util.HexFormat.of().formatHex(network) + "/" + prefix + "]";
        }
    }

    /** RFC 7208 §5.6: an IPv6 network. */
    public record Ip6(byte[] network, int prefix) implements Mechanism {
        public Ip6 {
            network = network.clone();
        }

        @Override
        public byte[] network() {
            return network.clone();
        }

        boolean contains(byte[] ip) {
            return IpAddresses.matches(network, ip, prefix);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ip6 other && prefix == other.prefix && java.util.Arrays.equals(network, other.network);
        }

        @Override
        public int hashCode() {
            return 31 * java.util.Arrays.hashCode(network) + prefix;
        }

        @Override
        public String toString() {
            return "Ip6[" + java.util.HexFormat.of().formatHex(network) + "/" + prefix + "]";
        }
    }

    /** RFC 7208 §5.7. */
    public record Exists(MacroString domain) implements Mechanism {}

    /**
     * A directive: qualifier and mechanism (RFC 7208 §4.6.1).
     *
     * @param text the term as written, for Received-SPF / logs
     */
    public record Directive(Qualifier qualifier, Mechanism mechanism, String text) {}

    /** The outcome of parsing: a record, or the reason it is invalid (a permerror). */
    public sealed interface Parsed permits Valid, Invalid {}

    public record Valid(SpfRecord record) implements Parsed {}

    public record Invalid(String reason) implements Parsed {}

    /**
     * RFC 7208 §4.5: a TXT record is an SPF record when it starts with "v=spf1" (case-insensitive)
     * followed by a space or the end of the record.
     */
    public static boolean isSpfRecord(String txt) {
        return txt.regionMatches(true, 0, "v=spf1", 0, 6) && (txt.length() == 6 || txt.charAt(6) == ' ');
    }

    /** Parses the text of one selected SPF record; never throws. */
    public static Parsed parse(String text) {
        try {
            return new Valid(parseOrThrow(text));
        } catch (MacroString.SyntaxException e) {
            return new Invalid(e.getMessage());
        }
    }

    private static SpfRecord parseOrThrow(String text) throws MacroString.SyntaxException {
        if (text.length() > MAX_LENGTH) throw new MacroString.SyntaxException("record longer than " + MAX_LENGTH + " characters");
        if (!isSpfRecord(text)) throw new MacroString.SyntaxException("not a v=spf1 record");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // RFC 7208 §3.1 / §12: records are 7-bit ASCII; terms are separated by SP only (§4.6.1)
            if (c < 0x20 || c > 0x7e) {
                throw new MacroString.SyntaxException("invalid character 0x" + Integer.toHexString(c) + " at offset " + i);
            }
        }
        List<Directive> directives = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        MacroString redirect = null;
        MacroString exp = null;
        int terms = 0;
        // RFC 7208 §12: record = version terms *SP; terms = *( 1*SP ( directive / modifier ) )
        for (String term : text.substring(6).split(" ")) {
            if (term.isEmpty()) continue;
            if (++terms > MAX_TERMS) throw new MacroString.SyntaxException("more than " + MAX_TERMS + " terms");
            int eq = term.indexOf('=');
            if (eq > 0 && MODIFIER_NAME.matcher(term.substring(0, eq)).matches()) {
                // RFC 7208 §4.6.1: a modifier is name "=" ...; "redirect"/"exp" are never unknown-modifiers
                String name = term.substring(0, eq).toLowerCase(Locale.ROOT);
                String value = term.substring(eq + 1);
                switch (name) {
                    case "redirect" -> {
                        // RFC 7208 §6: redirect and exp MUST NOT appear more than once each
                        if (redirect != null) throw new MacroString.SyntaxException("redirect= appears twice");
                        redirect = domainSpec(value, "redirect=");
                    }
                    case "exp" -> {
                        if (exp != null) throw new MacroString.SyntaxException("exp= appears twice");
                        // RFC 7208 §6.2 with the erratum the suite follows: an empty exp= is a syntax error
                        exp = domainSpec(value, "exp=");
                    }
                    default -> {
                        MacroString.parse(value, MacroString.Kind.MODIFIER); // RFC 7208 §12 unknown-modifier syntax
                        unknown.add(name);
                    }
                }
                continue;
            }
            directives.add(directive(term));
        }
        return new SpfRecord(directives, redirect, exp, unknown);
    }

    private static Directive directive(String term) throws MacroString.SyntaxException {
        Qualifier q = Qualifier.of(term.charAt(0));
        String rest = q == null ? term : term.substring(1);
        if (q == null) q = Qualifier.PASS; // RFC 7208 §4.6.2: the default qualifier is "+"
        int end = 0;
        while (end < rest.length() && Character.isLetterOrDigit(rest.charAt(end)) && rest.charAt(end) < 0x80) end++;
        String name = rest.substring(0, end).toLowerCase(Locale.ROOT);
        String args = rest.substring(end);
        Mechanism m = switch (name) {
            case "all" -> {
                if (!args.isEmpty()) throw bad(term, "\"all\" takes no argument"); // RFC 7208 §5.1
                yield new All();
            }
            case "include" -> new Include(requiredDomain(term, args)); // RFC 7208 §5.2
            case "exists" -> new Exists(requiredDomain(term, args)); // RFC 7208 §5.7
            case "ptr" -> { // RFC 7208 §5.5: PTR = "ptr" [ ":" domain-spec ]
                if (args.isEmpty()) yield new Ptr(null);
                yield new Ptr(requiredDomain(term, args));
            }
            case "a", "mx" -> {
                // RFC 7208 §5.3/§5.4: [ ":" domain-spec ] [ dual-cidr-length ]
                int cidr6 = 128;
                int cidr4 = 32;
                String body = args;
                int dd = body.lastIndexOf("//");
                if (dd >= 0 && digitsOnly(body, dd + 2)) {
                    cidr6 = cidr(term, body.substring(dd + 2), 128);
                    body = body.substring(0, dd);
                }
                int d = body.lastIndexOf('/');
                if (d >= 0 && digitsOnly(body, d + 1)) {
                    cidr4 = cidr(term, body.substring(d + 1), 32);
                    body = body.substring(0, d);
                }
                MacroString domain = null;
                if (!body.isEmpty()) domain = requiredDomain(term, body);
                yield name.equals("a") ? new A(domain, cidr4, cidr6) : new Mx(domain, cidr4, cidr6);
            }
            case "ip4" -> { // RFC 7208 §5.6: "ip4" ":" ip4-network [ ip4-cidr-length ]
                if (!args.startsWith(":")) throw bad(term, "ip4 needs \":\" and a network");
                String net = args.substring(1);
                int prefix = 32;
                int slash = net.indexOf('/');
                if (slash >= 0) {
                    prefix = cidr(term, net.substring(slash + 1), 32);
                    net = net.substring(0, slash);
                }
                byte[] b = IpAddresses.parseIp4(net);
                if (b == null) throw bad(term, "invalid IPv4 network");
                yield new Ip4(b, prefix);
            }
            case "ip6" -> { // RFC 7208 §5.6: "ip6" ":" ip6-network [ ip6-cidr-length ]
                if (!args.startsWith(":")) throw bad(term, "ip6 needs \":\" and a network");
                String net = args.substring(1);
                int prefix = 128;
                int slash = net.indexOf('/');
                if (slash >= 0) {
                    prefix = cidr(term, net.substring(slash + 1), 128);
                    net = net.substring(0, slash);
                }
                byte[] b = IpAddresses.parseIp6(net);
                if (b == null) throw bad(term, "invalid IPv6 network");
                yield new Ip6(b, prefix);
            }
            // RFC 7208 §4.6.1 / §5: an unknown mechanism is a permerror
            default -> throw bad(term, "unknown mechanism");
        };
        return new Directive(q, m, term);
    }

    private static boolean digitsOnly(String s, int from) {
        if (from >= s.length()) return false;
        for (int i = from; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    /** RFC 7208 §12 ip4-cidr-length / ip6-cidr-length: no leading zeros, at most 32 / 128. */
    private static int cidr(String term, String digits, int max) throws MacroString.SyntaxException {
        if (!digitsOnly(digits, 0) || digits.length() > 3 || (digits.length() > 1 && digits.charAt(0) == '0')) {
            throw bad(term, "invalid CIDR length");
        }
        int v = Integer.parseInt(digits);
        if (v > max) throw bad(term, "CIDR length above " + max);
        return v;
    }

    private static MacroString requiredDomain(String term, String args) throws MacroString.SyntaxException {
        if (!args.startsWith(":")) throw bad(term, "expected \":\" and a domain-spec");
        return domainSpec(args.substring(1), term);
    }

    private static MacroString domainSpec(String spec, String where) throws MacroString.SyntaxException {
        if (spec.isEmpty()) throw new MacroString.SyntaxException("empty domain-spec in " + where);
        MacroString ms;
        try {
            ms = MacroString.parse(spec, MacroString.Kind.DOMAIN_SPEC);
        } catch (MacroString.SyntaxException e) {
            throw new MacroString.SyntaxException(e.getMessage() + " in " + where);
        }
        // RFC 7208 §7.1: domain-spec must end in a macro-expand or "." toplabel
        if (!ms.hasValidDomainEnd()) throw new MacroString.SyntaxException("invalid domain-spec (no valid top label) in " + where);
        return ms;
    }

    private static MacroString.SyntaxException bad(String term, String why) {
        return new MacroString.SyntaxException(why + ": " + term);
    }
}
