package dev.sealpost.dns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The Public Suffix List (https://publicsuffix.org/list/), used to find a domain's
 * Organizational Domain (RFC 7489 §3.2) and public suffix.
 *
 * <p>The list is read from a file at run time ({@link #load(Path)}) so that operators can keep it
 * current; a copy is bundled ({@link #bundled()}, MPL-2.0, licence file beside it). Both the
 * ICANN and the PRIVATE sections are used, as the PSL test suite and most DMARC implementations
 * do. Rules are matched on A-labels; answers keep the form of the input (U-labels stay U-labels),
 * lower-cased.
 *
 * <p>Algorithm (https://github.com/publicsuffix/list/wiki/Format#algorithm): the prevailing rule
 * is an exception rule if one matches, else the matching rule with the most labels, else the
 * implicit {@code *}; an exception rule loses its leftmost label; the public suffix is the
 * domain's labels matching the prevailing rule; the registrable (Organizational) domain is the
 * public suffix plus one label.
 *
 * <p>Immutable and thread-safe.
 */
public final class PublicSuffixList {
    /** Bound on the list file: the real list is about 330 KB. */
    public static final long MAX_FILE_BYTES = 16L * 1024 * 1024;
    private static final int MAX_LINE = 1024;
    private static final String BUNDLED = "public_suffix_list.dat";

    private static volatile PublicSuffixList bundled;

    /** Plain rules ("com", "uk.com"), wildcard parents ("*.ck" stored as "ck"), exception rules ("www.ck" for "!www.ck"). */
    private final Set<String> rules;
    private final Set<String> wildcards;
    private final Set<String> exceptions;

    private PublicSuffixList(Set<String> rules, Set<String> wildcards, Set<String> exceptions) {
        this.rules = Set.copyOf(rules);
        this.wildcards = Set.copyOf(wildcards);
        this.exceptions = Set.copyOf(exceptions);
    }

    /** Reads a list in the PSL file format (UTF-8; {@code //} comments; one rule per line). */
    public static PublicSuffixList load(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) throw new IOException("public suffix list larger than " + MAX_FILE_BYTES + " bytes: " + file);
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in);
        }
    }

    /** The copy shipped inside this module (loaded once). */
    public static PublicSuffixList bundled() {
        PublicSuffixList l = bundled;
        if (l == null) {
            synchronized (PublicSuffixList.class) {
                l = bundled;
                if (l == null) {
                    try (InputStream in = PublicSuffixList.class.getResourceAsStream(BUNDLED)) {
                        if (in == null) throw new IllegalStateException("bundled " + BUNDLED + " missing");
                        l = parse(in);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    bundled = l;
                }
            }
        }
        return l;
    }

    /** Parses the PSL format from a stream (bounded: {@link #MAX_FILE_BYTES}). */
    public static PublicSuffixList parse(InputStream in) throws IOException {
        Set<String> rules = new HashSet<>(), wildcards = new HashSet<>(), exceptions = new HashSet<>();
        long total = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                total += line.length() + 1;
                if (total > MAX_FILE_BYTES) throw new IOException("public suffix list larger than " + MAX_FILE_BYTES + " bytes");
                if (line.length() > MAX_LINE) continue;
                // PSL format: a rule is the first whitespace-delimited word of a line; "//" starts a comment line
                String rule = line.strip();
                int ws = indexOfWhitespace(rule);
                if (ws >= 0) rule = rule.substring(0, ws);
                if (rule.isEmpty() || rule.startsWith("//")) continue;
                boolean exception = rule.startsWith("!");
                if (exception) rule = rule.substring(1);
                boolean wildcard = rule.startsWith("*.");
                if (wildcard) rule = rule.substring(2);
                String ascii = toAsciiName(rule);
                if (ascii == null) continue; // a rule we cannot represent: skip rather than fail the whole list
                if (exception) exceptions.add(ascii);
                else if (wildcard) wildcards.add(ascii);
                else rules.add(ascii);
            }
        }
        if (rules.isEmpty()) throw new IOException("public suffix list holds no rules");
        return new PublicSuffixList(rules, wildcards, exceptions);
    }

    /**
     * The Organizational Domain (RFC 7489 §3.2): the registrable domain, i.e. the public suffix plus
     * one label; {@code null} when the input is itself a public suffix, empty, {@code null} or not
     * a valid domain name (leading dot, empty label, bad IDN). A trailing root dot is ignored.
     */
    public String organizationalDomain(String domain) {
        Name n = Name.of(domain);
        if (n == null) return null;
        int ps = publicSuffixLabels(n.ascii);
        if (n.labels.length <= ps) return null;
        return n.suffix(ps + 1);
    }

    /** The public suffix of a domain (PSL algorithm, implicit {@code *} rule), or {@code null} for an invalid name. */
    public String publicSuffix(String domain) {
        Name n = Name.of(domain);
        if (n == null) return null;
        return n.suffix(Math.min(publicSuffixLabels(n.ascii), n.labels.length));
    }

    /** True when the domain is exactly a public suffix (has no registrable part). */
    public boolean isPublicSuffix(String domain) {
        Name n = Name.of(domain);
        return n != null && publicSuffixLabels(n.ascii) >= n.labels.length;
    }

    /** Number of labels of the public suffix, per the PSL algorithm. */
    private int publicSuffixLabels(String[] ascii) {
        int n = ascii.length;
        int longest = 1; // the implicit "*" rule
        String suffix = null;
        for (int k = 1; k <= n; k++) {
            String parent = suffix;
            suffix = k == 1 ? ascii[n - 1] : ascii[n - k] + "." + suffix;
            // an exception rule prevails over everything; it loses its leftmost label
            if (exceptions.contains(suffix)) return k - 1;
            if (rules.contains(suffix)) longest = k;
            if (parent != null && wildcards.contains(parent)) longest = k; // "*.parent" matches one more label
        }
        return longest;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) if (Character.isWhitespace(s.charAt(i))) return i;
        return -1;
    }

    private static String toAsciiName(String name) {
        Name n = Name.of(name);
        return n == null ? null : String.join(".", n.ascii);
    }

    /** A name split into labels in the input's (lower-cased) form and in A-label form. */
    private record Name(String[] labels, String[] ascii) {
        static Name of(String domain) {
            if (domain == null || domain.isEmpty() || domain.length() > 1024) return null;
            // IDNA (RFC 3490 §3.1): the ideographic and full-width full stops separate labels too
            String d = domain.replace('\u3002', '.').replace('\uFF0E', '.').replace('\uFF61', '.').toLowerCase(Locale.ROOT);
            if (d.endsWith(".")) d = d.substring(0, d.length() - 1); // absolute name
            if (d.isEmpty()) return null;
            String[] labels = d.split("\\.", -1);
            String[] ascii = new String[labels.length];
            int total = 0;
            for (int i = 0; i < labels.length; i++) {
                String l = labels[i];
                if (l.isEmpty()) return null; // leading dot or empty label
                String a;
                if (isAscii(l)) {
                    a = l;
                } else {
                    try {
                        a = IDN.toASCII(l, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
                    } catch (IllegalArgumentException e) {
                        return null;
                    }
                }
                if (a.isEmpty() || a.length() > 63) return null;
                ascii[i] = a;
                total += a.length() + 1;
            }
            if (total - 1 > 253) return null;
            return new Name(labels, ascii);
        }

        String suffix(int count) {
            return String.join(".", java.util.Arrays.copyOfRange(labels, labels.length - count, labels.length));
        }

        private static boolean isAscii(String s) {
            for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return false;
            return true;
        }
    }
}
