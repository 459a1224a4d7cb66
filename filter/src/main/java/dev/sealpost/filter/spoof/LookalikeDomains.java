package dev.sealpost.filter.spoof;

import com.ibm.icu.text.SpoofChecker;
import dev.sealpost.dns.PublicSuffixList;

import java.net.IDN;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a domain imitates one of a protected set: UTS #39 confusable skeletons
 * (ICU4J's {@link SpoofChecker}: {@code pаypal.com} with a Cyrillic а, {@code paypa1.com},
 * {@code rnicrosoft.com}), a restriction level below "moderately restrictive" (a label mixing
 * Latin with Cyrillic or Greek), an edit distance of one or two on the registrable label (Public
 * Suffix List: {@code examp1e-bank.com}, {@code exmaple.com}), and a protected registrable domain
 * written as labels of another one ({@code paypal.com.evil.net}). A domain in the same registrable
 * domain as a protected one is never a lookalike. The same label under another public suffix
 * ({@code shop.co.za} for {@code shop.com}) is not one either: companies hold their name under
 * many suffixes. Thread-safe after construction; never throws on input.
 */
public final class LookalikeDomains {
    /** What a domain was found to imitate. {@code target} is null for a mixed-script name with no protected match. */
    public record Match(String domain, String target, String reason) {}

    private static final int MAX_NAME = 253;

    private final PublicSuffixList psl;
    private final Map<String, Protected> protectedDomains = new LinkedHashMap<>();
    private final SpoofChecker checker;

    private record Protected(String registrable, String label, String skeleton, String labelSkeleton) {}

    public LookalikeDomains(PublicSuffixList psl, Collection<String> domains) {
        this.psl = Objects.requireNonNull(psl, "psl");
        this.checker = new SpoofChecker.Builder()
                .setChecks(SpoofChecker.CONFUSABLE | SpoofChecker.RESTRICTION_LEVEL | SpoofChecker.MIXED_NUMBERS)
                .setRestrictionLevel(SpoofChecker.RestrictionLevel.MODERATELY_RESTRICTIVE)
                .build();
        for (String d : domains) {
            String reg = registrable(d);
            if (reg == null || protectedDomains.containsKey(reg)) continue;
            String u = unicode(reg);
            String label = label(reg);
            protectedDomains.put(reg, new Protected(reg, label, skeleton(u), skeleton(unicode(label))));
        }
    }

    /** The protected registrable domains, A-label form. */
    public Collection<String> protectedDomains() {
        return protectedDomains.keySet();
    }

    /** True when {@code domain} is in the registrable domain of a protected one. */
    public boolean isProtected(String domain) {
        String reg = registrable(domain);
        return reg != null && protectedDomains.containsKey(reg);
    }

    /** The registrable domain (A-labels, lower case) of a name, the name itself when it is a suffix, or null when invalid. */
    public String registrable(String domain) {
        String a = ascii(domain);
        if (a == null) return null;
        String org = psl.organizationalDomain(a);
        return org == null ? a : org;
    }

    /** Answers by domain: the same senders and link hosts recur; cleared when it reaches {@link #CACHE_SIZE}. */
    private final java.util.concurrent.ConcurrentHashMap<String, Optional<Match>> cache = new java.util.concurrent.ConcurrentHashMap<>();
    static final int CACHE_SIZE = 10_000;

    /** The first protected domain {@code domain} imitates, or a mixed-script finding, or empty. */
    public Optional<Match> match(String domain) {
        if (domain == null || domain.length() > MAX_NAME * 4) return Optional.empty();
        Optional<Match> known = cache.get(domain);
        if (known != null) return known;
        Optional<Match> m = compute(domain);
        if (cache.size() >= CACHE_SIZE) cache.clear(); // bounded memory; a cold start costs microseconds per domain
        cache.put(domain, m);
        return m;
    }

    private Optional<Match> compute(String domain) {
        String a = ascii(domain);
        if (a == null) return Optional.empty();
        String reg = registrable(a);
        if (reg == null || protectedDomains.containsKey(reg)) return Optional.empty(); // same registrable domain
        String u = unicode(reg);
        String skel = skeleton(u);
        String label = label(reg);
        String labelSkel = skeleton(unicode(label));
        for (Protected p : protectedDomains.values()) {
            if (skel.equals(p.skeleton())) {
                return Optional.of(new Match(domain, p.registrable(), "confusable with " + p.registrable() + " (UTS #39 skeleton)"));
            }
            boolean sameSuffix = suffix(reg).equals(suffix(p.registrable()));
            if (sameSuffix && !label.equals(p.label()) && labelSkel.equals(p.labelSkeleton())) {
                return Optional.of(new Match(domain, p.registrable(), "confusable with " + p.registrable() + " (UTS #39 skeleton)"));
            }
            int len = Math.min(p.label().length(), label.length()); // short names sit one edit from many others
            int allowed = len >= 9 ? 2 : len >= 5 ? 1 : 0;
            if (allowed > 0 && !label.equals(p.label())) {
                // on the labels and on their skeletons: a skeleton turns "m" into "rn", which hides a swap of "m"
                int d = Math.min(distance(label, p.label(), allowed), distance(labelSkel, p.labelSkeleton(), allowed));
                if (d <= allowed) {
                    return Optional.of(new Match(domain, p.registrable(), "edit distance " + d + " from " + p.registrable()));
                }
            }
            // a protected domain written as leading labels of another: paypal.com.evil.net
            if (embeds(a, p.registrable())) {
                return Optional.of(new Match(domain, p.registrable(), p.registrable() + " used as labels of " + reg));
            }
        }
        String mixed = mixedScript(unicode(a));
        if (mixed != null) return Optional.of(new Match(domain, null, mixed));
        return Optional.empty();
    }

    /** True when {@code name} holds {@code reg} followed by a dot, at its start or after a dot or hyphen. */
    private static boolean embeds(String name, String reg) {
        String needle = reg + ".";
        for (int i = name.indexOf(needle); i >= 0; i = name.indexOf(needle, i + 1)) {
            if (i == 0 || name.charAt(i - 1) == '.' || name.charAt(i - 1) == '-') return true;
        }
        return false;
    }

    /** A description when some label mixes scripts below the moderately restrictive level (UTS #39 §5.2), else null. */
    public String mixedScript(String unicodeName) {
        for (String label : unicodeName.split("\\.")) {
            if (label.isEmpty() || label.chars().allMatch(c -> c < 0x80)) continue;
            SpoofChecker.CheckResult r = new SpoofChecker.CheckResult();
            if (checker.failsChecks(label, r) && (r.checks & SpoofChecker.RESTRICTION_LEVEL) != 0) {
                return "mixed scripts in label " + label + " (" + r.restrictionLevel + ")";
            }
            if ((r.checks & SpoofChecker.MIXED_NUMBERS) != 0) return "mixed digit systems in label " + label;
        }
        return null;
    }

    /** UTS #39 §4 skeleton of the lower-cased name (equality first, as ICU's note advises, is done by the caller). */
    String skeleton(String s) {
        try {
            return checker.getSkeleton(s.toLowerCase(Locale.ROOT));
        } catch (RuntimeException e) {
            return s;
        }
    }

    private String suffix(String reg) {
        String s = psl.publicSuffix(reg);
        return s == null ? "" : s;
    }

    /** The registrable domain without its public suffix: {@code example} of {@code example.co.uk}. */
    private String label(String reg) {
        String s = psl.publicSuffix(reg);
        if (s == null || s.length() >= reg.length()) return reg;
        return reg.substring(0, reg.length() - s.length() - 1);
    }

    /** A-label form, lower case, no trailing dot; null when not a valid name (RFC 5891 §5 through java.net.IDN). */
    public static String ascii(String domain) {
        if (domain == null) return null;
        String d = domain.strip().toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) d = d.substring(0, d.length() - 1);
        if (d.isEmpty() || d.length() > MAX_NAME * 4 || d.startsWith(".") || d.contains("..")) return null;
        try {
            String a = IDN.toASCII(d, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            return a.isEmpty() || a.length() > MAX_NAME ? null : a;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** U-label form of an A-label name (RFC 5891 §5.2), or the name when it cannot be converted. */
    public static String unicode(String ascii) {
        try {
            return IDN.toUnicode(ascii, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return ascii;
        }
    }

    /** Optimal string alignment distance (Levenshtein with adjacent transpositions), stopping early past {@code max}. */
    static int distance(String a, String b, int max) {
        if (Math.abs(a.length() - b.length()) > max) return max + 1;
        if (a.length() > 256 || b.length() > 256) return max + 1;
        int n = a.length(), m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) d[i][0] = i;
        for (int j = 0; j <= m; j++) d[0][j] = j;
        for (int i = 1; i <= n; i++) {
            int rowMin = Integer.MAX_VALUE;
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
                rowMin = Math.min(rowMin, v);
            }
            if (rowMin > max) return max + 1;
        }
        return d[n][m];
    }

    /** Every protected domain a list of domains imitates, first match per domain. */
    public List<Match> matchAll(Collection<String> domains) {
        List<Match> out = new ArrayList<>();
        for (String d : domains) match(d).ifPresent(out::add);
        return out;
    }
}
