package dev.sealpost.evidence.note;

import dev.sealpost.evidence.sign.Ed25519Key;
import dev.sealpost.evidence.sign.Ed25519PublicKey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * C2SP signed-note: a UTF-8 text ending in a newline, a blank line, then one line per signature,
 * {@code "— " name " " base64(keyHash[4] || signature)}. Signing and opening (verifying with a set
 * of known keys).
 */
public final class SignedNote {
    /** The em dash (U+2014) and a space that start every signature line. */
    static final String SIG_PREFIX = "\u2014 ";
    /** Notes longer than this are refused unread. */
    public static final int MAX_NOTE_BYTES = 1 << 20;
    /** More signature lines than this are refused. */
    public static final int MAX_SIGNATURES = 100;

    private SignedNote() {}

    /** A signature line of the note. */
    public record Signature(String name, int keyId, byte[] signature) {
        public Signature {
            signature = signature.clone();
        }
    }

    /** The outcome of opening a note. */
    public sealed interface Opened {}

    /** A known key's signature verified; {@code verifiedBy} lists those keys, {@code unverified} the lines for unknown keys. */
    public record Verified(String text, List<Ed25519PublicKey> verifiedBy, List<Signature> unverified) implements Opened {}

    /** The note is malformed, or no known key signed it, or a known key's signature is bad. */
    public record Rejected(String reason) implements Opened {}

    /** Signs {@code text} (which must end in a newline and be a valid note text) with each key. */
    public static String sign(String text, Ed25519Key... keys) {
        String bad = checkText(text);
        if (bad != null) throw new IllegalArgumentException(bad);
        if (keys.length == 0) throw new IllegalArgumentException("no key");
        byte[] msg = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(text).append('\n');
        for (Ed25519Key k : keys) {
            // C2SP signed-note: the signature is over the text only, including its final newline.
            byte[] sig = ByteBuffer.allocate(4 + 64).put(k.publicKey().keyHash()).put(k.sign(msg)).array();
            sb.append(SIG_PREFIX).append(k.name()).append(' ').append(Base64.getEncoder().encodeToString(sig)).append('\n');
        }
        return sb.toString();
    }

    /**
     * Opens {@code note} with the {@code known} keys: accepted when at least one known key's
     * signature verifies; a signature line of a known key (same name and key hash) that does not
     * verify rejects the note; lines of unknown keys are returned unverified.
     */
    public static Opened open(String note, Collection<Ed25519PublicKey> known) {
        Objects.requireNonNull(note, "note");
        if (note.length() > MAX_NOTE_BYTES) return new Rejected("a note larger than " + MAX_NOTE_BYTES + " bytes");
        if (!note.endsWith("\n")) return new Rejected("a note ends with a newline");
        int split = note.lastIndexOf("\n\n");
        if (split < 0) return new Rejected("no blank line before the signatures");
        // "\n\n" at the very end leaves no signature line (found by EvidenceInputsFuzzTest#note).
        if (split + 2 >= note.length()) return new Rejected("no signature lines");
        String text = note.substring(0, split + 1);
        String bad = checkText(text);
        if (bad != null) return new Rejected(bad);
        String[] lines = note.substring(split + 2, note.length() - 1).split("\n", -1);
        if (lines.length > MAX_SIGNATURES) return new Rejected("more than " + MAX_SIGNATURES + " signatures");
        byte[] msg = text.getBytes(StandardCharsets.UTF_8);
        List<Ed25519PublicKey> verified = new ArrayList<>();
        List<Signature> unknown = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith(SIG_PREFIX)) return new Rejected("a signature line must start with an em dash and a space");
            String rest = line.substring(SIG_PREFIX.length());
            int sp = rest.indexOf(' ');
            if (sp <= 0 || rest.indexOf(' ', sp + 1) >= 0) return new Rejected("a signature line is \"— name base64\"");
            String name = rest.substring(0, sp);
            if (!Ed25519PublicKey.validName(name)) return new Rejected("bad key name in a signature line");
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(rest.substring(sp + 1));
            } catch (IllegalArgumentException e) {
                return new Rejected("a signature is not base64");
            }
            if (raw.length < 5) return new Rejected("a signature shorter than its key hash");
            int id = ByteBuffer.wrap(raw, 0, 4).getInt();
            byte[] sig = Arrays.copyOfRange(raw, 4, raw.length);
            Ed25519PublicKey key = known.stream().filter(k -> k.name().equals(name) && k.keyId() == id).findFirst().orElse(null);
            if (key == null) {
                unknown.add(new Signature(name, id, sig));
                continue;
            }
            if (!key.verify(msg, sig)) return new Rejected("the signature of " + name + " does not verify");
            if (!verified.contains(key)) verified.add(key);
        }
        if (verified.isEmpty()) return new Rejected("no signature by a known key");
        return new Verified(text, List.copyOf(verified), List.copyOf(unknown));
    }

    /** C2SP signed-note text rules: non-empty, ends in a newline, no other control characters; null when valid, else why not. */
    static String checkText(String text) {
        if (text.isEmpty() || !text.endsWith("\n")) return "a note text ends with a newline";
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\n' || c == 0x7f) return "a control character in the note text";
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) i++;
                else return "a lone surrogate in the note text";
            }
        }
        return null;
    }
}
