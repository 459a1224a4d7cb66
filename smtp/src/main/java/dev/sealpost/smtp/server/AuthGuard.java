package dev.sealpost.smtp.server;

import java.net.InetAddress;
import java.time.Duration;

/**
 * Login throttling as the session engine sees it; the application adapts core's
 * {@code LoginThrottle} to it. All methods may be called from many sessions at once.
 */
public interface AuthGuard {
    /** No throttling at all (tests, or a deployment without AUTH). */
    AuthGuard NONE = new AuthGuard() {};

    /** True when this client may not try to log in now: AUTH then gets {@code 454 4.7.0}. */
    default boolean blocked(InetAddress client) { return false; }

    /** How long to wait before sending {@code 535} for a failed attempt (slows guessing). */
    default Duration delayBeforeFailureReply(InetAddress client, String user) { return Duration.ZERO; }

    /** A failed attempt; {@code user} is null when the mechanism does not reveal it. */
    default void failed(InetAddress client, String user) {}

    /** A successful login. */
    default void succeeded(InetAddress client, String user) {}
}
