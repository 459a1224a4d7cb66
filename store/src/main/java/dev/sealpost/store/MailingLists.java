package dev.sealpost.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Distribution lists and groups (migration V16; the lists module runs them, docs/lists.md).
 * Addresses are stored canonical (local part lower-cased, A-label domain); a list or group
 * address must be in a local domain. Thread-safe.
 */
public interface MailingLists {
    /** Posting policies, as the CLI and the settings name them. */
    List<String> POSTING = List.of("open", "members", "moderated", "announce");

    /** A person's role in a list. */
    enum Role { MEMBER, OWNER, MODERATOR;
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param settings "key=value" settings (subject_prefix, from_rewrite, poster_in, nonmembers, verify_sender)
     */
    record MailingList(long id, String address, String description, String posting, Map<String, String> settings, Instant createdAt) {
        public MailingList {
            settings = Map.copyOf(settings);
        }

        public String setting(String key, String fallback) {
            return settings.getOrDefault(key, fallback);
        }
    }

    /** Bounce state (lists.moderation.BounceScorer.State); {@code day} is an ISO date or null. */
    record BounceState(double score, Instant scoredAt, String day, double dayWeight, String status, int warningsSent, Instant lastNoticeAt) {
        public static final BounceState NEW = new BounceState(0, null, null, 0, "enabled", 0, null);
    }

    record Member(String address, Role role, boolean enabled, boolean ownPosts, BounceState bounce) {}

    /**
     * Something waiting for a confirmation: kind {@code subscribe}, {@code unsubscribe} or {@code held}
     * (a post for the moderators, its octets in {@code content}).
     */
    record Pending(String token, long listId, String kind, String address, byte[] content, Instant createdAt, Instant expiresAt) {}

    /** Creates a list; a {@link DirectoryException} when it exists or its domain is not local. */
    MailingList create(String address, String description, String posting);

    boolean remove(String address);

    Optional<MailingList> find(String address);

    List<MailingList> all();

    /** Replaces description, posting policy and settings. */
    void update(String address, String description, String posting, Map<String, String> settings);

    /** False when the address already has that role. */
    boolean addMember(String list, Role role, String address);

    boolean removeMember(String list, Role role, String address);

    List<Member> members(String list, Role role);

    /**
     * The members of {@code list} whose delivery bounces disabled (bounce status {@code disabled}),
     * by address: the daily pass warns them and removes them after the last warning.
     */
    List<Member> disabledMembers(String list);

    /** Sets a member's delivery and bounce state; false when not a member. */
    boolean setMemberState(String list, String address, boolean enabled, BounceState bounce);

    /**
     * Whether the member gets a copy of their own posts (Mailman's "not my own posts" off:
     * the default); false when not a member.
     */
    boolean setSelfCopy(String list, String address, boolean selfCopy);

    void putPending(Pending p);

    /** Removes and returns a pending item (each token is used once). */
    Optional<Pending> takePending(String token);

    List<Pending> pending(String list, String kind);

    /** Deletes pending items past their expiry; returns how many. */
    int purgePending(Instant now);

    /** The role suffixes of a list's local part: {@code LIST-request@}, {@code LIST-bounces+member=domain@}, ... */
    List<String> ROLE_SUFFIXES = List.of("-request", "-owner", "-subscribe", "-unsubscribe", "-bounces", "-confirm");

    /**
     * The list an address belongs to and the role it names ({@code ""} for the posting address,
     * else a suffix of {@link #ROLE_SUFFIXES}, and the text after {@code +} for -bounces and -confirm).
     */
    record Target(MailingList list, String role, String detail) {}

    default Optional<Target> target(dev.sealpost.core.mail.EmailAddress a) {
        Optional<MailingList> direct = find(a.canonical());
        if (direct.isPresent()) return Optional.of(new Target(direct.get(), "", ""));
        String local = a.localPart().toLowerCase(java.util.Locale.ROOT);
        String detail = "";
        int plus = local.indexOf('+');
        if (plus > 0) {
            detail = a.localPart().substring(plus + 1);
            local = local.substring(0, plus);
        }
        for (String suffix : ROLE_SUFFIXES) {
            if (!local.endsWith(suffix) || local.length() == suffix.length()) continue;
            if (!detail.isEmpty() && !suffix.equals("-bounces") && !suffix.equals("-confirm")) continue;
            Optional<MailingList> l = find(local.substring(0, local.length() - suffix.length()) + "@" + a.domain());
            if (l.isPresent()) return Optional.of(new Target(l.get(), suffix, detail));
        }
        return Optional.empty();
    }

    /** Whether mail to {@code a} is for a list (its posting address or a role address). */
    default boolean handles(dev.sealpost.core.mail.EmailAddress a) {
        return target(a).isPresent();
    }

    // ---- groups (local explosion) ----

    void createGroup(String address);

    boolean removeGroup(String address);

    /** False when already a member. */
    boolean addGroupMember(String group, String member);

    boolean removeGroupMember(String group, String member);

    /** Group addresses, sorted. */
    List<String> groups();

    /** A group's members, sorted; empty when no such group. */
    List<String> groupMembers(String group);

    boolean isGroup(String address);
}
