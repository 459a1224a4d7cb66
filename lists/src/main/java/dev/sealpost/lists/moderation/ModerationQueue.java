package dev.sealpost.lists.moderation;

import dev.sealpost.core.mail.EmailAddress;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Held posts and their moderation tokens: a moderator approves or rejects a held post by replying
 * to the notice (the token is in the notice's Subject, {@code confirm TOKEN}, and in its reply
 * address {@code LIST-confirm+TOKEN@domain}), in the web UI, or with the CLI, all through
 * {@link #decide}.
 *
 * <p>A token is 160 random bits in lower-case base32 (RFC 4648 §6 alphabet): it survives relays
 * that change the case of an address, and it is the secret that makes a reply count, so it is
 * sent only to the list's moderators. A decision also needs the deciding address to be a
 * moderator or owner; each token is decided once. Held posts expire after {@code holdFor}; the
 * caller applies the list's default to what {@link #expire} returns.
 *
 * <p>The state is in memory here (the lead wires it to the store); thread-safe.
 */
public final class ModerationQueue {
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final Pattern TOKEN = Pattern.compile("(?i)\\bconfirm[ +:-]?([a-z2-7]{32})\\b");

    /** A held post. */
    public record Held(String token, String postId, String list, Instant heldAt, Instant expires) {}

    public enum Verdict { APPROVE, REJECT, DISCARD }

    /** The outcome of a decision. */
    public sealed interface Outcome {
        record Done(Held held, Verdict verdict, String reason, String moderator) implements Outcome {}
        record UnknownToken() implements Outcome {}
        record Expired(Held held) implements Outcome {}
        record NotAModerator(String address) implements Outcome {}
        record AlreadyDecided(Verdict verdict, String moderator) implements Outcome {}
    }

    /** What a reply to a notice says. */
    public sealed interface Reply {
        record Decision(String token, Verdict verdict, String reason) implements Reply {}
        /** A token, but no command we understand: ask again, do not guess. */
        record NoDecision(String token) implements Reply {}
        /** No token: not a moderation reply. */
        record NotAReply() implements Reply {}
    }

    private final Clock clock;
    private final Duration holdFor;
    private final SecureRandom random;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Held> held = new HashMap<>();
    private final Map<String, Outcome.Done> decided = new HashMap<>();

    public ModerationQueue(Clock clock, Duration holdFor, SecureRandom random) {
        this.clock = clock;
        this.holdFor = holdFor;
        this.random = random;
    }

    /** Holds a post (by its spool id) and returns its token. */
    public Held hold(String postId, EmailAddress list) {
        byte[] b = new byte[20];
        random.nextBytes(b);
        Instant now = clock.instant();
        Held h = new Held(base32(b), postId, list.toString(), now, now.plus(holdFor));
        lock.lock();
        try {
            held.put(h.token(), h);
        } finally {
            lock.unlock();
        }
        return h;
    }

    /** The notice's Subject: the token after {@code confirm}, where a reply keeps it. */
    public static String noticeSubject(Held h) {
        return "confirm " + h.token();
    }

    /** The notice's Reply-To: {@code LIST-confirm+TOKEN@domain}. */
    public static String replyAddress(EmailAddress list, Held h) {
        return list.localPart() + "-confirm+" + h.token() + "@" + list.domain();
    }

    /**
     * Reads a moderator's reply: the token from the recipient address or the Subject; the verdict
     * from the first body line that is not empty and not quoted ({@code approve}, {@code reject
     * [reason]}, {@code discard}; case-insensitive). Bounded: only the first 4 KiB of the body and
     * 20 lines are looked at.
     */
    public static Reply parseReply(String recipient, String subject, String body) {
        String token = null;
        for (String s : new String[] {recipient == null ? "" : recipient, subject == null ? "" : subject}) {
            Matcher m = TOKEN.matcher(s.length() > 1000 ? s.substring(0, 1000) : s);
            if (m.find()) { token = m.group(1).toLowerCase(Locale.ROOT); break; }
        }
        if (token == null) return new Reply.NotAReply();
        String text = body == null ? "" : body.substring(0, Math.min(body.length(), 4096));
        int lines = 0;
        for (String line : text.split("\r?\n")) {
            if (++lines > 20) break;
            String l = line.strip();
            if (l.isEmpty()) continue;
            if (l.startsWith(">")) break; // the quoted notice: the reply has no command
            String[] words = l.split("\\s+", 2);
            String cmd = words[0].toLowerCase(Locale.ROOT).replaceAll("[.!:,]+$", "");
            String rest = words.length > 1 ? words[1].strip() : "";
            return switch (cmd) {
                case "approve", "approved", "accept", "yes" -> new Reply.Decision(token, Verdict.APPROVE, "");
                case "reject", "rejected", "no" -> new Reply.Decision(token, Verdict.REJECT, rest);
                case "discard", "discarded" -> new Reply.Decision(token, Verdict.DISCARD, "");
                default -> new Reply.NoDecision(token);
            };
        }
        return new Reply.NoDecision(token);
    }

    /**
     * Decides a held post.
     *
     * @param moderator   the deciding address (for a reply by mail: its From, which the caller
     *                    should have verified by DMARC or authentication)
     * @param moderators  the list's moderators and owners, canonical form
     */
    public Outcome decide(String token, EmailAddress moderator, Set<String> moderators, Verdict verdict, String reason) {
        String t = token == null ? "" : token.toLowerCase(Locale.ROOT);
        lock.lock();
        try {
            Outcome.Done before = decided.get(t);
            if (before != null) return new Outcome.AlreadyDecided(before.verdict(), before.moderator());
            Held h = held.get(t);
            if (h == null) return new Outcome.UnknownToken();
            if (!moderators.contains(moderator.canonical())) return new Outcome.NotAModerator(moderator.canonical());
            if (!clock.instant().isBefore(h.expires())) {
                held.remove(t);
                return new Outcome.Expired(h);
            }
            held.remove(t);
            Outcome.Done done = new Outcome.Done(h, verdict, reason == null ? "" : reason, moderator.canonical());
            decided.put(t, done);
            return done;
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns the holds past their expiry (the caller applies the list's default action). */
    public List<Held> expire() {
        Instant now = clock.instant();
        List<Held> out = new ArrayList<>();
        lock.lock();
        try {
            held.values().removeIf(h -> {
                if (now.isBefore(h.expires())) return false;
                out.add(h);
                return true;
            });
            // a decided token is remembered until its hold would have expired (for AlreadyDecided)
            decided.values().removeIf(d -> !now.isBefore(d.held().expires()));
        } finally {
            lock.unlock();
        }
        out.sort(java.util.Comparator.comparing(Held::heldAt));
        return out;
    }

    /** A pending hold by token, if any. */
    public Optional<Held> pending(String token) {
        lock.lock();
        try {
            return Optional.ofNullable(held.get(token == null ? "" : token.toLowerCase(Locale.ROOT)));
        } finally {
            lock.unlock();
        }
    }

    static String base32(byte[] b) {
        StringBuilder out = new StringBuilder();
        int buffer = 0, bits = 0;
        for (byte x : b) {
            buffer = (buffer << 8) | (x & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) out.append(BASE32[(buffer << (5 - bits)) & 31]);
        return out.toString();
    }
}
