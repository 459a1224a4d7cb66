package dev.sealpost.lists.post;

import dev.sealpost.core.mail.EmailAddress;

import java.util.Locale;
import java.util.Optional;

/**
 * Who a list is, as its header fields show it.
 *
 * @param address        the posting address {@code LIST@domain}
 * @param displayName    the list's name for people ("Dev Team"), any Unicode; used in List-Id and in a rewritten From
 * @param listId         the RFC 2919 list identifier ({@code dev.lists.example.com}); see {@link #defaultListId}
 * @param unsubscribeUrl the HTTPS base of one-click unsubscribe; the token is appended (RFC 8058 §3.1: an HTTPS URI)
 * @param archiveUrl     the archive's URI, or empty
 * @param announceOnly   true when members cannot post (List-Post: NO, RFC 2369 §3.4)
 */
public record ListIdentity(EmailAddress address, String displayName, String listId, String unsubscribeUrl,
                           Optional<String> archiveUrl, boolean announceOnly) {

    public ListIdentity {
        if (!listId.matches("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)+") || listId.length() > 255) {
            // RFC 2919 §2: list-id = list-label "." list-id-namespace, dot-atom-text, 255 octets at most
            throw new IllegalArgumentException("not an RFC 2919 list id: " + listId);
        }
        if (!unsubscribeUrl.startsWith("https://")) throw new IllegalArgumentException("one-click unsubscribe needs an https URI (RFC 8058 §3.1)");
        if (unsubscribeUrl.matches(".*[\\s<>\"].*") || archiveUrl.filter(u -> u.matches(".*[\\s<>\"].*")).isPresent()) {
            throw new IllegalArgumentException("a URI with white space, angle brackets or quotes");
        }
    }

    /** RFC 2919 §2: a label under a namespace we control: the local part, a dot, the domain ({@code dev.lists.example.com}), in lower case. */
    public static String defaultListId(EmailAddress list) {
        String label = list.localPart().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9!#$%&'*+/=?^_`{|}~-]", "-");
        return label + "." + list.domain();
    }

    /** {@code LIST-suffix@domain} ({@code request}, {@code owner}). */
    public String role(String suffix) {
        return address.localPart() + "-" + suffix + "@" + address.domain();
    }
}
