package dev.sealpost.inbound;

import dev.sealpost.smtp.server.SessionInfo;
import dev.sealpost.smtp.server.SmtpHandler;
import dev.sealpost.smtp.server.SmtpHandlerFactory;
import dev.sealpost.store.Store;

import java.time.Clock;

/** Creates one {@link InboundHandler} per SMTP connection (MX and submission listeners alike). */
public final class InboundHandlerFactory implements SmtpHandlerFactory {
    private final Store store;
    private final InboundSettings settings;
    private final Runnable onEnqueued;
    private final Clock clock;

    /**
     * @param onEnqueued called after each message is durably in the spool (wakes local delivery)
     */
    public InboundHandlerFactory(Store store, InboundSettings settings, Runnable onEnqueued, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.onEnqueued = onEnqueued;
        this.clock = clock;
    }

    @Override
    public SmtpHandler open(SessionInfo session) {
        return new InboundHandler(store, settings, onEnqueued, clock);
    }
}
