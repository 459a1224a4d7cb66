package dev.sealpost.imap.server;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.server.ImapSession.State;
import dev.sealpost.store.Mailboxes.MailboxInfo;

import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static dev.sealpost.imap.server.ImapSession.OTHER_USERS;

/**
 * RFC 5465 NOTIFY: the NOTIFY command, the state it sets, and the thread that sends the account's
 * other mailboxes' changes (STATUS, LIST) and the selected one's between commands.
 */
final class Notifier extends CommandFamily {
    Notifier(ImapSession session) {
        super(session);
    }

    /** Last state of the account's mailboxes that NOTIFY reported, by id. */
    private Map<Long, MailboxInfo> notifyMailboxes = Map.of();
    private Set<String> notifySubscriptions = Set.of();

    String notifyCommand(List<Arg> a) throws IOException, CommandFailed {
        if (a.isEmpty()) throw bad("NOTIFY SET ... or NOTIFY NONE");
        String sub = text(a.get(0)).toUpperCase(Locale.ROOT);
        if (sub.equals("NONE")) {
            argc(a, 1);
            session.notifySpec(null);
            stopNotifier();
            return "NOTIFY completed";
        }
        if (!sub.equals("SET")) throw bad("NOTIFY SET or NOTIFY NONE");
        NotifySpec spec;
        try {
            spec = NotifySpec.parse(a.subList(1, a.size()), this::mailboxName);
        } catch (NotifySpec.BadEvent e) {
            throw no("[BADEVENT (" + String.join(" ", NotifySpec.SUPPORTED) + ")] Unsupported event " + e.getMessage());
        }
        for (NotifySpec.Group g : spec.groups()) {
            for (String n : g.names()) {
                if (n.equals(OTHER_USERS) || n.startsWith(OTHER_USERS + "/")) throw no("[NOTIFICATIONOVERFLOW] Only personal mailboxes can be watched");
            }
        }
        notifySnapshot();
        session.notifySpec(spec);
        if (spec.status()) { // RFC 5465 §3.1: STATUS for each mailbox of the groups, now
            for (MailboxInfo m : notifyMailboxes.values()) {
                if (selected() != null && m.id() == selected().mailboxId) continue;
                if (watched(spec, m.name(), "MessageNew")) untagged("STATUS " + mbox(m.name()) + " (" + notifyStatus(spec, m) + ")");
            }
        }
        startNotifier();
        return "NOTIFY completed";
    }

    private void notifySnapshot() {
        Map<Long, MailboxInfo> now = new LinkedHashMap<>();
        for (MailboxInfo m : mailboxes().list(account().id())) now.put(m.id(), m);
        notifyMailboxes = now;
        notifySubscriptions = new HashSet<>(mailboxes().subscriptions(account().id()));
    }

    /**
     * The STATUS items of a notification: counts, and HIGHESTMODSEQ with CONDSTORE or when the
     * client watches the mailbox's flag changes (RFC 5465 §5.2, §5.3: the modseq is how it learns
     * that flags changed; Dovecot does the same).
     */
    private String notifyStatus(NotifySpec spec, MailboxInfo m) {
        return "MESSAGES " + m.messages() + " UIDNEXT " + m.uidNext() + " UIDVALIDITY " + m.uidValidity() + " UNSEEN " + m.unseen()
                + (condstore() || watched(spec, m.name(), "FlagChange") ? " HIGHESTMODSEQ " + m.highestModSeq() : "");
    }

    /** Whether a group of the spec covers this mailbox name with this event (RFC 5465 §6 filters). */
    private boolean watched(NotifySpec spec, String name, String event) {
        for (NotifySpec.Group g : spec.groups()) {
            if (!g.has(event)) continue;
            boolean match = switch (g.filter()) {
                case "PERSONAL" -> true;
                case "INBOXES" -> name.equals("INBOX") || name.startsWith("INBOX/");
                case "SUBSCRIBED" -> notifySubscriptions.contains(name);
                case "SUBTREE" -> g.names().stream().anyMatch(n -> name.equals(n) || name.startsWith(n + "/"));
                case "MAILBOXES" -> g.names().contains(name);
                default -> false;
            };
            if (match) return true;
        }
        return false;
    }

    /** Sends what changed in the account's other mailboxes (STATUS, LIST) and, when asked, the selected one. */
    void notifyOthers() throws IOException {
        NotifySpec spec = session.notifySpec();
        if (spec == null || account() == null) return;
        Map<Long, MailboxInfo> before = notifyMailboxes;
        Set<String> subsBefore = notifySubscriptions;
        notifySnapshot();
        Map<Long, MailboxInfo> now = notifyMailboxes;
        for (MailboxInfo m : now.values()) {
            MailboxInfo old = before.get(m.id());
            if (old == null) {
                if (watched(spec, m.name(), "MailboxName")) untagged("LIST () \"/\" " + mbox(m.name())); // RFC 5465 §5.4
                continue;
            }
            if (!old.name().equals(m.name())) {
                if (watched(spec, m.name(), "MailboxName") || watched(spec, old.name(), "MailboxName")) {
                    untagged("LIST () \"/\" " + mbox(m.name()) + " (\"OLDNAME\" (" + mbox(old.name()) + "))"); // RFC 5465 §5.4
                }
            }
            if (selected() != null && m.id() == selected().mailboxId) continue;
            boolean counts = old.messages() != m.messages() || old.uidNext() != m.uidNext() || old.uidValidity() != m.uidValidity();
            boolean flags = old.highestModSeq() != m.highestModSeq();
            if ((counts && watched(spec, m.name(), "MessageNew")) || (flags && watched(spec, m.name(), "FlagChange"))) {
                untagged("STATUS " + mbox(m.name()) + " (" + notifyStatus(spec, m) + ")"); // RFC 5465 §5.2, §5.3
            }
        }
        for (MailboxInfo old : before.values()) {
            if (!now.containsKey(old.id()) && watched(spec, old.name(), "MailboxName")) {
                untagged("LIST (\\NonExistent) \"/\" " + mbox(old.name()));
            }
        }
        for (String n : notifySubscriptions) {
            if (!subsBefore.contains(n) && watched(spec, n, "SubscriptionChange")) untagged("LIST (\\Subscribed) \"/\" " + mbox(n)); // RFC 5465 §5.5
        }
        for (String n : subsBefore) {
            if (!notifySubscriptions.contains(n) && watched(spec, n, "SubscriptionChange")) untagged("LIST () \"/\" " + mbox(n));
        }
    }

    private void startNotifier() {
        if (session.notifierThread() != null) return;
        Thread t = Thread.ofVirtual().name(id() + "-notify").unstarted(this::notifyLoop);
        session.notifierThread(t);
        t.start();
    }

    /** Ends the notifier thread: without interrupting it (an interrupt could close the store's file channels mid-I/O). */
    void stopNotifier() {
        session.notifierThread(null);
        ReentrantLock wakeLock = session.wakeLock();
        wakeLock.lock();
        try {
            session.notifyWoken(true);
            session.wakeCond().signalAll();
        } finally {
            wakeLock.unlock();
        }
    }

    /** Waits for store wake-ups (or the poll interval) and sends notifications between commands. */
    private void notifyLoop() {
        long poll = cfg().limits().pollInterval().toMillis();
        ReentrantLock wakeLock = session.wakeLock();
        Condition wakeCond = session.wakeCond();
        ReentrantLock io = session.io();
        try {
            while (session.notifierThread() == Thread.currentThread() && session.notifySpec() != null) {
                wakeLock.lock();
                try {
                    if (!session.notifyWoken()) wakeCond.await(poll, TimeUnit.MILLISECONDS);
                    session.notifyWoken(false);
                } finally {
                    wakeLock.unlock();
                }
                io.lock();
                try {
                    if (session.notifierThread() != Thread.currentThread() || session.notifySpec() == null || state() == State.LOGOUT || account() == null) continue;
                    NotifySpec spec = session.notifySpec();
                    // the selected mailbox: new messages and flag changes now; EXPUNGE waits for a command (RFC 9051 §7.5.1)
                    if (selected() != null && spec.selected().contains("MessageNew")) sync(false);
                    notifyOthers();
                    flush();
                } finally {
                    io.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ImapSession.Close c) {
            session.abortConnection();
        } catch (IOException | RuntimeException e) {
            log.debug("{} notifier ended: {}", id(), e.toString());
            session.abortConnection();
        }
    }
}
