package dev.sealpost.filter.quarantine;

import dev.sealpost.store.Quarantine;
import dev.sealpost.store.Store;

import java.time.Clock;
import java.util.Optional;

/**
 * Answers the digest's links, {@code /quarantine/<token>}, over HTTPS: a GET shows what the link
 * would do and a button that POSTs (it never acts: link scanners follow GETs); a POST checks the
 * token again and acts. Refusals: a forged token 403, an expired one 410, an entry already
 * released or deleted (single use) 410.
 */
public final class QuarantineLinks {
    /** An HTML answer. */
    public record Page(int status, String html) {}

    private final Store store;
    private final QuarantineTokens tokens;
    private final QuarantineActions actions;
    private final Clock clock;

    public QuarantineLinks(Store store, QuarantineTokens tokens, Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.actions = new QuarantineActions(store);
        this.clock = clock;
    }

    /** The GET: a confirmation page, or why the link does not work. Changes nothing. */
    public Page confirm(String token) {
        Object r = entry(token);
        if (r instanceof Page p) return p;
        Held h = (Held) r;
        String verb = h.valid().action() == QuarantineTokens.Action.RELEASE ? "Release" : "Delete";
        String what = h.valid().action() == QuarantineTokens.Action.RELEASE
                ? "Deliver this message to the INBOX of " + esc(h.entry().recipient()) + "?"
                : "Delete this held message for good?";
        return new Page(200, page(verb + " a held message",
                "<p>" + what + "</p>" + describe(h.entry())
                        + "<form method=post><button type=submit>" + verb + "</button></form>"));
    }

    /** The POST: checks the token and acts once. */
    public Page act(String token) {
        Object r = entry(token);
        if (r instanceof Page p) return p;
        Held h = (Held) r;
        QuarantineActions.Outcome o = h.valid().action() == QuarantineTokens.Action.RELEASE
                ? actions.release(h.entry().id()) : actions.delete(h.entry().id());
        return switch (o) {
            case QuarantineActions.Outcome.Released x -> new Page(200, page("Released",
                    "<p>The message was " + (x.queued() ? "sent on to " : "delivered to the INBOX of ") + esc(x.entry().recipient()) + ".</p>"
                            + describe(x.entry())));
            case QuarantineActions.Outcome.Deleted x -> new Page(200, page("Deleted", "<p>The held message was deleted.</p>" + describe(x.entry())));
            case QuarantineActions.Outcome.Gone x -> gone();
            case QuarantineActions.Outcome.Failed x -> new Page(500, page("Not released", "<p>" + esc(x.why())
                    + ". The message is still held; ask your administrator.</p>"));
        };
    }

    private record Held(QuarantineTokens.Check.Valid valid, Quarantine.Entry entry) {}

    private Object entry(String token) {
        QuarantineTokens.Check c = tokens.check(token, clock.instant());
        return switch (c) {
            case QuarantineTokens.Check.Forged f -> new Page(403, page("Invalid link", "<p>This link is not valid.</p>"));
            case QuarantineTokens.Check.Expired e -> new Page(410, page("Link expired", "<p>This link has expired.</p>"));
            case QuarantineTokens.Check.Valid v -> {
                Optional<Quarantine.Entry> e = store.quarantine().get(v.entryId());
                // the token names the entry's queue message and account too: an id can never name another message
                if (e.isEmpty() || e.get().queueMessageId() != v.queueMessageId() || e.get().accountId() != v.accountId()) yield gone();
                yield new Held(v, e.get());
            }
        };
    }

    private static Page gone() {
        return new Page(410, page("Already done", "<p>This message is no longer held: it was already released or deleted, "
                + "or it expired. Each link works once.</p>"));
    }

    private static String describe(Quarantine.Entry e) {
        return "<dl><dt>Received</dt><dd>" + esc(e.receivedAt().toString()) + "</dd><dt>From</dt><dd>"
                + esc(e.fromHeader() == null ? "<" + e.mailFrom() + ">" : e.fromHeader()) + "</dd><dt>Subject</dt><dd>"
                + esc(e.subject() == null ? "(no subject)" : e.subject()) + "</dd><dt>Reason</dt><dd>" + esc(e.verdict())
                + ", score " + esc(e.score()) + "</dd></dl>";
    }

    private static String page(String title, String body) {
        return "<!doctype html><meta charset=utf-8><meta name=robots content=noindex><title>" + esc(title) + "</title><h1>"
                + esc(title) + "</h1>" + body + "\n";
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
