package dev.sealpost.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * "Where is my mail": what the store knows of one spooled message, as events in time order,
 * read from the queue and delivery records (queue_messages, queue_recipients, deliveries,
 * remote_deliveries) and the Message-ID cached on delivered copies. What is not recorded there
 * (filter verdicts, rejections before "250") is not part of a trace. Read-only.
 */
public interface MessageTrace {
    /** Longest Message-ID looked up. */
    int MAX_MESSAGE_ID = 998;

    /**
     * One event.
     *
     * @param type     {@code received} (spooled), {@code delivered} (into a local mailbox),
     *                 {@code queued} (a remote delivery waiting, with attempts so far), {@code deferred}
     *                 (a remote attempt failed temporarily), {@code relayed} (a remote server took it),
     *                 {@code bounced} (given up), {@code held} (kept back by an administrator),
     *                 {@code failed} (a local recipient failed)
     * @param address  the recipient concerned, or for {@code received} the sender ({@code ""}: null sender)
     * @param detail   the reply or reason, or null
     * @param remoteMta the remote host that gave {@code detail}, or null
     */
    record Event(Instant at, String type, String address, String detail, String remoteMta) {
        public Event {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(type, "type");
        }
    }

    /** One message's trace: envelope facts, the Message-IDs seen on its delivered copies, and its events. */
    record Trace(long queueId, String mailFrom, String authUser, String clientAddress, Instant receivedAt, long size,
                 List<String> recipients, List<String> messageIds, List<Event> events) {
        public Trace {
            recipients = List.copyOf(recipients);
            messageIds = List.copyOf(messageIds);
            events = List.copyOf(events);
        }
    }

    /** The trace of a spooled message by its queue id. */
    Optional<Trace> byQueueId(long queueId);

    /**
     * The traces of the spooled messages whose delivered copies carry this Message-ID (with or
     * without the angle brackets), newest first, at most {@code limit}.
     */
    List<Trace> byMessageId(String messageId, int limit);
}
