package dev.sealpost.filter.links;

import dev.sealpost.dns.PublicSuffixList;
import dev.sealpost.filter.Check;
import dev.sealpost.filter.FilterInput;
import dev.sealpost.filter.Hit;
import dev.sealpost.filter.MessageParts;
import dev.sealpost.filter.spoof.LookalikeDomains;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The link checks over the text/plain and text/html parts of a message. Hits (one per name, up to
 * three details):
 * <ul>
 *   <li>{@code phishing_link} (4: below junk alone, as newsletter click trackers show one site and
 *       go to another): an anchor's text names a site (a URL or a domain) in another
 *       registrable domain than its target. Not when the two differ only by public suffix
 *       ({@code shop.com} shown, {@code shop.co.za} linked), nor when the target is a redirector
 *       whose embedded URLs all end at the shown site (followed through nested redirectors);</li>
 *   <li>{@code ip_link} (2): a link to an IP address (in any form browsers accept);</li>
 *   <li>{@code url_shortener} (1): a link through a shortener (bundled list plus configured ones);</li>
 *   <li>{@code lookalike_link} (5): a link to a domain that imitates a protected one ({@link LookalikeDomains}).</li>
 * </ul>
 */
public final class LinkCheck implements Check {
    public static final Map<String, Double> WEIGHTS = Map.of("phishing_link", 4.0, "ip_link", 2.0, "url_shortener", 1.0,
            "lookalike_link", 5.0);
    private static final Pattern TLD = Pattern.compile("[a-z]{2,63}|xn--[a-z0-9-]{1,59}");

    private final PublicSuffixList psl;
    private final LookalikeDomains lookalikes;
    private final Set<String> shorteners;

    /**
     * @param psl          the Public Suffix List
     * @param lookalikes   the protected domains for {@code lookalike_link}, or null for none
     * @param moreShorteners shortener domains added to the bundled list
     */
    public LinkCheck(PublicSuffixList psl, LookalikeDomains lookalikes, Collection<String> moreShorteners) {
        this.psl = Objects.requireNonNull(psl, "psl");
        this.lookalikes = lookalikes;
        Set<String> s = new HashSet<>(bundledShorteners());
        for (String d : moreShorteners) s.add(d.toLowerCase(Locale.ROOT));
        this.shorteners = Set.copyOf(s);
    }

    /** The bundled shortener list ({@code shorteners.txt}). */
    public static Set<String> bundledShorteners() {
        Set<String> out = new HashSet<>();
        try (InputStream in = LinkCheck.class.getResourceAsStream("shorteners.txt")) {
            if (in == null) throw new IllegalStateException("shorteners.txt missing from the filter module");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) out.add(line.toLowerCase(Locale.ROOT));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read shorteners.txt", e);
        }
        return out;
    }

    @Override
    public String name() {
        return "links";
    }

    @Override
    public List<Hit> run(FilterInput input) {
        List<Link> links = new ArrayList<>();
        for (MessageParts.Leaf leaf : MessageParts.leaves(input, 100, LinkExtractor.MAX_TEXT)) {
            var p = leaf.part();
            if (!p.type().equals("text") || leaf.fileName() != null || "attachment".equals(p.disposition())) continue;
            if (p.subtype().equals("html")) links.addAll(LinkExtractor.fromHtml(leaf.text()));
            else if (p.subtype().equals("plain")) links.addAll(LinkExtractor.fromPlain(leaf.text()));
            if (links.size() >= LinkExtractor.MAX_LINKS) break;
        }
        return check(links);
    }

    /** The hits for a list of links. */
    public List<Hit> check(List<Link> links) {
        Map<String, List<String>> found = new LinkedHashMap<>();
        int n = 0;
        for (Link l : links) {
            if (n++ >= LinkExtractor.MAX_LINKS) break;
            String host = Urls.host(l.href());
            if (host == null) continue;
            String phish = phishing(l, host);
            if (phish != null) add(found, "phishing_link", phish);
            if (Urls.isIp(host)) add(found, "ip_link", host);
            String reg = registrable(host);
            if (shorteners.contains(host) || (reg != null && shorteners.contains(reg))) add(found, "url_shortener", host);
            if (lookalikes != null && !Urls.isIp(host)) {
                lookalikes.match(host).ifPresent(m -> add(found, "lookalike_link", host + ": " + m.reason()));
            }
        }
        List<Hit> out = new ArrayList<>();
        found.forEach((name, d) -> out.add(new Hit(name, WEIGHTS.get(name), String.join("; ", d))));
        return out;
    }

    private static void add(Map<String, List<String>> found, String name, String detail) {
        List<String> d = found.computeIfAbsent(name, k -> new ArrayList<>());
        if (d.size() < 3 && !d.contains(detail)) d.add(detail);
    }

    /** The phishing finding for one anchor, or null. */
    private String phishing(Link l, String hrefHost) {
        if (!l.html()) return null;
        String shown = shownHost(l.text());
        if (shown == null) return null;
        if (Urls.isIp(hrefHost)) return Urls.isIp(shown) && shown.equals(hrefHost) ? null : "shows " + shown + ", goes to " + hrefHost;
        if (sameSite(shown, hrefHost)) return null;
        List<String> targets = Urls.embeddedTargets(l.href());
        if (!targets.isEmpty()) {
            for (String t : targets) {
                String th = Urls.host(t);
                if (th == null || !sameSite(shown, th)) {
                    return "shows " + shown + ", goes to " + hrefHost + " then " + (th == null ? "?" : th);
                }
            }
            return null; // a redirector to the very site shown
        }
        return "shows " + shown + ", goes to " + hrefHost;
    }

    /** The same registrable domain, or the same registrable label under another public suffix. */
    private boolean sameSite(String a, String b) {
        String ra = registrable(a), rb = registrable(b);
        if (ra == null || rb == null) return a.equals(b);
        if (ra.equals(rb)) return true;
        String la = label(ra), lb = label(rb);
        return la != null && la.equals(lb);
    }

    private String registrable(String host) {
        if (Urls.isIp(host)) return host;
        String a = LookalikeDomains.ascii(host);
        if (a == null) return null;
        String org = psl.organizationalDomain(a);
        return org == null ? a : org;
    }

    private String label(String reg) {
        String s = psl.publicSuffix(reg);
        if (s == null || s.length() >= reg.length()) return null;
        return reg.substring(0, reg.length() - s.length() - 1);
    }

    /**
     * The host a link's text names: the text is one URL, or one domain name (optionally with a
     * path) whose last label is alphabetic; otherwise null ("Click here" names nothing).
     */
    String shownHost(String text) {
        if (text == null) return null;
        String t = text.strip();
        while (!t.isEmpty() && "<([\"'".indexOf(t.charAt(0)) >= 0) t = t.substring(1);
        while (!t.isEmpty() && ">)]\"'.,;:!?".indexOf(t.charAt(t.length() - 1)) >= 0) t = t.substring(0, t.length() - 1);
        if (t.isEmpty() || t.length() > LinkExtractor.MAX_URL || t.chars().anyMatch(Character::isWhitespace)) return null;
        String host = Urls.host(t);
        if (host == null) {
            if (t.contains("@") || t.contains(":")) return null; // an address or another scheme
            host = Urls.host("http://" + t);
        }
        if (host == null) return null;
        if (Urls.isIp(host)) return host;
        int dot = host.lastIndexOf('.');
        if (dot <= 0) return null;
        String a = LookalikeDomains.ascii(host);
        if (a == null || !TLD.matcher(a.substring(a.lastIndexOf('.') + 1)).matches()) return null;
        return host;
    }
}
