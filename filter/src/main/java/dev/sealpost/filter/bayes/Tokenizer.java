package dev.sealpost.filter.bayes;

import dev.sealpost.message.Address;
import dev.sealpost.message.EncodedWords;
import dev.sealpost.message.Envelope;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.message.Part;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a parsed message into the classifier's features: words and pairs of adjacent words
 * (the pair is what makes "click here" more telling than "click" and "here"), each counted once
 * per message.
 *
 * <ul>
 *   <li>Header fields Subject ({@code s:} prefix, RFC 2047 encoded words decoded), From ({@code f:}
 *       display-name words, {@code fa:} address, {@code fd:} domain) and To ({@code ta:}, {@code td:});
 *   <li>every text part's body, transfer-decoded and charset-decoded; HTML reduced to its visible
 *       text, with {@code tag:} features for the tag names used;
 *   <li>host names of links ({@code url:} host and its parent domains), from HTML attributes and
 *       from {@code http://}, {@code https://} and {@code www.} in text;
 *   <li>for other parts: {@code ct:} media type and {@code ext:} file-name extension;
 *       embedded messages (message/rfc822) are tokenized like the message itself.
 * </ul>
 *
 * <p>Words are runs of letters, digits and {@code $ ' -}, lower-cased; words shorter than
 * {@link Limits#minWord()} are skipped, longer than {@link Limits#maxWord()} become one
 * {@code skip:} feature (their first letter and length in tens), as SpamBayes does. Bounds: at
 * most {@link Limits#maxFeatures()} distinct features and {@link Limits#maxChars()} characters of
 * decoded text per message, so a hostile message costs bounded time and memory.
 */
public final class Tokenizer {
    /**
     * @param maxFeatures distinct features kept per message (the first ones found)
     * @param maxChars    decoded body text read per message (characters)
     * @param minWord     shortest word kept
     * @param maxWord     longest word kept as itself
     */
    public record Limits(int maxFeatures, int maxChars, int minWord, int maxWord) {
        public Limits {
            if (maxFeatures < 1 || maxChars < 0 || minWord < 1 || maxWord < minWord) {
                throw new IllegalArgumentException("bad tokenizer limits");
            }
        }

        /** 5,000 features, 512 Ki characters, words of 2 to 24 characters. */
        public static Limits defaults() {
            return new Limits(5_000, 512 * 1024, 2, 24);
        }
    }

    /** Host labels kept of a link (the parents of a deeper host are dropped). */
    private static final int MAX_HOST_LABELS = 6;

    private final Limits limits;

    public Tokenizer(Limits limits) {
        this.limits = limits;
    }

    public Tokenizer() {
        this(Limits.defaults());
    }

    public Limits limits() {
        return limits;
    }

    /** The features of {@code message} (whose parsed structure is {@code structure}), in the order found. */
    public Features tokenize(byte[] message, MessageStructure structure) {
        Run run = new Run(message);
        run.message(structure.root(), 0);
        return Features.of(run.features);
    }

    /** {@link #tokenize(byte[], MessageStructure)} parsing the message first. */
    public Features tokenize(byte[] message) {
        return tokenize(message, MessageStructure.parse(message));
    }

    /** One tokenization: the features so far and the character budget left. */
    private final class Run {
        final byte[] raw;
        final Set<String> features = new LinkedHashSet<>();
        int charsLeft = limits.maxChars();

        Run(byte[] raw) {
            this.raw = raw;
        }

        boolean full() {
            return features.size() >= limits.maxFeatures();
        }

        void add(String feature) {
            if (!full()) features.add(feature);
        }

        void message(Part root, int depth) {
            Envelope env = root.envelope();
            if (env != null) {
                String subject = env.decodedSubject();
                if (subject != null) words(clip(subject), "s:");
                addresses(env.from(), "f", true);
                addresses(env.to(), "t", false);
            }
            part(root, depth);
        }

        private String clip(String s) {
            int n = Math.min(s.length(), Math.max(charsLeft, 0));
            charsLeft -= n;
            return s.substring(0, n);
        }

        void addresses(List<Address> list, String prefix, boolean names) {
            int n = 0;
            for (Address a : list) {
                if (!a.isMailbox() || n++ >= 8) continue;
                if (names && a.name() != null) words(clip(EncodedWords.decode(a.name())), prefix + ":");
                String addr = a.address();
                if (addr == null) continue;
                addr = addr.toLowerCase(Locale.ROOT);
                if (addr.length() <= 128) add(prefix + "a:" + addr);
                if (a.host() != null) add(prefix + "d:" + a.host().toLowerCase(Locale.ROOT));
            }
        }

        void part(Part p, int depth) {
            if (full() || charsLeft <= 0) return;
            if (p.isMultipart()) {
                for (Part c : p.children()) part(c, depth + 1);
                return;
            }
            if (p.isMessage()) {
                message(p.message(), depth + 1);
                return;
            }
            String filename = p.dispositionParams().get("filename");
            if (filename == null) filename = p.param("name");
            boolean text = p.type().equals("text") && (p.subtype().equals("plain") || p.subtype().equals("html"))
                    && !"attachment".equals(p.disposition());
            if (!text) {
                add("ct:" + clipFeature(p.mediaType()));
                if (filename != null) {
                    int dot = filename.lastIndexOf('.');
                    if (dot >= 0 && filename.length() - dot <= 8) add("ext:" + filename.substring(dot + 1).toLowerCase(Locale.ROOT));
                }
                return;
            }
            if (!"7bit".equals(p.encoding()) && !"8bit".equals(p.encoding())) add("cte:" + clipFeature(p.encoding()));
            String charset = p.param("charset");
            if (charset != null) add("cs:" + clipFeature(charset.toLowerCase(Locale.ROOT)));
            int start = (int) Math.min(p.bodyStart(), raw.length);
            int end = (int) Math.min(p.end(), raw.length);
            // at most 4 octets per character left, so a huge part is never decoded whole
            long budget = (long) charsLeft * 4 + 8;
            end = (int) Math.min(end, start + Math.min(budget, Integer.MAX_VALUE));
            byte[] decoded = BodyText.decodeTransfer(raw, start, end - start, p.encoding());
            String body = BodyText.decodeCharset(decoded, charset);
            if (p.subtype().equals("html")) {
                add("ct:text/html");
                body = BodyText.stripHtml(body, tag -> add("tag:" + tag), this::link);
            }
            body = clip(body);
            textLinks(body);
            words(body, "");
        }

        private String clipFeature(String s) {
            return s.length() > 64 ? s.substring(0, 64) : s;
        }

        /** Host names in plain text after {@code http://}, {@code https://} or {@code www.}. */
        void textLinks(String text) {
            int i = 0;
            int n = text.length();
            int h = -2, w = -2; // next occurrences at or after i (-1: none left); each scan goes forward only
            while (i < n && !full()) {
                if (h != -1 && h < i) h = BodyText.indexOfIgnoreCase(text, "http", i);
                if (w != -1 && w < i) w = BodyText.indexOfIgnoreCase(text, "www.", i);
                if (h < 0 && w < 0) return;
                int at = h < 0 ? w : w < 0 ? h : Math.min(h, w);
                int end = at;
                while (end < n && end - at < 300 && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '"'
                        && text.charAt(end) != '<' && text.charAt(end) != '>') end++;
                link(text.substring(at, end));
                i = Math.max(end, at + 4);
            }
        }

        /** A link's host name and its parent domains as {@code url:} features. */
        void link(String url) {
            String u = url.strip();
            String lower = u.toLowerCase(Locale.ROOT);
            int s;
            if (lower.startsWith("http://")) s = 7;
            else if (lower.startsWith("https://")) s = 8;
            else if (lower.startsWith("www.")) s = 0;
            else {
                if (lower.startsWith("mailto:")) add("url:mailto");
                return;
            }
            int e = s;
            while (e < lower.length() && e - s < 253) {
                char c = lower.charAt(e);
                if (c == '/' || c == ':' || c == '?' || c == '#' || c == '\\') break;
                e++;
            }
            String host = lower.substring(s, e);
            int atSign = host.lastIndexOf('@'); // user@host
            if (atSign >= 0) {
                add("url:userinfo");
                host = host.substring(atSign + 1);
            }
            while (host.endsWith(".")) host = host.substring(0, host.length() - 1);
            if (host.isEmpty()) return;
            if (host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
                add("url:ip");
                return;
            }
            String[] labels = host.split("\\.", -1);
            int from = Math.max(0, labels.length - MAX_HOST_LABELS);
            for (int k = from; k < labels.length - 1; k++) {
                add("url:" + String.join(".", java.util.Arrays.copyOfRange(labels, k, labels.length)));
            }
            if (labels.length == 1) add("url:" + host);
        }

        /** Words and adjacent word pairs of {@code text}, with the given prefix. */
        void words(String text, String prefix) {
            String prev = null;
            int n = text.length();
            int i = 0;
            StringBuilder w = new StringBuilder(32);
            while (i <= n && !full()) {
                int cp = i < n ? text.codePointAt(i) : ' ';
                boolean wordChar = Character.isLetterOrDigit(cp) || cp == '$' || cp == '\'' || cp == '-';
                if (wordChar) {
                    // a word longer than maxWord only needs its first letter and its length in tens: keep the builder bounded
                    if (w.length() < 4 * limits.maxWord() + 64) w.appendCodePoint(Character.toLowerCase(cp));
                } else if (!w.isEmpty()) {
                    String word = trim(w);
                    w.setLength(0);
                    if (word != null) {
                        if (word.length() > limits.maxWord()) {
                            add(prefix + "skip:" + word.charAt(0) + (word.length() / 10 * 10));
                            prev = null;
                        } else {
                            add(prefix + word);
                            if (prev != null) add(prefix + prev + " " + word);
                            prev = word;
                        }
                    }
                }
                i += i < n ? Character.charCount(cp) : 1;
            }
        }

        private String trim(StringBuilder w) {
            int s = 0, e = w.length();
            while (s < e && (w.charAt(s) == '\'' || w.charAt(s) == '-')) s++;
            while (e > s && (w.charAt(e - 1) == '\'' || w.charAt(e - 1) == '-')) e--;
            if (e - s < limits.minWord()) return null;
            return w.substring(s, e);
        }
    }

    /** The features of one message: their texts (for explanation and tests) and 64-bit hashes. */
    public record Features(List<String> texts, long[] hashes) {
        static Features of(Set<String> set) {
            List<String> texts = new ArrayList<>(set);
            long[] hashes = new long[texts.size()];
            for (int i = 0; i < hashes.length; i++) hashes[i] = hash(texts.get(i));
            return new Features(List.copyOf(texts), hashes);
        }

        public int size() {
            return hashes.length;
        }
    }

    /**
     * The 64-bit hash of a feature as stored in the token table: FNV-1a over the UTF-16 code units,
     * then the SplitMix64 finalizer for good bit mixing. Stable: changing it invalidates every
     * trained model.
     */
    public static long hash(String feature) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < feature.length(); i++) {
            char c = feature.charAt(i);
            h ^= c & 0xff;
            h *= 0x100000001b3L;
            h ^= c >>> 8;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return h;
    }
}
