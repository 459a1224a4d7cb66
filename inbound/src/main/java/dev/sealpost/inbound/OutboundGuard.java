package dev.sealpost.inbound;

import dev.sealpost.smtp.proto.SmtpRejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The outbound side at submission, per authenticated account (issue 14, docs/filter.md
 * "Submission"): rate limits on messages and recipients per hour, and the compromised-account
 * hold: once an account has sent spam-scored mail to {@code holdRecipients} recipients within an
 * hour, its outgoing mail is held (quarantined, not sent) until that hour's count falls below the
 * bound again, and the postmaster is told once per episode.
 *
 * <p>State: in memory, per process, in sliding one-hour windows (correct within one process, reset
 * by a restart, not shared between nodes); the accounts' counters are dropped when their window is
 * empty, so memory is bounded by the accounts active in the last hour. Thread-safe.
 */
public final class OutboundGuard {
    private static final Logger log = LoggerFactory.getLogger(OutboundGuard.class);
    static final Duration WINDOW = Duration.ofHours(1);

    /**
     * @param messagesPerHour   {@code filter.submission_messages_per_hour}: 0 for no limit
     * @param recipientsPerHour {@code filter.submission_recipients_per_hour}: 0 for no limit
     * @param spamScore         {@code filter.outbound_spam_score}: an outgoing message at or above counts as spam
     * @param holdRecipients    {@code filter.outbound_hold_recipients}: 0 for never
     */
    public record Settings(int messagesPerHour, int recipientsPerHour, double spamScore, int holdRecipients) {
        public Settings {
            if (messagesPerHour < 0 || recipientsPerHour < 0 || holdRecipients < 0 || !Double.isFinite(spamScore)) {
                throw new IllegalArgumentException("outbound limits must be at least 0 and the spam score finite");
            }
        }
    }

    /** Timestamped counts in one sliding window. */
    private static final class Window {
        private final ArrayDeque<Instant> at = new ArrayDeque<>();
        private final ArrayDeque<Integer> n = new ArrayDeque<>();
        private long sum;

        long sum(Instant now) {
            Instant since = now.minus(WINDOW);
            while (!at.isEmpty() && !at.peekFirst().isAfter(since)) {
                at.pollFirst();
                sum -= n.pollFirst();
            }
            return sum;
        }

        void add(Instant now, int count) {
            at.addLast(now);
            n.addLast(count);
            sum += count;
        }

        boolean empty(Instant now) {
            sum(now);
            return at.isEmpty();
        }
    }

    private static final class Account {
        final Window messages = new Window();
        final Window recipients = new Window();
        final Window spamRecipients = new Window();
        boolean held;
    }

    private final Settings settings;
    private final Clock clock;
    /** Told when an account becomes held: (account, explanation). */
    private final BiConsumer<String, String> onHold;
    private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();

    public OutboundGuard(Settings settings, Clock clock, BiConsumer<String, String> onHold) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onHold = Objects.requireNonNull(onHold, "onHold");
    }

    public Settings settings() {
        return settings;
    }

    private static String key(String account) {
        return account.toLowerCase(Locale.ROOT);
    }

    private Account account(String user) {
        return accounts.computeIfAbsent(key(user), k -> new Account());
    }

    /** At MAIL FROM: refuses the transaction when the account sent its hourly number of messages. */
    public void checkMessage(String user) throws SmtpRejection {
        if (settings.messagesPerHour() == 0) return;
        Account a = account(user);
        long sent;
        synchronized (a) {
            sent = a.messages.sum(clock.instant());
        }
        if (sent >= settings.messagesPerHour()) {
            // RFC 5321 §4.2.2 450: not taken, temporarily blocked for policy reasons; RFC 3463 X.7.1
            dev.sealpost.core.metrics.Meters.count(dev.sealpost.core.metrics.Meters.FILTER_OUTCOMES, "Threat filter refusals and holds", "outcome", "rate_limited");
            throw new SmtpRejection(450, "4.7.1", "Sending rate limit reached (" + settings.messagesPerHour()
                    + " messages per hour), try again later");
        }
    }

    /**
     * At RCPT TO: refuses one more recipient when the account's recipients in the last hour,
     * with those already accepted in this transaction, reached the hourly number.
     */
    public void checkRecipient(String user, int inTransaction) throws SmtpRejection {
        if (settings.recipientsPerHour() == 0) return;
        Account a = account(user);
        long sent;
        synchronized (a) {
            sent = a.recipients.sum(clock.instant());
        }
        if (sent + inTransaction >= settings.recipientsPerHour()) {
            // RFC 5321 §4.5.3.1.10: a recipient limit is answered 452 (the client sends the rest
            // later); RFC 3463 X.5.3 too many recipients
            dev.sealpost.core.metrics.Meters.count(dev.sealpost.core.metrics.Meters.FILTER_OUTCOMES, "Threat filter refusals and holds", "outcome", "rate_limited");
            throw new SmtpRejection(452, "4.5.3", "Recipient rate limit reached (" + settings.recipientsPerHour()
                    + " recipients per hour), try again later");
        }
    }

    /** After "250": counts one message and its recipients. */
    public void sent(String user, int recipients) {
        Account a = account(user);
        synchronized (a) {
            Instant now = clock.instant();
            a.messages.add(now, 1);
            a.recipients.add(now, recipients);
        }
        trim();
    }

    /**
     * Before "250", with the message's score: counts spam-scored recipients and says whether the
     * message must be held (the account is over the bound, now or since earlier in the hour).
     *
     * @return true to hold the message (quarantine it, not send it)
     */
    public boolean scored(String user, double score, int recipients, String sessionId) {
        if (settings.holdRecipients() == 0) return false;
        Account a = account(user);
        boolean becameHeld = false;
        long spam;
        boolean held;
        synchronized (a) {
            Instant now = clock.instant();
            if (score >= settings.spamScore()) a.spamRecipients.add(now, recipients);
            spam = a.spamRecipients.sum(now);
            boolean over = spam >= settings.holdRecipients();
            if (over && !a.held) becameHeld = true;
            a.held = over;
            held = over;
        }
        if (becameHeld) {
            String why = "account " + user + " sent spam-scored mail (score >= " + settings.spamScore() + ") to " + spam
                    + " recipients within an hour (bound " + settings.holdRecipients() + ")";
            log.warn("{} outbound hold: {}", sessionId, why);
            try {
                onHold.accept(user, why);
            } catch (RuntimeException e) {
                log.error("{} telling the postmaster of the hold failed", sessionId, e);
            }
        }
        return held;
    }

    /** Whether the account's outgoing mail is held now. */
    public boolean held(String user) {
        Account a = accounts.get(key(user));
        if (a == null) return false;
        synchronized (a) {
            return a.held && a.spamRecipients.sum(clock.instant()) >= settings.holdRecipients();
        }
    }

    /** Drops accounts with nothing in their windows (bounded memory). */
    private void trim() {
        if (accounts.size() < 1024) return;
        Instant now = clock.instant();
        accounts.entrySet().removeIf(e -> {
            Account a = e.getValue();
            synchronized (a) {
                return a.messages.empty(now) && a.recipients.empty(now) && a.spamRecipients.empty(now);
            }
        });
    }
}
