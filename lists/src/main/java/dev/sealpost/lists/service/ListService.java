package dev.sealpost.lists.service;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.dkim.DkimSigner;
import dev.sealpost.auth.dkim.SignOptions;
import dev.sealpost.auth.dmarc.DmarcEvaluator;
import dev.sealpost.auth.dmarc.DmarcOutcome;
import dev.sealpost.auth.dmarc.DmarcRecord;
import dev.sealpost.auth.dmarc.DmarcResult;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.delivery.RecipientHook;
import dev.sealpost.dns.PublicSuffixList;
import dev.sealpost.dns.Resolver;
import dev.sealpost.lists.bounce.Bounce;
import dev.sealpost.lists.bounce.BounceParser;
import dev.sealpost.lists.moderation.BounceScorer;
import dev.sealpost.lists.moderation.ModerationQueue;
import dev.sealpost.lists.moderation.PostingPolicy;
import dev.sealpost.lists.post.FromRewriter;
import dev.sealpost.lists.post.HeaderText;
import dev.sealpost.lists.post.ListDistribution;
import dev.sealpost.lists.post.ListHeaders;
import dev.sealpost.lists.post.ListIdentity;
import dev.sealpost.lists.post.OneClick;
import dev.sealpost.lists.post.Post;
import dev.sealpost.lists.post.Recipients;
import dev.sealpost.lists.post.UnsubscribeToken;
import dev.sealpost.lists.post.Verp;
import dev.sealpost.queue.DomainDkimSigner;
import dev.sealpost.store.BlobRef;
import dev.sealpost.store.Directory;
import dev.sealpost.store.MailingLists;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The list engine at local delivery (see the package description). Thread-safe. */
public final class ListService implements RecipientHook {
    private static final Logger log = LoggerFactory.getLogger(ListService.class);
    /** Loop traces of other lists accepted on one post. */
    static final int MAX_TRACES = 5;
    /** Largest post a list distributes or holds (held posts live in the database). */
    static final int MAX_POST = 25 * 1024 * 1024;

    /**
     * @param webBase     the HTTPS base of the web listener ({@code https://mail.example.org}), for one-click URIs
     * @param bounce      bounce scoring
     * @param holdFor     how long held posts wait for a moderator
     * @param confirmFor  how long a (un)subscription confirmation token works
     */
    public record Settings(String webBase, BounceScorer.Settings bounce, Duration holdFor, Duration confirmFor) {
        public static Settings defaults(String hostname) {
            return new Settings("https://" + hostname, BounceScorer.Settings.defaults(), Duration.ofDays(14), Duration.ofDays(7));
        }
    }

    private final Store store;
    private final Clock clock;
    private final Settings settings;
    /**
     * The default fields plus the list's own: RFC 8058 §4 requires List-Unsubscribe and
     * List-Unsubscribe-Post to be covered by a valid DKIM signature for one-click to be offered.
     */
    static final SignOptions LIST_SIGNING = SignOptions.DEFAULT.withHeaders(java.util.stream.Stream.concat(SignOptions.DEFAULT_HEADERS.stream(),
            java.util.stream.Stream.of("List-Id", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Post", "List-Help", "List-Subscribe",
                    "List-Owner", "List-Archive", "Auto-Submitted")).toList(), SignOptions.DEFAULT_OVERSIGN);
    private final UnsubscribeToken tokens;
    private final DmarcEvaluator dmarc;
    private final DomainDkimSigner keys;
    private final DkimSigner dkim;
    private final BounceParser bounces = new BounceParser();
    private final BounceScorer scorer;
    private final SecureRandom random = new SecureRandom();
    /** Our authserv-id, to trust only our own Authentication-Results for a verified sender; null: never. */
    private final String authservId;

    /**
     * @param resolver   for the DMARC policy of an author's domain; null: From is never rewritten for DMARC
     * @param secrets    one-click unsubscribe secrets, current first ({@link UnsubscribeToken})
     */
    public ListService(Store store, Resolver resolver, Clock clock, Settings settings, List<byte[]> secrets, String authservId) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.tokens = new UnsubscribeToken(secrets, clock, Duration.ofDays(365));
        this.dmarc = resolver == null ? null : new DmarcEvaluator(resolver, PublicSuffixList.bundled(), clock);
        this.keys = new DomainDkimSigner(store.directory(), clock, SignOptions.DEFAULT);
        this.dkim = new DkimSigner(clock);
        this.scorer = new BounceScorer(settings.bounce(), clock);
        this.authservId = authservId;
    }

    /** The identity a list's fields show. */
    public ListIdentity identity(MailingLists.MailingList l) {
        EmailAddress a = EmailAddress.parse(l.address()).orElseThrow();
        String listId = ListIdentity.defaultListId(a);
        String name = l.description().isBlank() ? a.localPart() : l.description();
        return new ListIdentity(a, name, listId, settings.webBase() + "/lists/unsubscribe/" + listId,
                Optional.ofNullable(l.settings().get("archive_url")).filter(s -> !s.isBlank()), l.posting().equals("announce"));
    }

    @Override
    public Optional<Spool.Disposition> handle(Spool.QueuedMessage m, Spool.QueuedRecipient r, EmailAddress address) {
        dailyBouncePass();
        Optional<MailingLists.Target> t = store.lists().target(address);
        if (t.isEmpty()) return Optional.empty();
        purgeExpired();
        MailingLists.MailingList list = t.get().list();
        byte[] content;
        try (InputStream in = store.blobs().open(m.blob().id())) {
            content = in.readNBytes(MAX_POST + 1);
        } catch (IOException e) {
            throw new dev.sealpost.store.StoreException("reading queued message " + m.id() + " for list " + list.address() + ": " + e.getMessage(), e);
        }
        if (content.length > MAX_POST) return Optional.of(new Spool.Failed(r.id(), "552 5.3.4 message too big for the list"));
        Optional<Post> post = Post.parse(content);
        if (post.isEmpty()) return Optional.of(new Spool.Failed(r.id(), "554 5.6.0 malformed header section"));
        String logId = "queue id=" + m.id() + " list=" + list.address();
        Spool.Disposition consumed = new Spool.ToMailboxes(r.id(), List.of());
        return Optional.of(switch (t.get().role()) {
            case "" -> post(m, r, list, post.get(), logId).orElse(consumed);
            case "-bounces" -> {
                bounce(list, t.get().detail(), address, content, logId);
                yield consumed;
            }
            case "-owner" -> {
                toOwners(list, m, logId);
                yield consumed;
            }
            default -> {
                request(m, list, t.get().role(), t.get().detail(), post.get(), logId);
                yield consumed;
            }
        });
    }

    private volatile Instant nextPurge = Instant.MIN;

    /** Deletes expired confirmations and held posts, at most once an hour (held posts past their time are dropped). */
    private void purgeExpired() {
        Instant now = clock.instant();
        if (now.isBefore(nextPurge)) return;
        nextPurge = now.plus(Duration.ofHours(1));
        int n = store.lists().purgePending(now);
        if (n > 0) log.info("lists: {} expired confirmation(s) or held post(s) deleted", n);
    }

    private Instant nextBouncePass = Instant.MIN;
    private final Object passTime = new Object();
    private final Object passRun = new Object();

    /**
     * Runs {@link #bouncePass()} at most once a day, on the first local delivery after the day
     * has passed (lazily, as {@link #purgeExpired()}); a failure is logged and does not hold the
     * delivery up.
     */
    private void dailyBouncePass() {
        Instant now = clock.instant();
        synchronized (passTime) { // one delivery thread runs the pass; the others go on at once
            if (now.isBefore(nextBouncePass)) return;
            nextBouncePass = now.plus(Duration.ofDays(1));
        }
        try {
            bouncePass();
        } catch (RuntimeException e) {
            log.error("lists: the daily bounce pass failed; it runs again tomorrow", e);
        }
    }

    /** What one {@link #bouncePass()} did. */
    public record PassResult(int warned, int removed) {}

    /**
     * The periodic bounce pass ({@link BounceScorer#tick}) over every list's disabled members: a
     * member whose last notice is {@code warningInterval} old gets another notice (with the way
     * back, as the disable notice), and after the configured number of notices is removed and
     * the owners are told. Run daily by {@link #handle}; public for the CLI and tests.
     */
    public PassResult bouncePass() {
        synchronized (passRun) {
            return runBouncePass();
        }
    }

    private PassResult runBouncePass() {
        int warned = 0, removed = 0;
        for (MailingLists.MailingList list : store.lists().all()) {
            BounceScorer sc = scorer(list);
            List<String> gone = new ArrayList<>();
            for (MailingLists.Member mm : store.lists().disabledMembers(list.address())) {
                BounceScorer.Step step = sc.tick(state(mm.bounce()));
                String logId = "list=" + list.address();
                if (step.actions().contains(BounceScorer.Action.REMOVE)) {
                    store.lists().removeMember(list.address(), MailingLists.Role.MEMBER, mm.address());
                    gone.add(mm.address());
                    removed++;
                    log.info("{} member removed after {} bounce notice(s)", logId, mm.bounce().warningsSent());
                } else if (step.actions().contains(BounceScorer.Action.WARN)) {
                    store.lists().setMemberState(list.address(), mm.address(), false, stored(step.state()));
                    send(list, mm.address(), "Your subscription to " + list.address() + " is still disabled", null,
                            "Mail from " + list.address() + " to your address bounced too often, so delivery is disabled.\r\n"
                                    + "This is notice " + step.state().warningsSent() + " of " + settings.bounce().warnings()
                                    + "; after the last one the address is removed from the list.\r\n"
                                    + reenable(list));
                    warned++;
                    log.info("{} disabled member warned (notice {})", logId, step.state().warningsSent());
                }
            }
            if (!gone.isEmpty()) {
                StringBuilder text = new StringBuilder("These members of " + list.address() + " were removed: their delivery was disabled by bounces\r\n"
                        + "and they did not come back after " + settings.bounce().warnings() + " notices.\r\n\r\n");
                for (String g : gone) text.append("  ").append(g).append("\r\n");
                // only the owners learn who was removed: they may see the membership anyway
                for (MailingLists.Member o : store.lists().members(list.address(), MailingLists.Role.OWNER)) {
                    send(list, o.address(), "Members removed from " + list.address() + " by bounces", null, text.toString());
                }
            }
        }
        if (warned + removed > 0) log.info("lists: bounce pass: {} warned, {} removed", warned, removed);
        return new PassResult(warned, removed);
    }

    /** The way back for a member disabled by bounces (the disable notice and the warnings say the same). */
    private static String reenable(MailingLists.MailingList list) {
        EmailAddress la = EmailAddress.parse(list.address()).orElseThrow();
        return "To receive the list again, subscribe anew (send 'subscribe' to " + la.localPart() + "-request@" + la.domain() + ").\r\n";
    }

    // ---- posts ----

    private Optional<Spool.Disposition> post(Spool.QueuedMessage m, Spool.QueuedRecipient r, MailingLists.MailingList list, Post post, String logId) {
        ListIdentity id = identity(list);
        Optional<EmailAddress> author = author(post);
        String poster = author.map(EmailAddress::canonical).orElse("");
        PostingPolicy.Role role = role(list, poster);
        String auto = post.first("Auto-Submitted").orElse("no").strip().toLowerCase(Locale.ROOT);
        String precedence = post.first("Precedence").orElse("").strip().toLowerCase(Locale.ROOT);
        boolean automatic = !auto.startsWith("no") || precedence.equals("bulk") || precedence.equals("junk");
        boolean verified = verified(m, post, author);
        boolean memberModerated = false;
        PostingPolicy.Rules rules = new PostingPolicy.Rules(PostingPolicy.Style.valueOf(list.posting().toUpperCase(Locale.ROOT)),
                PostingPolicy.Action.valueOf(list.setting("nonmembers", "hold").toUpperCase(Locale.ROOT)),
                Boolean.parseBoolean(list.setting("verify_sender", "false")));
        PostingPolicy.Facts facts = new PostingPolicy.Facts(role, memberModerated, verified,
                ListHeaders.isLoop(post, id, MAX_TRACES), automatic, m.envelope().mailFrom().isEmpty(), false);
        if (author.isEmpty() && !facts.loop() && !facts.nullSender()) {
            return Optional.of(new Spool.Failed(r.id(), "550 5.6.0 a post to " + list.address() + " needs one From address"));
        }
        PostingPolicy.Decision d = PostingPolicy.decide(rules, facts);
        log.info("{} post from {} role={} verified={}: {} ({})", logId, poster, role, verified, d.action(), d.reason());
        switch (d.action()) {
            case ACCEPT -> distribute(list, post, author.orElse(null), m.envelope().smtpUtf8(), m.envelope().bodyType(), logId);
            case HOLD -> hold(list, post, poster, d.reason(), logId);
            case REJECT -> {
                return Optional.of(new Spool.Failed(r.id(), "550 5.7.1 you may not post to " + list.address()));
            }
            case DISCARD -> { }
        }
        return Optional.empty();
    }

    private static Optional<EmailAddress> author(Post post) {
        List<String> froms = post.fields().stream().filter(f -> f.is("From")).map(f -> f.raw().substring(f.raw().indexOf(':') + 1)).toList();
        if (froms.size() != 1) return Optional.empty();
        List<HeaderText.Mailbox> boxes = HeaderText.mailboxes(froms.getFirst());
        if (boxes.size() != 1) return Optional.empty();
        return EmailAddress.parse(boxes.getFirst().address());
    }

    private PostingPolicy.Role role(MailingLists.MailingList list, String poster) {
        if (poster.isEmpty()) return PostingPolicy.Role.NON_MEMBER;
        if (has(list, MailingLists.Role.OWNER, poster)) return PostingPolicy.Role.OWNER;
        if (has(list, MailingLists.Role.MODERATOR, poster)) return PostingPolicy.Role.MODERATOR;
        if (has(list, MailingLists.Role.MEMBER, poster)) return PostingPolicy.Role.MEMBER;
        return PostingPolicy.Role.NON_MEMBER;
    }

    private boolean has(MailingLists.MailingList list, MailingLists.Role role, String canonical) {
        return store.lists().members(list.address(), role).stream().anyMatch(x -> x.address().equals(canonical));
    }

    /**
     * The From address is verified: an authenticated submission by an account that may send as it,
     * or a DMARC pass in the Authentication-Results field our MX put on top (RFC 8601 §5: only
     * fields with our authserv-id are trusted; the MX removes forged ones).
     */
    private boolean verified(Spool.QueuedMessage m, Post post, Optional<EmailAddress> author) {
        if (author.isEmpty()) return false;
        String user = m.envelope().authUser();
        if (user != null && m.envelope().clientAddress() != null) return store.directory().maySendAs(user, author.get());
        if (authservId == null) return false;
        Optional<String> ar = post.first("Authentication-Results");
        if (ar.isEmpty() || !ar.get().toLowerCase(Locale.ROOT).startsWith(authservId.toLowerCase(Locale.ROOT))) return false;
        return ar.get().toLowerCase(Locale.ROOT).matches("(?s).*\\bdmarc=pass\\b.*");
    }

    /** The author's domain's DMARC policy (RFC 7489 §6.6.3 discovery, no identities: only p/sp matter here). */
    private FromRewriter.DmarcPolicy policy(EmailAddress author) {
        if (dmarc == null || author == null) return FromRewriter.DmarcPolicy.ABSENT;
        DmarcOutcome o = dmarc.evaluate(author.domain(), List.of());
        if (o.result() == DmarcResult.TEMPERROR) return FromRewriter.DmarcPolicy.QUARANTINE; // rewrite when unsure: the safe side
        if (o.requestedPolicy() == null) return o.record() == null ? FromRewriter.DmarcPolicy.ABSENT : FromRewriter.DmarcPolicy.NONE;
        return o.requestedPolicy() == DmarcRecord.Policy.REJECT ? FromRewriter.DmarcPolicy.REJECT
                : o.requestedPolicy() == DmarcRecord.Policy.QUARANTINE ? FromRewriter.DmarcPolicy.QUARANTINE : FromRewriter.DmarcPolicy.NONE;
    }

    /** Sends {@code post} to every enabled member, each copy its own spool message; returns how many. */
    public int distribute(MailingLists.MailingList list, Post post, EmailAddress author, boolean smtpUtf8, String bodyType, String logId) {
        ListIdentity id = identity(list);
        FromRewriter.Mode mode = FromRewriter.Mode.valueOf(list.setting("from_rewrite", "when_needed").toUpperCase(Locale.ROOT));
        FromRewriter.PosterIn where = FromRewriter.PosterIn.valueOf(list.setting("poster_in", "reply_to").toUpperCase(Locale.ROOT));
        FromRewriter.DmarcPolicy policy = mode == FromRewriter.Mode.WHEN_NEEDED ? policy(author) : FromRewriter.DmarcPolicy.ABSENT;
        FromRewriter.Result rw = FromRewriter.apply(post, id, policy, mode, where);
        if (rw.rewritten()) log.info("{} From rewritten (author's DMARC policy {})", logId, policy);
        Post p = rw.post();
        Optional<String> prefix = Optional.ofNullable(list.settings().get("subject_prefix"));
        ListDistribution.Prepared prepared = ListDistribution.prepare(p, id, tokens, prefix);
        List<Recipients.Member> members = new ArrayList<>();
        for (MailingLists.Member mm : store.lists().members(list.address(), MailingLists.Role.MEMBER)) {
            EmailAddress.parse(mm.address()).ifPresent(a -> members.add(new Recipients.Member(a, mm.enabled(), mm.ownPosts())));
        }
        List<EmailAddress> to = Recipients.select(members, author);
        Instant now = clock.instant();
        String session = "list-" + UUID.randomUUID();
        for (EmailAddress member : to) {
            ListDistribution.MemberCopy copy = prepared.forMember(member);
            byte[] signed = sign(copy.message(), id.address().domain(), logId);
            enqueue(copy.returnPath(), member.toString(), signed, list, session, smtpUtf8, bodyType, now);
        }
        log.info("{} distributed to {} member(s)", logId, to.size());
        return to.size();
    }

    /** Prepends DKIM-Signature fields of the list's domain (RFC 6376 §5; every active key, RSA first). */
    byte[] sign(byte[] message, String domain, String logId) {
        List<Directory.DkimKey> active = new ArrayList<>(store.directory().signingKeys(domain));
        active.sort((a, b) -> Boolean.compare(!a.algorithm().startsWith("rsa"), !b.algorithm().startsWith("rsa")));
        StringBuilder fields = new StringBuilder();
        AuthMessage msg = AuthMessage.of(message);
        for (Directory.DkimKey k : active) {
            keys.signingKey(k).ifPresent(key -> {
                try {
                    fields.append(dkim.sign(msg, key, LIST_SIGNING)).append("\r\n");
                } catch (RuntimeException e) {
                    log.error("{} DKIM signing with {} failed", logId, k, e);
                }
            });
        }
        if (fields.isEmpty()) return message;
        byte[] head = fields.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + message.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(message, 0, out, head.length, message.length);
        return out;
    }

    private void enqueue(String mailFrom, String rcpt, byte[] message, MailingLists.MailingList list, String session,
                         boolean smtpUtf8, String bodyType, Instant now) {
        BlobRef blob;
        try {
            blob = store.blobs().put(message);
        } catch (IOException e) {
            throw new dev.sealpost.store.StoreException("storing a copy for list " + list.address() + ": " + e.getMessage(), e);
        }
        // authUser "list:<address>": the outbound queue neither signs nor ARC-seals it again (signed above)
        store.spool().enqueue(new Spool.Envelope(mailFrom, List.of(new Spool.Recipient(rcpt, null, null)), null, null,
                "list:" + list.address(), session, false, smtpUtf8, bodyType, null, null, now), blob);
    }

    // ---- moderation ----

    private void hold(MailingLists.MailingList list, Post post, String poster, PostingPolicy.Reason reason, String logId) {
        String token = token();
        Instant now = clock.instant();
        store.lists().putPending(new MailingLists.Pending(token, list.id(), "held", poster, post.toBytes(), now, now.plus(settings.holdFor())));
        Set<String> mods = moderators(list);
        String subject = post.first("Subject").orElse("(no subject)");
        EmailAddress la = EmailAddress.parse(list.address()).orElseThrow();
        for (String mod : mods) {
            send(list, mod, "confirm " + token, la.localPart() + "-confirm+" + token + "@" + la.domain(),
                    "A post to " + list.address() + " is held for moderation (" + reason.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ").\r\n\r\n"
                            + "From: " + oneLine(poster) + "\r\nSubject: " + oneLine(subject) + "\r\n\r\n"
                            + "Reply to this message with one word on the first line:\r\n"
                            + "  approve        send it to the list\r\n  reject REASON  refuse it and tell the poster\r\n"
                            + "  discard        drop it silently\r\n");
        }
        log.info("{} held for {} moderator(s), token expires {}", logId, mods.size(), now.plus(settings.holdFor()));
    }

    private Set<String> moderators(MailingLists.MailingList list) {
        Set<String> mods = new java.util.LinkedHashSet<>();
        store.lists().members(list.address(), MailingLists.Role.MODERATOR).forEach(x -> mods.add(x.address()));
        store.lists().members(list.address(), MailingLists.Role.OWNER).forEach(x -> mods.add(x.address()));
        return mods;
    }

    /** What became of a moderator's decision. */
    public enum Moderation {
        /** Done: the post was sent to the list, refused with a notice to the poster, or dropped. */
        DONE,
        /** No post held under that token for that list (never, decided already, or purged). */
        UNKNOWN,
        /** The hold has expired (it is dropped). */
        EXPIRED,
        /** The decision came from someone who is neither a moderator nor an owner: still held. */
        NOT_MODERATOR
    }

    /** A held post as the CLI lists it: no address but the poster's. */
    public record Held(String token, String poster, String subject, Instant heldAt, Instant expiresAt) {}

    /** The posts {@code list} holds for moderation, oldest first (subjects decoded to one printable line). */
    public static List<Held> held(MailingLists lists, String list) {
        List<Held> out = new ArrayList<>();
        for (MailingLists.Pending p : lists.pending(list, "held")) {
            String subject = Post.parse(p.content() == null ? new byte[0] : p.content()).flatMap(x -> x.first("Subject"))
                    .map(ListService::decodedSubject).orElse("(no subject)");
            out.add(new Held(p.token(), p.address(), subject, p.createdAt(), p.expiresAt()));
        }
        return out;
    }

    private static String decodedSubject(String raw) {
        String t = raw;
        try {
            t = dev.sealpost.message.EncodedWords.decode(raw); // RFC 2047
        } catch (RuntimeException e) {
            // shown as written
        }
        return printable(t);
    }

    /** One line without control characters (a subject is the poster's text: no terminal escapes). */
    static String printable(String s) {
        String t = (s == null ? "" : s).replaceAll("[\\p{Cc}\\p{Cf}&&[^\\u200d]]+", " ").strip();
        return t.length() > 200 ? t.substring(0, 200) : t;
    }

    /**
     * An administrator's decision on a held post (the CLI): the same path as a moderator's reply
     * ({@link #settle}), without the moderator check, since the admin may run the list anyway.
     */
    public Moderation moderate(MailingLists.MailingList list, String token, ModerationQueue.Verdict verdict, String reason) {
        String logId = "cli list=" + list.address();
        Optional<MailingLists.Pending> p = store.lists().takePending(token.strip().toLowerCase(Locale.ROOT));
        if (p.isEmpty()) return Moderation.UNKNOWN;
        if (p.get().listId() != list.id() || !p.get().kind().equals("held")) {
            store.lists().putPending(p.get());
            return Moderation.UNKNOWN;
        }
        if (!clock.instant().isBefore(p.get().expiresAt())) {
            log.info("{} held post expired before the decision", logId);
            return Moderation.EXPIRED;
        }
        return settle(list, p.get(), verdict, reason, null, logId);
    }

    /**
     * Carries out a decision on a held post taken from the store: by a reply from {@code moderator}
     * (who must be a moderator or owner, else it is put back), or by the admin ({@code moderator} null).
     */
    private Moderation settle(MailingLists.MailingList list, MailingLists.Pending held, ModerationQueue.Verdict verdict, String reason,
                              String moderator, String logId) {
        if (moderator != null && !moderators(list).contains(moderator)) {
            // the token alone is not enough: the reply must come from a moderator or owner
            store.lists().putPending(held);
            log.info("{} moderation reply from a non-moderator ignored", logId);
            return Moderation.NOT_MODERATOR;
        }
        decide(list, held, verdict, reason, logId);
        return Moderation.DONE;
    }

    /** Carries out a decision on a held post (by reply, or the CLI, through {@link #settle}). */
    String decide(MailingLists.MailingList list, MailingLists.Pending held, ModerationQueue.Verdict verdict, String reason, String logId) {
        switch (verdict) {
            case APPROVE -> {
                Post p = Post.parse(held.content()).orElseThrow();
                distribute(list, p, EmailAddress.parse(held.address()).orElse(null), false, "8BITMIME", logId);
            }
            case REJECT -> {
                if (!held.address().isEmpty()) {
                    send(list, held.address(), "Your post to " + list.address() + " was rejected", null,
                            "A moderator rejected your post to " + list.address() + (reason == null || reason.isBlank() ? "." : ": " + oneLine(reason)) + "\r\n");
                }
            }
            case DISCARD -> { }
        }
        log.info("{} held post {}", logId, verdict.name().toLowerCase(Locale.ROOT));
        return verdict.name().toLowerCase(Locale.ROOT);
    }

    // ---- requests ----

    private void request(Spool.QueuedMessage m, MailingLists.MailingList list, String role, String detail, Post post, String logId) {
        String auto = post.first("Auto-Submitted").orElse("no").strip().toLowerCase(Locale.ROOT);
        if (!auto.startsWith("no") || m.envelope().mailFrom().isEmpty()) {
            log.info("{} automatic mail to {} ignored (RFC 3834 §2)", logId, role);
            return;
        }
        Optional<EmailAddress> from = author(post);
        String sender = from.map(EmailAddress::canonical).orElse(EmailAddress.parse(m.envelope().mailFrom()).map(EmailAddress::canonical).orElse(""));
        if (sender.isEmpty()) return;
        String subject = post.first("Subject").orElse("");
        String body = new String(post.body(), 0, Math.min(post.body().length, 4096), StandardCharsets.UTF_8);
        String command;
        String token = null;
        if (role.equals("-confirm")) {
            command = "confirm";
            token = detail;
        } else if (role.equals("-subscribe")) {
            command = "subscribe";
        } else if (role.equals("-unsubscribe")) {
            command = "unsubscribe";
        } else {
            command = firstCommand(subject, body);
        }
        if (command.equals("confirm") && token == null) {
            java.util.regex.Matcher mt = java.util.regex.Pattern.compile("(?i)confirm\\s+([a-z2-7]{32})").matcher(subject + "\n" + body);
            if (mt.find()) token = mt.group(1);
        }
        switch (command) {
            case "subscribe", "unsubscribe", "self_copy_on", "self_copy_off" -> {
                // the same answer whether or not the address is a member: nothing to learn from it
                String t = token();
                Instant now = clock.instant();
                store.lists().putPending(new MailingLists.Pending(t, list.id(), command, sender, null, now, now.plus(settings.confirmFor())));
                EmailAddress la = EmailAddress.parse(list.address()).orElseThrow();
                String what = switch (command) {
                    case "subscribe" -> "subscribe " + sender + " to " + list.address();
                    case "unsubscribe" -> "unsubscribe " + sender + " from " + list.address();
                    case "self_copy_off" -> "stop sending " + sender + " copies of its own posts to " + list.address();
                    default -> "send " + sender + " copies of its own posts to " + list.address();
                };
                send(list, sender, "confirm " + t, la.localPart() + "-confirm+" + t + "@" + la.domain(),
                        "Someone (hopefully you) asked to " + what + ".\r\n\r\nTo confirm, reply to this message (keep the subject).\r\n"
                                + "If you did not ask, ignore it: nothing changes.\r\n");
                log.info("{} {} request, confirmation sent", logId, command);
            }
            case "confirm" -> confirm(list, token, sender, subject, body, logId);
            default -> {
                EmailAddress la = EmailAddress.parse(list.address()).orElseThrow();
                send(list, sender, "Help for " + list.address(), null,
                        "Commands, in the subject or the first line of a message to " + la.localPart() + "-request@" + la.domain() + ":\r\n"
                                + "  subscribe     join the list (confirmed by a reply)\r\n"
                                + "  unsubscribe   leave the list (confirmed by a reply)\r\n"
                                + "  set self_copy off|on   stop or resume copies of your own posts (confirmed by a reply)\r\n"
                                + "  help          this text\r\n"
                                + "Every copy from the list also has a one-click unsubscribe link (List-Unsubscribe).\r\n");
                log.info("{} help sent", logId);
            }
        }
    }

    static String firstCommand(String subject, String body) {
        List<String> lines = new ArrayList<>();
        lines.add(subject.replaceFirst("(?i)^\\s*(re|aw|sv)\\s*:\\s*", ""));
        int n = 0;
        for (String l : body.split("\r?\n")) {
            if (++n > 10) break;
            lines.add(l);
        }
        for (String l : lines) {
            String[] words = l.strip().toLowerCase(Locale.ROOT).split("\\s+");
            String w = words[0];
            // "set self_copy off" (Mailman 2's "set myposts off"): no copies of one's own posts
            if (w.equals("set") && words.length >= 3 && (words[1].equals("self_copy") || words[1].equals("myposts"))
                    && (words[2].equals("on") || words[2].equals("off"))) {
                return "self_copy_" + words[2];
            }
            if (w.equals("subscribe") || w.equals("join")) return "subscribe";
            if (w.equals("unsubscribe") || w.equals("leave") || w.equals("remove")) return "unsubscribe";
            if (w.equals("confirm")) return "confirm";
            if (w.equals("help")) return "help";
        }
        return "help";
    }

    private void confirm(MailingLists.MailingList list, String token, String sender, String subject, String body, String logId) {
        if (token == null) return;
        Optional<MailingLists.Pending> p = store.lists().takePending(token.toLowerCase(Locale.ROOT));
        if (p.isEmpty() || p.get().listId() != list.id()) {
            log.info("{} confirmation with an unknown or used token", logId);
            p.ifPresent(store.lists()::putPending);
            return;
        }
        MailingLists.Pending pending = p.get();
        if (!clock.instant().isBefore(pending.expiresAt())) {
            log.info("{} confirmation token expired", logId);
            return;
        }
        switch (pending.kind()) {
            case "subscribe" -> {
                if (!store.lists().addMember(list.address(), MailingLists.Role.MEMBER, pending.address())) {
                    // already a member: subscribing again is the way back after bounces disabled delivery
                    store.lists().members(list.address(), MailingLists.Role.MEMBER).stream()
                            .filter(x -> x.address().equals(pending.address()) && "disabled".equals(x.bounce().status())) // by bounces, not by an admin
                            .findFirst().ifPresent(x -> {
                                store.lists().setMemberState(list.address(), x.address(), true, stored(scorer.reenable(state(x.bounce()))));
                                log.info("{} delivery re-enabled by a confirmed subscription", logId);
                            });
                }
                send(list, pending.address(), "Welcome to " + list.address(), null, "You are now subscribed to " + list.address() + ".\r\n");
                log.info("{} subscription confirmed", logId);
            }
            case "unsubscribe" -> {
                store.lists().removeMember(list.address(), MailingLists.Role.MEMBER, pending.address());
                send(list, pending.address(), "Goodbye from " + list.address(), null, "You are no longer subscribed to " + list.address() + ".\r\n");
                log.info("{} unsubscription confirmed", logId);
            }
            case "self_copy_on", "self_copy_off" -> {
                boolean on = pending.kind().equals("self_copy_on");
                boolean member = store.lists().setSelfCopy(list.address(), pending.address(), on);
                // told only to the address that confirmed (it proved it reads that mailbox)
                send(list, pending.address(), "Copies of your own posts to " + list.address(), null, member
                        ? (on ? "You will get copies of your own posts to " : "You will no longer get copies of your own posts to ") + list.address() + ".\r\n"
                        : "This address is not subscribed to " + list.address() + ": nothing changed.\r\n");
                log.info("{} self_copy {} confirmed{}", logId, on ? "on" : "off", member ? "" : " (not a member)");
            }
            case "held" -> {
                ModerationQueue.Reply reply = ModerationQueue.parseReply("", "confirm " + token, body);
                if (reply instanceof ModerationQueue.Reply.Decision dd) {
                    settle(list, pending, dd.verdict(), dd.reason(), sender, logId);
                } else {
                    store.lists().putPending(pending);
                    log.info("{} moderation reply without a command; still held", logId);
                }
            }
            default -> log.warn("{} unknown pending kind {}", logId, pending.kind());
        }
    }

    private void toOwners(MailingLists.MailingList list, Spool.QueuedMessage m, String logId) {
        List<Spool.Recipient> owners = store.lists().members(list.address(), MailingLists.Role.OWNER).stream()
                .map(o -> new Spool.Recipient(o.address(), null, null)).toList();
        if (owners.isEmpty()) return;
        Spool.Envelope e = m.envelope();
        store.spool().enqueue(new Spool.Envelope(e.mailFrom(), owners, e.clientAddress(), e.helo(), e.authUser(), e.sessionId(),
                e.requireTls(), e.smtpUtf8(), e.bodyType(), e.dsnRet(), e.dsnEnvid(), clock.instant()), m.blob());
        log.info("{} mail to the owners sent on to {} owner(s)", logId, owners.size());
    }

    // ---- bounces ----

    private void bounce(MailingLists.MailingList list, String detail, EmailAddress address, byte[] content, String logId) {
        EmailAddress la = EmailAddress.parse(list.address()).orElseThrow();
        Bounce b = bounces.parse(content);
        List<String> failed = new ArrayList<>();
        boolean permanent = true;
        if (!detail.isEmpty()) {
            // VERP names the member whatever the report's format (it may even be unreadable)
            Optional<EmailAddress> member = Verp.decode(la, address.toString());
            if (member.isEmpty()) return;
            if (!b.isBounce()) {
                log.info("{} mail to a VERP address that is not a bounce (an auto-reply?): ignored", logId);
                return;
            }
            permanent = !b.permanent().isEmpty();
            failed.add(member.get().canonical());
        } else {
            for (String a : b.permanent()) EmailAddress.parse(a).ifPresent(x -> failed.add(x.canonical()));
        }
        Set<String> seen = new HashSet<>();
        for (MailingLists.Member mm : store.lists().members(list.address(), MailingLists.Role.MEMBER)) {
            if (!failed.contains(mm.address()) || !seen.add(mm.address())) continue;
            BounceScorer.Step step = scorer(list).bounce(state(mm.bounce()), permanent);
            boolean enabled = step.state().status() == BounceScorer.Status.ENABLED;
            store.lists().setMemberState(list.address(), mm.address(), enabled && mm.enabled(), stored(step.state()));
            log.info("{} bounce ({}) for a member: score {}", logId, permanent ? "permanent" : "temporary",
                    String.format(Locale.ROOT, "%.2f", step.state().score()));
            if (step.actions().contains(BounceScorer.Action.DISABLE_AND_NOTIFY)) {
                log.info("{} member disabled by bounces", logId);
                send(list, mm.address(), "Your subscription to " + list.address() + " is disabled", null,
                        "Mail from " + list.address() + " to your address bounced too often, so delivery is disabled.\r\n"
                                + reenable(list));
            }
        }
    }

    /** The scorer with the list's own {@code bounce_threshold} when it has one. */
    private BounceScorer scorer(MailingLists.MailingList list) {
        String t = list.settings().get("bounce_threshold");
        if (t == null) return scorer;
        BounceScorer.Settings d = settings.bounce();
        try {
            return new BounceScorer(new BounceScorer.Settings(Double.parseDouble(t), d.permanentWeight(), d.temporaryWeight(), d.halfLife(),
                    d.warnings(), d.warningInterval()), clock);
        } catch (IllegalArgumentException e) {
            return scorer;
        }
    }

    private static BounceScorer.State state(MailingLists.BounceState b) {
        return new BounceScorer.State(b.score(), b.scoredAt(), b.day() == null ? null : LocalDate.parse(b.day()), b.dayWeight(),
                BounceScorer.Status.valueOf(b.status().toUpperCase(Locale.ROOT)), b.warningsSent(), b.lastNoticeAt());
    }

    private static MailingLists.BounceState stored(BounceScorer.State s) {
        return new MailingLists.BounceState(s.score(), s.scoredAt(), s.lastDay() == null ? null : s.lastDay().toString(), s.dayWeight(),
                s.status().name().toLowerCase(Locale.ROOT), s.warningsSent(), s.lastNoticeAt());
    }

    // ---- one-click unsubscribe (RFC 8058) ----

    /** The outcome of a one-click POST. */
    public record WebAnswer(int status, String text) {}

    /**
     * RFC 8058 §3.2: a POST with {@code List-Unsubscribe=One-Click} to the List-Unsubscribe URI
     * removes the member the token names, with no login; anything else changes nothing.
     */
    public WebAnswer oneClick(String listId, String token, String contentType, byte[] body) {
        if (!OneClick.accepts(contentType, body)) return new WebAnswer(400, "a one-click unsubscribe needs the body List-Unsubscribe=One-Click\n");
        Optional<MailingLists.MailingList> list = store.lists().all().stream()
                .filter(l -> identity(l).listId().equalsIgnoreCase(listId)).findFirst();
        if (list.isEmpty()) return new WebAnswer(404, "no such list\n");
        return switch (tokens.verify(identity(list.get()).listId(), token)) {
            case UnsubscribeToken.Check.Valid v -> {
                store.lists().removeMember(list.get().address(), MailingLists.Role.MEMBER, v.member());
                log.info("list={} one-click unsubscribe done", list.get().address());
                yield new WebAnswer(200, "unsubscribed\n");
            }
            case UnsubscribeToken.Check.Expired e -> new WebAnswer(410, "this link has expired: send 'unsubscribe' to the list's request address\n");
            case UnsubscribeToken.Check.WrongList w -> new WebAnswer(400, "this link is for another list\n");
            case UnsubscribeToken.Check.Invalid i -> new WebAnswer(403, "invalid link\n");
        };
    }

    // ---- what the list sends itself ----

    /** A short message from the list ({@code LIST-request@}) to {@code to}: Auto-Submitted, DKIM-signed, from {@code LIST-bounces@}. */
    void send(MailingLists.MailingList list, String to, String subject, String replyTo, String text) {
        EmailAddress la = EmailAddress.parse(list.address()).orElseThrow();
        String request = la.localPart() + "-request@" + la.domain();
        StringBuilder b = new StringBuilder();
        b.append("From: ").append(HeaderText.mailbox(identity(list).displayName(), request)).append("\r\n");
        b.append("To: <").append(to).append(">\r\n");
        b.append("Subject: ").append(oneLine(subject)).append("\r\n");
        b.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().atZone(ZoneOffset.UTC))).append("\r\n");
        b.append("Message-ID: <").append(UUID.randomUUID()).append('@').append(la.domain()).append(">\r\n");
        if (replyTo != null) b.append("Reply-To: <").append(replyTo).append(">\r\n");
        b.append("Auto-Submitted: auto-replied\r\n"); // RFC 3834 §5
        b.append("List-Id: <").append(identity(list).listId()).append(">\r\n");
        b.append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        b.append(text);
        byte[] signed = sign(b.toString().getBytes(StandardCharsets.UTF_8), la.domain(), "list=" + list.address());
        enqueue(Verp.bounceAddress(la), to, signed, list, "list-" + UUID.randomUUID(), false, "8BITMIME", clock.instant());
    }

    private static String oneLine(String s) {
        String t = s == null ? "" : s.replaceAll("[\\x00-\\x1f\\x7f]+", " ").strip();
        return t.length() > 200 ? t.substring(0, 200) : t;
    }

    private String token() {
        byte[] b = new byte[20];
        random.nextBytes(b);
        StringBuilder out = new StringBuilder();
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567"; // RFC 4648 §6, lower case: survives case changes in addresses
        int buffer = 0, bits = 0;
        for (byte x : b) {
            buffer = (buffer << 8) | (x & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        return out.toString();
    }

    /** Loads or makes the one-click secret ({@code <dir>/unsubscribe.key}, 32 random octets, owner-only). */
    public static byte[] secret(java.nio.file.Path dir) throws IOException {
        java.nio.file.Path f = dir.resolve("unsubscribe.key");
        if (java.nio.file.Files.exists(f)) return java.nio.file.Files.readAllBytes(f);
        java.nio.file.Files.createDirectories(dir);
        byte[] s = new byte[32];
        new SecureRandom().nextBytes(s);
        dev.sealpost.core.io.Fsync.writeDurably(f, s); // owner-only temporary file, fsync, atomic rename
        return s;
    }
}
