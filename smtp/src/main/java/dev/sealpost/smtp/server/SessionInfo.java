package dev.sealpost.smtp.server;

import java.net.InetSocketAddress;

/**
 * What the session engine knows about a connection, handed to the handler at each step.
 * Mutable by the engine only; handlers read it.
 */
public interface SessionInfo {
    /** A short unique id that appears on every log line of this session and in Received. */
    String sessionId();
    ListenerKind kind();
    InetSocketAddress remote();
    InetSocketAddress local();
    /** The name the client gave in EHLO/HELO, or null before it. */
    String helo();
    /** True after EHLO (not HELO). */
    boolean extended();
    /** True once the connection is TLS (implicit or after STARTTLS). */
    boolean tls();
    /** TLS protocol and cipher, e.g. {@code TLSv1.3 TLS_AES_256_GCM_SHA384}, or null. */
    String tlsDescription();
    /** The authenticated account name, or null. */
    String authenticatedUser();
    /** Our host name as announced in the greeting. */
    String serverName();
}
