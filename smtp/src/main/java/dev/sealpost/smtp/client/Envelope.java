package dev.sealpost.smtp.client;

import dev.sealpost.core.mail.EmailAddress;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The envelope of one outgoing message (RFC 5321 §3.3) with the parameters passed on from the
 * incoming transaction: DSN (RFC 3461), body type, SMTPUTF8 and REQUIRETLS.
 *
 * @param sender     the reverse-path, or null for {@code <>}
 * @param recipients at least one
 * @param body       the body type
 * @param smtpUtf8   the message was received with SMTPUTF8 (RFC 6531): it may carry UTF-8 headers
 * @param requireTls RFC 8689: send only over authenticated TLS to a server offering REQUIRETLS
 * @param dsnRet     {@code FULL}, {@code HDRS} or null (RFC 3461 §4.3)
 * @param dsnEnvid   the ENVID, decoded (RFC 3461 §4.4), or null
 */
public record Envelope(EmailAddress sender, List<Recipient> recipients, BodyType body, boolean smtpUtf8,
                       boolean requireTls, String dsnRet, String dsnEnvid) {
    private static final Set<String> NOTIFY = Set.of("NEVER", "SUCCESS", "FAILURE", "DELAY");

    public Envelope {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) throw new IllegalArgumentException("recipients: at least one");
        Objects.requireNonNull(body, "body");
        if (dsnRet != null) {
            dsnRet = dsnRet.toUpperCase(Locale.ROOT);
            if (!dsnRet.equals("FULL") && !dsnRet.equals("HDRS")) throw new IllegalArgumentException("dsnRet: FULL or HDRS");
        }
        if (dsnEnvid != null && (dsnEnvid.isEmpty() || dsnEnvid.length() > 100)) { // RFC 3461 §4.4: at most 100 characters
            throw new IllegalArgumentException("dsnEnvid: 1 to 100 characters");
        }
    }

    /** A plain envelope: no DSN parameters, 7BIT unless said otherwise. */
    public static Envelope of(EmailAddress sender, List<EmailAddress> to) {
        return new Envelope(sender, to.stream().map(Recipient::of).toList(), BodyType.SEVEN_BIT, false, false, null, null);
    }

    public Envelope withBody(BodyType b) {
        return new Envelope(sender, recipients, b, smtpUtf8, requireTls, dsnRet, dsnEnvid);
    }

    public Envelope withSmtpUtf8(boolean v) {
        return new Envelope(sender, recipients, body, v, requireTls, dsnRet, dsnEnvid);
    }

    public Envelope withRequireTls(boolean v) {
        return new Envelope(sender, recipients, body, smtpUtf8, v, dsnRet, dsnEnvid);
    }

    public Envelope withDsn(String ret, String envid) {
        return new Envelope(sender, recipients, body, smtpUtf8, requireTls, ret, envid);
    }

    /** True when an envelope address has a non-ASCII character (only possible in local parts: domains are A-labels). */
    public boolean hasUtf8Address() {
        if (sender != null && !ascii(sender.toString())) return true;
        for (Recipient r : recipients) {
            if (!ascii(r.address().toString())) return true;
        }
        return false;
    }

    static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) > 0x7f) return false;
        return true;
    }

    /**
     * One recipient.
     *
     * @param address the forward-path
     * @param dsnNotify DSN NOTIFY values (NEVER alone, or any of SUCCESS, FAILURE, DELAY); empty = not given
     * @param orcpt   ORCPT as {@code addr-type;address} decoded (e.g. {@code rfc822;a@example.org}), or null
     */
    public record Recipient(EmailAddress address, List<String> dsnNotify, String orcpt) {
        public Recipient {
            Objects.requireNonNull(address, "address");
            dsnNotify = dsnNotify == null ? List.of() : dsnNotify.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
            for (String n : dsnNotify) if (!NOTIFY.contains(n)) throw new IllegalArgumentException("notify: unknown value " + n);
            // RFC 3461 §4.1: NEVER must appear alone
            if (dsnNotify.contains("NEVER") && dsnNotify.size() > 1) throw new IllegalArgumentException("notify: NEVER must be alone");
            if (orcpt != null) {
                int semi = orcpt.indexOf(';');
                if (semi <= 0 || semi == orcpt.length() - 1) throw new IllegalArgumentException("orcpt: addr-type;address");
            }
        }

        public static Recipient of(EmailAddress a) {
            return new Recipient(a, List.of(), null);
        }
    }
}
