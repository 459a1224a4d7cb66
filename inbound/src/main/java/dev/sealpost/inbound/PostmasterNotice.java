package dev.sealpost.inbound;

import dev.sealpost.store.BlobRef;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Tells the postmaster ({@code server.postmaster}) that an account's outgoing mail is held
 * ({@link OutboundGuard}): a short plain-text message queued like any other, from the null
 * reverse-path (RFC 5321 §4.5.5: no reply or bounce can loop back to an automatic notice).
 */
public final class PostmasterNotice implements BiConsumer<String, String> {
    private static final Logger log = LoggerFactory.getLogger(PostmasterNotice.class);

    private final Store store;
    private final String postmaster;
    private final String hostname;
    private final Clock clock;
    private final Runnable onEnqueued;

    /** @param postmaster the address told; null: the hold is only logged */
    public PostmasterNotice(Store store, String postmaster, String hostname, Clock clock, Runnable onEnqueued) {
        this.store = store;
        this.postmaster = postmaster;
        this.hostname = hostname;
        this.clock = clock;
        this.onEnqueued = onEnqueued;
    }

    @Override
    public void accept(String account, String why) {
        if (postmaster == null) {
            log.warn("outbound hold of {}: no server.postmaster to tell", account);
            return;
        }
        String safeAccount = account.replaceAll("[^\\x21-\\x7e]", "?"); // an address: no line breaks into the header
        String text = "From: Sealpost <postmaster@" + hostname + ">\r\n"
                + "To: <" + postmaster + ">\r\n"
                + "Subject: Outgoing mail of " + safeAccount + " held (possible compromised account)\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(clock)) + "\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@" + hostname + ">\r\n"
                + "Auto-Submitted: auto-generated\r\n" // RFC 3834 §5
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + "The outgoing mail of " + safeAccount + " is held: " + why.replaceAll("\\p{Cntrl}", " ") + ".\r\n\r\n"
                + "Its messages are kept in the quarantine and not sent while the account stays over the bound\r\n"
                + "(filter.outbound_hold_recipients per hour). If the account was taken over, change its\r\n"
                + "password or disable it. To look at the held messages:\r\n\r\n"
                + "  sealpost quarantine list\r\n"
                + "  sealpost quarantine show ID\r\n"
                + "  sealpost quarantine release ID    (sends it)\r\n"
                + "  sealpost quarantine delete ID\r\n";
        try {
            BlobRef blob = store.blobs().put(text.getBytes(StandardCharsets.UTF_8));
            long id = store.spool().enqueue(new Spool.Envelope("", List.of(new Spool.Recipient(postmaster, null, null)), null, null,
                    null, "outbound-hold", false, false, null, null, null, clock.instant()), blob);
            log.info("outbound hold of {}: postmaster {} told, queue id={}", account, postmaster, id);
            onEnqueued.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
