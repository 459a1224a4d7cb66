package dev.sealpost.inbound;

import dev.sealpost.smtp.server.SessionInfo;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Builds the trace header fields we prepend (RFC 5321 §4.4, RFC 5322 §3.6.7). */
final class ReceivedHeader {
    private ReceivedHeader() {}

    /** RFC 5322 §3.3 date-time with a numeric zone. */
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    /**
     * The protocol keyword of the "with" clause: RFC 3848 (ESMTP, ESMTPA, ESMTPS, ESMTPSA) and
     * RFC 6531 §3.7.3 (UTF8SMTP, UTF8SMTPA, UTF8SMTPS, UTF8SMTPSA).
     */
    static String protocol(SessionInfo s, boolean utf8) {
        if (!s.extended()) return "SMTP";
        return (utf8 ? "UTF8SMTP" : "ESMTP") + (s.tls() ? "S" : "") + (s.authenticatedUser() != null ? "A" : "");
    }

    /**
     * {@code Received: from HELO ([IP]) by US (Sealpost) with PROTO id ID [(TLS)] [for <rcpt>]; DATE}.
     * The client's HELO is untrusted: it is cut to 255 characters and stripped of anything but
     * printable ASCII so it can never break the header's syntax or fold.
     */
    static String received(SessionInfo s, String queueHint, String singleRecipient, boolean utf8, ZonedDateTime now) {
        StringBuilder b = new StringBuilder(256);
        String ip = s.remote().getAddress().getHostAddress();
        b.append("Received: from ").append(clean(s.helo() == null ? "unknown" : s.helo()))
                .append(" ([").append(s.remote().getAddress() instanceof java.net.Inet6Address ? "IPv6:" : "").append(ip).append("])\r\n");
        b.append("\tby ").append(s.serverName()).append(" (Sealpost) with ").append(protocol(s, utf8))
                .append(" id ").append(queueHint).append("\r\n");
        if (s.tls() && s.tlsDescription() != null) {
            b.append("\t(").append(clean(s.tlsDescription())).append(")\r\n");
        }
        if (singleRecipient != null) {
            // the "for" clause names the recipient only when there is one (RFC 5321 §4.4 privacy note)
            b.append("\tfor <").append(clean(singleRecipient)).append(">;\r\n");
        } else {
            b.setLength(b.length() - 2);
            b.append(";\r\n");
        }
        b.append("\t").append(DATE.format(now)).append("\r\n");
        return b.toString();
    }

    static String clean(String untrusted) {
        StringBuilder b = new StringBuilder(Math.min(untrusted.length(), 255));
        for (int i = 0; i < untrusted.length() && b.length() < 255; i++) {
            char c = untrusted.charAt(i);
            b.append(c > 32 && c < 127 && c != '(' && c != ')' && c != ';' && c != '\\' ? c : (c == ' ' ? ' ' : '?'));
        }
        return b.toString();
    }
}
