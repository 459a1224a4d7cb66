package dev.sealpost.auth.arc;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.AuthMessage.HeaderField;
import dev.sealpost.auth.dkim.Canonicalization;
import dev.sealpost.auth.dkim.DkimHasher;
import dev.sealpost.auth.dkim.DkimSigningKey;
import dev.sealpost.auth.results.AuthenticationResults;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Adds an ARC Set as an intermediary (RFC 8617 §5.1): the ARC-Authentication-Results with our
 * results, an ARC-Message-Signature over the message (relaxed/relaxed) and an ARC-Seal over the
 * chain. Thread-safe.
 *
 * <p>The caller passes the Chain Validation Status it found ({@link ArcVerifier}) before making
 * any change of its own. The sealer refuses (a {@link Refused} value) to extend a chain whose
 * newest seal already says {@code cv=fail} (nothing more can be proven about it; the ARC test
 * suite's {@code no_additional_sig}) or that already has 50 sets (RFC 8617 §4.2.1). With
 * {@code cv=fail} the seal covers only the new set (RFC 8617 §5.1.2).
 */
public final class ArcSealer {
    private static final int MAX_COLUMNS = 78;
    // RFC 2045 §5.1 token, which covers domain names
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.0-9A-Z^_`a-z{|}~]+");

    private final Clock clock;

    public ArcSealer(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    /** The outcome of sealing. */
    public sealed interface Outcome permits Sealed, Refused {}

    /** The new set, to put on top of the message with {@link ArcSet#prependTo(byte[])}. */
    public record Sealed(ArcSet set) implements Outcome {}

    /** No set is added, and why. */
    public record Refused(String reason) implements Outcome {}

    /**
     * Seals with the results of an Authentication-Results value of ours (its authserv-id is ours).
     *
     * @see #seal(AuthMessage, String, String, ArcResult, DkimSigningKey, ArcSealOptions)
     */
    public Outcome seal(AuthMessage msg, AuthenticationResults results, ArcResult chain, DkimSigningKey key, ArcSealOptions options) {
        List<String> parts = ArcTags.splitResults(results.value());
        String rest = parts.size() <= 1 ? "none" : String.join("; ", parts.subList(1, parts.size()));
        return seal(msg, results.authservId(), rest, chain, key, options);
    }

    /**
     * Seals {@code msg}.
     *
     * @param msg        the message as it will be sent on (after any change we make to it)
     * @param authservId our authentication service identifier (RFC 8601 §2.5)
     * @param results    the results of our checks, the {@code resinfo} list after the authserv-id
     *                   ({@code "arc=pass; spf=pass smtp.mailfrom=...; dkim=pass header.d=..."}),
     *                   or "none"; folding is unfolded
     * @param chain      the Chain Validation Status of the message as received: NONE when it has
     *                   no ARC Sets, else PASS or FAIL
     * @param key        the key for both signatures; its domain is the sealer ({@code d=})
     * @throws IllegalArgumentException when {@code chain} contradicts the message (NONE with
     *                                  sets present, PASS or FAIL without, PASS on a broken
     *                                  structure) or an argument is malformed: caller bugs
     */
    public Outcome seal(AuthMessage msg, String authservId, String results, ArcResult chain, DkimSigningKey key,
                        ArcSealOptions options) {
        Objects.requireNonNull(chain);
        if (authservId == null || !TOKEN.matcher(authservId).matches()) throw new IllegalArgumentException("bad authserv-id: " + authservId);
        List<String> resinfo = resultItems(results);
        ArcChain existing = ArcChain.of(msg);
        int n = existing.highest();
        ArcSeal latest = existing.latestSeal();
        if (latest != null && latest.cv() == ArcResult.FAIL) return new Refused("the chain was already marked failed at i=" + n);
        // RFC 8617 §4.2.1: at most 50 sets
        if (n >= ArcTags.MAX_INSTANCE) return new Refused("the message already has " + n + " ARC Sets");
        if (n == 0 && chain != ArcResult.NONE) throw new IllegalArgumentException("no ARC Sets on the message: cv must be none");
        if (n > 0 && chain == ArcResult.NONE) throw new IllegalArgumentException("the message has ARC Sets: cv must be pass or fail");
        if (chain == ArcResult.PASS && existing.structureError != null) {
            throw new IllegalArgumentException("cv=pass on a broken chain: " + existing.structureError);
        }
        int instance = n + 1;
        boolean canonical = options.canonicalOutput();
        long t = clock.instant().getEpochSecond();
        String alg = key.algorithm().tag();
        String domain = key.domain();
        String selector = canonical ? key.selector().toLowerCase(Locale.ROOT) : key.selector();

        // RFC 8617 §5.1 step 1, §4.1.1: the ARC-Authentication-Results
        String aar;
        if (canonical) {
            aar = ArcAuthenticationResults.FIELD_NAME + ": i=" + instance + "; " + authservId + "; " + String.join("; ", resinfo);
        } else {
            // one result per line, long ones folded at their spaces
            Folder f = new Folder(ArcAuthenticationResults.FIELD_NAME + ":");
            f.add("i=" + instance + ";");
            f.add(authservId + ";");
            for (int k = 0; k < resinfo.size(); k++) {
                String[] words = resinfo.get(k).split(" ");
                for (int j = 0; j < words.length; j++) {
                    String w = words[j] + (j == words.length - 1 && k < resinfo.size() - 1 ? ";" : "");
                    if (j == 0 && k > 0) f.newLine(w);
                    else f.add(w);
                }
            }
            aar = f.text();
        }
        String aarLatin1 = latin1(aar + "\r\n");

        // RFC 8617 §5.1 step 2, §4.1.2: the ARC-Message-Signature, a DKIM signature over the message and our AAR
        String bh = Base64.getEncoder().encodeToString(Canonicalization.RELAXED.bodyHash(msg.bytes(), msg.bodyOffset(),
                msg.bodyLength(), -1, key.algorithm().hash()).hash());
        List<String> h = signedHeaders(msg, options);
        String hValue = String.join(":", h);
        List<HeaderField> withAar = new ArrayList<>(msg.headers().size() + 1);
        withAar.add(new HeaderField(ArcAuthenticationResults.FIELD_NAME, aarLatin1.getBytes(StandardCharsets.ISO_8859_1), false));
        withAar.addAll(msg.headers());
        String ams;
        if (canonical) {
            String before = ArcMessageSignature.FIELD_NAME + ": a=" + alg + "; b=";
            String after = "; bh=" + bh + "; c=relaxed/relaxed; d=" + domain + "; h=" + hValue + "; i=" + instance
                    + "; s=" + selector + "; t=" + t;
            byte[] data = DkimHasher.headerData(withAar, h, Canonicalization.RELAXED, before + after);
            ams = before + b64(DkimHasher.sign(key.algorithm(), key.privateKey(), data)) + after;
        } else {
            Folder f = new Folder(ArcMessageSignature.FIELD_NAME + ":");
            f.add("i=" + instance + ";");
            f.add("a=" + alg + ";");
            f.add("c=relaxed/relaxed;");
            f.add("d=" + domain + ";");
            f.add("s=" + selector + ";");
            f.add("t=" + t + ";");
            f.addList("h=", h);
            f.add("bh=" + bh + ";");
            f.add("b=");
            byte[] data = DkimHasher.headerData(withAar, h, Canonicalization.RELAXED, f.text());
            f.addBase64(b64(DkimHasher.sign(key.algorithm(), key.privateKey(), data)));
            ams = f.text();
        }

        // RFC 8617 §5.1 step 3, §4.1.3: the ARC-Seal over the chain
        String as;
        // RFC 8617 §5.1.2: a failed chain is sealed as if our set were the only one
        List<ArcChain.Set> earlier = chain == ArcResult.FAIL ? List.of() : existing.sets;
        if (canonical) {
            String before = ArcSeal.FIELD_NAME + ": a=" + alg + "; b=";
            String after = "; cv=" + chain.tag() + "; d=" + domain + "; i=" + instance + "; s=" + selector + "; t=" + t;
            byte[] data = ArcVerifier.sealData(earlier, aarLatin1, ams, before + after);
            as = before + b64(DkimHasher.sign(key.algorithm(), key.privateKey(), data)) + after;
        } else {
            Folder f = new Folder(ArcSeal.FIELD_NAME + ":");
            f.add("i=" + instance + ";");
            f.add("a=" + alg + ";");
            f.add("t=" + t + ";");
            f.add("cv=" + chain.tag() + ";");
            f.add("d=" + domain + ";");
            f.add("s=" + selector + ";");
            f.add("b=");
            byte[] data = ArcVerifier.sealData(earlier, aarLatin1, ams, f.text());
            f.addBase64(b64(DkimHasher.sign(key.algorithm(), key.privateKey(), data)));
            as = f.text();
        }
        return new Sealed(new ArcSet(instance, aar, ams, as));
    }

    /**
     * Our results from the message's Authentication-Results fields with {@code authservId}, for
     * a sealer that stamped its results into the message: every such field in message order,
     * each {@code resinfo} in order, unfolded (the ARC test suite's "AR consolidation"). Empty
     * when there is no such field.
     */
    public static Optional<String> consolidateResults(AuthMessage msg, String authservId) {
        List<String> items = new ArrayList<>();
        boolean found = false;
        for (HeaderField f : msg.headers()) {
            if (!f.is(AuthenticationResults.FIELD_NAME) || !AuthenticationResults.isOurs(f.value(), authservId)) continue;
            found = true;
            List<String> parts = ArcTags.splitResults(f.value());
            for (String p : parts.subList(Math.min(1, parts.size()), parts.size())) {
                if (!p.equalsIgnoreCase("none")) items.add(p); // RFC 8601 §2.2 no-result carries nothing to merge
            }
        }
        if (!found) return Optional.empty();
        return Optional.of(items.isEmpty() ? "none" : String.join("; ", items));
    }

    private static List<String> resultItems(String results) {
        if (results == null) throw new IllegalArgumentException("no results");
        String unfolded = results.replace("\r\n ", " ").replace("\r\n\t", " ");
        for (int i = 0; i < unfolded.length(); i++) {
            char c = unfolded.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) throw new IllegalArgumentException("control character in results");
        }
        List<String> items = ArcTags.splitResults(unfolded);
        return items.isEmpty() ? List.of("none") : items;
    }

    /** The h= list: canonical mode as given (lower-case); else each configured name once per instance present. */
    private static List<String> signedHeaders(AuthMessage msg, ArcSealOptions o) {
        List<String> h = new ArrayList<>();
        if (o.canonicalOutput()) {
            for (String name : o.headers()) h.add(name.toLowerCase(Locale.ROOT));
            return h;
        }
        for (String name : o.headers()) {
            long present = msg.headers().stream().filter(x -> x.is(name)).count();
            for (long i = 0; i < present; i++) h.add(name);
        }
        return h;
    }

    private static String latin1(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** Folds a header field at white space, lines within {@link #MAX_COLUMNS} columns (RFC 5322 §2.2.3). */
    private static final class Folder {
        private final StringBuilder sb;
        private int col;

        Folder(String start) {
            sb = new StringBuilder(start);
            col = start.length();
        }

        void add(String item) {
            add(item, true);
        }

        void add(String item, boolean space) {
            int need = item.length() + (space ? 1 : 0);
            if (col + need > MAX_COLUMNS) {
                sb.append("\r\n ");
                col = 1;
            } else if (space) {
                sb.append(' ');
                col++;
            }
            sb.append(item);
            col += item.length();
        }

        void newLine(String item) {
            sb.append("\r\n\t").append(item);
            col = 1 + item.length();
        }

        void addList(String tag, List<String> names) {
            if (names.isEmpty()) {
                add(tag + ";");
                return;
            }
            for (int i = 0; i < names.size(); i++) {
                add((i == 0 ? tag : "") + names.get(i) + (i == names.size() - 1 ? ";" : ":"), i == 0);
            }
        }

        // RFC 6376 §3.5 b=: FWS may appear anywhere in the base64 value
        void addBase64(String b64) {
            int i = 0;
            while (i < b64.length()) {
                int room = MAX_COLUMNS - col;
                if (room <= 0) {
                    sb.append("\r\n ");
                    col = 1;
                    continue;
                }
                int take = Math.min(room, b64.length() - i);
                sb.append(b64, i, i + take);
                col += take;
                i += take;
            }
        }

        String text() {
            return sb.toString();
        }
    }
}
