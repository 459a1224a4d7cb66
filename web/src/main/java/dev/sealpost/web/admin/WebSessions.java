package dev.sealpost.web.admin;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions of the web admin, in memory: a fresh random id (256 bits) for every login (so
 * an id planted before the login is never the one after it: no session fixation), an idle and an
 * absolute timeout, a per-session CSRF token, and a cap on how many live at once (the oldest go
 * first). A restart ends every session. Ids are kept as their SHA-256, so a heap dump does not
 * hand out live cookies.
 */
public final class WebSessions {
    /** Default idle timeout. */
    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(30);
    /** Default absolute lifetime. */
    public static final Duration DEFAULT_ABSOLUTE = Duration.ofHours(12);
    /** Default most sessions at once. */
    public static final int DEFAULT_MAX = 10_000;

    /** One live session. */
    public record Session(String address, String csrf, Instant created, Instant lastSeen) {
        /** Whether {@code token} is this session's CSRF token (constant-time). */
        public boolean csrfMatches(String token) {
            return token != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A new session: the cookie value (the id, never stored as such) and the session. */
    public record Created(String id, Session session) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;
    private final int max;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public WebSessions(Clock clock, Duration idle, Duration absolute, int max) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (idle.isNegative() || idle.isZero() || absolute.compareTo(idle) < 0) throw new IllegalArgumentException("need 0 < idle <= absolute");
        if (max < 1) throw new IllegalArgumentException("max < 1");
        this.idle = idle;
        this.absolute = absolute;
        this.max = max;
    }

    public WebSessions(Clock clock) {
        this(clock, DEFAULT_IDLE, DEFAULT_ABSOLUTE, DEFAULT_MAX);
    }

    static String random(int octets) {
        byte[] b = new byte[octets];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String key(String id) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a session for {@code address} with a new id and CSRF token; ends {@code previousId}'s session if given. */
    public Created create(String address, String previousId) {
        if (previousId != null) end(previousId);
        prune();
        Instant now = clock.instant();
        String id = random(32);
        Session s = new Session(address, random(32), now, now);
        sessions.put(key(id), s);
        return new Created(id, s);
    }

    /** The live session with this id (and marks it used), or empty when unknown, idle too long or too old. */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) return Optional.empty();
        String k = key(id);
        Session s = sessions.get(k);
        if (s == null) return Optional.empty();
        Instant now = clock.instant();
        if (expired(s, now)) {
            sessions.remove(k, s);
            return Optional.empty();
        }
        Session touched = new Session(s.address(), s.csrf(), s.created(), now);
        sessions.replace(k, s, touched);
        return Optional.of(touched);
    }

    /** Ends the session with this id (logout); false when there was none. */
    public boolean end(String id) {
        return id != null && sessions.remove(key(id)) != null;
    }

    /** Ends every session of {@code address} (password change, account removed); how many ended. */
    public int endAll(String address) {
        int n = 0;
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
            if (it.next().address().equalsIgnoreCase(address)) {
                it.remove();
                n++;
            }
        }
        return n;
    }

    /** Live sessions now. */
    public int size() {
        return sessions.size();
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastSeen().plus(idle)) || !now.isBefore(s.created().plus(absolute));
    }

    private void prune() {
        Instant now = clock.instant();
        sessions.entrySet().removeIf(e -> expired(e.getValue(), now));
        while (sessions.size() >= max) {
            sessions.entrySet().stream().min((a, b) -> a.getValue().lastSeen().compareTo(b.getValue().lastSeen()))
                    .ifPresent(e -> sessions.remove(e.getKey(), e.getValue()));
        }
    }
}
