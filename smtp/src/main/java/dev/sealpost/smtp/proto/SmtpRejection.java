package dev.sealpost.smtp.proto;

/**
 * A protocol rejection: the peer's fault or our policy, answered with a reply; the session
 * goes on (unless {@link #closeAfter()}). Stackless: it is control flow, not a bug.
 */
public final class SmtpRejection extends Exception {
    private final Reply reply;
    private final boolean closeAfter;

    public SmtpRejection(Reply reply) {
        this(reply, false);
    }

    public SmtpRejection(Reply reply, boolean closeAfter) {
        super(reply.toString(), null, false, false);
        this.reply = reply;
        this.closeAfter = closeAfter;
    }

    public SmtpRejection(int code, String enhanced, String text) {
        this(new Reply(code, enhanced, text));
    }

    public Reply reply() { return reply; }

    public boolean closeAfter() { return closeAfter; }
}
