package dev.sealpost.smtp.client;

/** The fate of a message or recipient at one server (RFC 5321 §4.2.1). */
public enum Outcome {
    /** 2xx: the server took responsibility. */
    ACCEPTED,
    /** 4xx, a lost connection or a timeout: retry later (RFC 5321 §4.5.4.1). */
    TEMPFAIL,
    /** 5xx: do not retry; bounce (RFC 5321 §4.2.1, RFC 3464). */
    PERMFAIL;

    /** The outcome a reply code stands for. */
    public static Outcome of(int code) {
        if (code < 400) return ACCEPTED;
        return code < 500 ? TEMPFAIL : PERMFAIL;
    }
}
