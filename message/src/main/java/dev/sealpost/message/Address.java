package dev.sealpost.message;

/**
 * One item of an address list as IMAP's ENVELOPE shows it (RFC 9051 §7.5.2): a mailbox, or the
 * start or end marker of a group (RFC 5322 §3.4).
 *
 * <ul>
 *   <li>mailbox: {@code mailbox} and {@code host} non-null ({@code host} is {@code ""} when the
 *       address had no domain, so that it is never mistaken for a group marker);</li>
 *   <li>group start: {@code host == null}, {@code mailbox} is the group name;</li>
 *   <li>group end: all four components null.</li>
 * </ul>
 *
 * @param name    display name as written (quotes removed, RFC 2047 encoded words left as is),
 *                or the comment text when the mailbox had no display name; null when none
 * @param route   obsolete source route ({@code @a,@b}, RFC 5322 §4.4), or null
 * @param mailbox local part as written (a quoted local part keeps its quotes)
 * @param host    domain as written
 */
public record Address(String name, String route, String mailbox, String host) {

    public static Address mailbox(String name, String route, String mailbox, String host) {
        return new Address(name, route, mailbox == null ? "" : mailbox, host == null ? "" : host);
    }

    public static Address groupStart(String groupName) {
        return new Address(null, null, groupName == null ? "" : groupName, null);
    }

    public static Address groupEnd() {
        return new Address(null, null, null, null);
    }

    public boolean isGroupStart() {
        return host == null && mailbox != null;
    }

    public boolean isGroupEnd() {
        return host == null && mailbox == null;
    }

    public boolean isMailbox() {
        return host != null;
    }

    /** {@code mailbox@host} (or just the mailbox when there is no host); null for group markers. */
    public String address() {
        if (!isMailbox()) return null;
        return host.isEmpty() ? mailbox : mailbox + "@" + host;
    }
}
