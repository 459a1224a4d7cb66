package dev.sealpost.auth.iprev;

import java.net.InetAddress;
import java.util.Objects;

/**
 * The result of an iprev check (RFC 8601 §3), as a value.
 *
 * @param result the iprev result
 * @param ip     the client IP checked ({@code policy.iprev} in Authentication-Results, RFC 8601 §2.7.3)
 * @param name   the forward-confirmed PTR name (lower case, no trailing dot) for PASS, else null
 * @param reason a short reason for logs and comments
 */
public record IprevOutcome(IprevResult result, InetAddress ip, String name, String reason) {
    public IprevOutcome {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(reason, "reason");
    }
}
