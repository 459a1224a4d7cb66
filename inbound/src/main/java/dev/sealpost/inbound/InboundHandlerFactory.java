package dev.sealpost.inbound;

import dev.sealpost.smtp.server.SessionInfo;
import dev.sealpost.smtp.server.SmtpHandler;
import dev.sealpost.smtp.server.SmtpHandlerFactory;
import dev.sealpost.store.Store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** Creates one {@link InboundHandler} per SMTP connection (MX and submission listeners alike). */
public final class InboundHandlerFactory implements SmtpHandlerFactory {
    private final Store store;
    private final InboundSettings settings;
    private final Runnable onEnqueued;
    private final Clock clock;
    private final List<ContentPolicy> policies;
    private final Path tmpDir;
    private final dev.sealpost.queue.srs.Srs srs;
    private volatile AcceptanceListener listener;
    private volatile ClientChecks clientChecks;
    private volatile OutboundGuard outbound;

    /**
     * @param policies   run in order on every message before it is stored (each decides by listener kind whether it applies)
     * @param tmpDir     where content larger than the memory buffer waits while the policies run
     * @param onEnqueued called after each message is durably in the spool (wakes local delivery)
     */
    public InboundHandlerFactory(Store store, InboundSettings settings, List<ContentPolicy> policies, Path tmpDir,
                                 Runnable onEnqueued, Clock clock) {
        this(store, settings, policies, tmpDir, onEnqueued, clock, null);
    }

    /**
     * As above, and recipients that are SRS addresses of ours are checked and sent on to the
     * address they stand for ({@code [srs]}, docs/srs.md).
     *
     * @param srs reverses SRS addresses, or null when SRS is off
     */
    public InboundHandlerFactory(Store store, InboundSettings settings, List<ContentPolicy> policies, Path tmpDir,
                                 Runnable onEnqueued, Clock clock, dev.sealpost.queue.srs.Srs srs) {
        this.srs = srs;
        this.store = store;
        this.settings = settings;
        this.policies = List.copyOf(policies);
        this.tmpDir = tmpDir;
        this.onEnqueued = onEnqueued;
        this.clock = clock;
    }

    /** Tells {@code l} of every message accepted, before its "250" (the evidence log); null for none. */
    public InboundHandlerFactory withAcceptanceListener(AcceptanceListener l) {
        this.listener = l;
        return this;
    }

    /**
     * The filter's checks in the session (docs/filter.md "In the server"): DNS lists and
     * greylisting at the MX, per-account rate limits at submission; either may be null.
     */
    public InboundHandlerFactory withFilterChecks(ClientChecks checks, OutboundGuard guard) {
        this.clientChecks = checks;
        this.outbound = guard;
        return this;
    }

    @Override
    public SmtpHandler open(SessionInfo session) {
        return new InboundHandler(store, settings, policies, tmpDir, onEnqueued, clock, srs).withAcceptanceListener(listener)
                .withFilterChecks(clientChecks, outbound);
    }
}
