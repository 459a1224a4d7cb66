package dev.sealpost.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Each account's Sieve scripts (RFC 5228), as ManageSieve (RFC 5804) manages them and local
 * delivery runs them: named scripts, at most one of them active. Writes go through the store's
 * group-commit writer and are committed on return; quota checks and the write happen in the same
 * transaction, so two sessions of one account cannot together pass a quota.
 *
 * <p>The store does not check that a script compiles: that is the caller's job (ManageSieve
 * refuses a script that does not, RFC 5804 §2.6). It checks names only for what it can store.
 */
public interface SieveScripts {
    /** Longest script name stored, in characters (RFC 5804 §1.6: servers allow at least 128). */
    int MAX_NAME = 512;

    /**
     * The per-account quotas.
     *
     * @param maxScripts    scripts an account may hold (0: no limit)
     * @param maxScriptSize largest script in octets, UTF-8 (0: no limit)
     */
    record Quota(int maxScripts, long maxScriptSize) {
        public Quota {
            if (maxScripts < 0 || maxScriptSize < 0) throw new IllegalArgumentException("quotas are 0 (none) or positive");
        }

        public static Quota unlimited() {
            return new Quota(0, 0);
        }
    }

    /** One script's listing entry. */
    record Summary(String name, boolean active, long size, Instant updatedAt) {}

    /** One script with its text. */
    record Script(String name, String content, boolean active, long size, Instant updatedAt) {}

    /** The outcome of a change; the failures map to RFC 5804 response codes. */
    sealed interface Outcome {
        /** Done. */
        record Done() implements Outcome {}

        /** RFC 5804 §1.3 NONEXISTENT: no script of that name. */
        record NonExistent() implements Outcome {}

        /** RFC 5804 §1.3 ALREADYEXISTS: the new name is taken. */
        record AlreadyExists() implements Outcome {}

        /** RFC 5804 §1.3 ACTIVE: the active script cannot be deleted. */
        record Active() implements Outcome {}

        /** RFC 5804 §1.3 QUOTA/MAXSCRIPTS: one more script would pass the count quota. */
        record TooManyScripts(int max) implements Outcome {}

        /** RFC 5804 §1.3 QUOTA/MAXSIZE: the script is larger than allowed. */
        record TooLarge(long max) implements Outcome {}
    }

    /** The size a script counts for: its UTF-8 octets. */
    static long sizeOf(String content) {
        return content.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The account's scripts, by name. */
    List<Summary> list(long accountId);

    Optional<Script> get(long accountId, String name);

    /** The account's active script, if any. */
    Optional<Script> active(long accountId);

    /**
     * Whether a script of {@code size} octets named {@code name} would fit (RFC 5804 §2.5
     * HAVESPACE): replacing a script of the same name does not add to the count.
     *
     * @return {@link Outcome.Done}, {@link Outcome.TooManyScripts} or {@link Outcome.TooLarge}
     */
    Outcome haveSpace(long accountId, String name, long size, Quota quota);

    /**
     * Stores a script, replacing one of the same name (which keeps its active flag: RFC 5804 §2.6).
     *
     * @return {@link Outcome.Done}, {@link Outcome.TooManyScripts} or {@link Outcome.TooLarge}
     * @throws IllegalArgumentException for an empty name or one longer than {@link #MAX_NAME}
     */
    Outcome put(long accountId, String name, String content, Quota quota);

    /**
     * Makes {@code name} the one active script, or deactivates all with null (RFC 5804 §2.8: the
     * empty name).
     *
     * @return {@link Outcome.Done} or {@link Outcome.NonExistent}
     */
    Outcome setActive(long accountId, String name);

    /** @return {@link Outcome.Done}, {@link Outcome.NonExistent} or {@link Outcome.Active} (RFC 5804 §2.10) */
    Outcome delete(long accountId, String name);

    /**
     * Renames a script, keeping its active flag (RFC 5804 §2.11).
     *
     * @return {@link Outcome.Done}, {@link Outcome.NonExistent} or {@link Outcome.AlreadyExists}
     */
    Outcome rename(long accountId, String from, String to);

    /**
     * The vacation memory (RFC 5230 §4.2): whether a reply with {@code handle} went from this
     * account to {@code sender} (compared in lower case) and its period has not ended at {@code now}.
     */
    boolean vacationReplied(long accountId, String handle, String sender, Instant now);

    /**
     * Remembers a vacation reply to {@code sender} until {@code expiresAt} (replacing an older
     * entry); entries that ended are dropped on the way.
     */
    void rememberVacation(long accountId, String handle, String sender, Instant expiresAt);

    /** When an admin-managed script runs: before or after the user's own (Pigeonhole's sieve_before, sieve_after). */
    enum Phase {
        BEFORE, AFTER;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** "before" or "after" (any case), else empty. */
        public static Optional<Phase> parse(String s) {
            if (s == null) return Optional.empty();
            for (Phase p : values()) {
                if (p.keyword().equalsIgnoreCase(s)) return Optional.of(p);
            }
            return Optional.empty();
        }
    }

    /**
     * An admin-managed script (migration V17).
     *
     * @param domain the domain it applies to (lower case), or {@code ""} for the whole server
     */
    record GlobalScript(String domain, Phase phase, String name, String content, Instant updatedAt) {}

    /**
     * The admin scripts that apply to mail for {@code domain}, in the order they run: the
     * server's before scripts, the domain's before scripts, then the domain's after scripts and
     * the server's after scripts (by name within each group).
     */
    List<GlobalScript> globalScripts(String domain);

    /** Every admin script (all domains), by domain, phase and name; {@code domain} non-null lists that one only. */
    List<GlobalScript> listGlobal(String domain);

    /**
     * Stores an admin script, replacing one with the same domain, phase and name. The store does
     * not check that it compiles (the caller does).
     *
     * @param domain the domain (stored in lower case), or {@code ""} for the whole server
     */
    void putGlobal(String domain, Phase phase, String name, String content);

    /** Removes an admin script; false when there was none. */
    boolean removeGlobal(String domain, Phase phase, String name);
}
