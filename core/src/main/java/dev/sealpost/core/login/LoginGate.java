package dev.sealpost.core.login;

import dev.sealpost.core.metrics.Meters;
import dev.sealpost.core.auth.LoginThrottle;
import dev.sealpost.core.auth.PasswordWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Flushable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The one place every protocol's login goes through: throttling shared by SMTP, IMAP and POP3
 * (one {@link LoginThrottle}, so guesses spread over protocols still add up) and one log line
 * per attempt, in a format that fail2ban and the like can match:
 * <pre>
 * auth failed proto=imap mech=PLAIN user=alice@example.com ip=203.0.113.5 reason=bad-credentials session=imap-5f3a09c1
 * auth refused proto=smtp mech=- user=- ip=203.0.113.5 reason=throttled session=k2jd9x0aa1bc
 * auth ok proto=pop3 mech=USER user=alice@example.com ip=203.0.113.5 session=pop3-...
 * </pre>
 * Fields are {@code key=value} in this order, single spaces, no quoting; a value never holds
 * a space: the user name is the one the client claimed, unchecked, with bytes outside
 * printable ASCII, space and {@code %} percent-encoded (so it cannot forge an {@code ip=}
 * field), cut at 256 characters; {@code -} when none. Never the password or SASL payload.
 * Logged at INFO on the logger {@code dev.sealpost.login}. The reply to the client is the
 * protocol's and the same for an unknown user and a wrong password.
 */
public final class LoginGate {
    private static final Logger log = LoggerFactory.getLogger("dev.sealpost.login");
    private static final int MAX_USER_CHARS = 256;

    /** Who is trying: the protocol ({@code smtp}, {@code imap}, {@code pop3}), the session id and the client's address. */
    public record Client(String protocol, String sessionId, InetAddress ip) {
        public Client {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(ip, "ip");
        }
    }

    private final LoginThrottle throttle;

    /** @param throttle the shared throttle, or null for none (tests); the log lines are written either way */
    public LoginGate(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    /** A gate that logs but never delays or blocks (tests, or a deployment without logins). */
    public static LoginGate unthrottled() {
        return new LoginGate(null);
    }

    /**
     * True (after logging {@code auth refused ... reason=throttled}) when this client may not try
     * to log in now; the protocol then answers with its temporary failure, before any password
     * hashing. Every protocol calls this right before checking credentials, so it also tells
     * {@link PasswordWork} whose hash the calling thread will ask for.
     */
    public boolean blocked(Client c, String mechanism) {
        // the credential check that follows hashes in this address's lane (PasswordWork, finding 6)
        PasswordWork.attribute(c.ip());
        if (throttle == null || !throttle.blocked(c.ip())) return false;
        log.info(line("auth refused", c, mechanism, null, "throttled"));
        count(c, "refused");
        return true;
    }

    /**
     * A failed guess (wrong password, unknown user, wrong channel binding): logs it, counts it
     * against the address and the claimed user, and waits before the protocol replies
     * ({@code out} is flushed first, so earlier replies are not held up).
     *
     * @throws InterruptedIOException when interrupted while waiting (the session should end)
     */
    public void failed(Client c, String mechanism, String claimedUser, String reason, Flushable out) throws IOException {
        log.info(line("auth failed", c, mechanism, claimedUser, reason));
        count(c, "failed");
        if (throttle == null) return;
        throttle.failed(c.ip(), claimedUser);
        Duration delay = throttle.delayFor(c.ip(), claimedUser);
        if (delay == null || !delay.isPositive()) return;
        out.flush();
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during the login failure delay");
        }
    }

    /**
     * An attempt that ended without a verdict on the credentials (malformed, cancelled, cut
     * off, connection closed, no TLS): logged as {@code auth failed} with its reason, not
     * counted by the throttle.
     */
    public void aborted(Client c, String mechanism, String claimedUser, String reason) {
        log.info(line("auth failed", c, mechanism, claimedUser, reason));
        count(c, "aborted");
    }

    /** A successful login as {@code user} (the canonical account name): this address's failures on it are forgiven. */
    public void succeeded(Client c, String mechanism, String user) {
        if (throttle != null) throttle.succeeded(c.ip(), user);
        count(c, "ok");
        log.info("auth ok proto={} mech={} user={} ip={} session={}", c.protocol(), field(mechanism), field(user),
                c.ip().getHostAddress(), c.sessionId());
    }

    private static void count(Client c, String outcome) {
        Meters.count(Meters.LOGINS, "Login attempts by outcome (ok, failed, aborted, refused)",
                "protocol", c.protocol(), "outcome", outcome);
    }

    static String line(String event, Client c, String mechanism, String user, String reason) {
        return event + " proto=" + c.protocol() + " mech=" + field(mechanism) + " user=" + field(user)
                + " ip=" + c.ip().getHostAddress() + " reason=" + field(reason) + " session=" + c.sessionId();
    }

    /** A value safe for one {@code key=value} field: see the class comment. */
    static String field(String v) {
        if (v == null || v.isEmpty()) return "-";
        StringBuilder sb = new StringBuilder();
        for (byte b : v.getBytes(StandardCharsets.UTF_8)) {
            int x = b & 0xff;
            if (x > 0x20 && x < 0x7f && x != '%') sb.append((char) x);
            else sb.append('%').append(Character.toUpperCase(Character.forDigit(x >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(x & 15, 16)));
            if (sb.length() >= MAX_USER_CHARS) break;
        }
        return sb.toString();
    }
}
