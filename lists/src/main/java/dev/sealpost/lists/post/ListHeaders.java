package dev.sealpost.lists.post;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The header fields a list adds to each copy, and the ones it removes from a post first.
 *
 * <p>Added (in this order): List-Id (RFC 2919), List-Help, List-Subscribe, List-Unsubscribe,
 * List-Post, List-Owner, List-Archive (RFC 2369), List-Unsubscribe-Post (RFC 8058),
 * Precedence: list, and the loop trace {@code X-Loop: LIST@domain}. Only List-Unsubscribe
 * differs between members (its token); everything else is the same in every copy.
 */
public final class ListHeaders {
    private ListHeaders() {}

    /** The loop trace field: each list that handled the post adds its posting address. */
    public static final String TRACE = "X-Loop";

    /**
     * Removed from a post before it is sent on: a previous list's fields (we replace them, as
     * Mailman does; RFC 2369 §4 expects one set per list), the envelope traces that could name a
     * recipient (Bcc, Delivered-To, X-Original-To, Envelope-To, Return-Path: a member's address
     * must not reach another member), and Precedence.
     */
    public static final Set<String> REMOVED = Set.of("list-id", "list-help", "list-subscribe", "list-unsubscribe",
            "list-unsubscribe-post", "list-post", "list-owner", "list-archive", "precedence", "bcc", "resent-bcc",
            "delivered-to", "x-original-to", "envelope-to", "x-envelope-to", "return-path", "x-rcpt-to", "x-beenthere");

    /** The fields common to every copy (everything but List-Unsubscribe). */
    public static List<Post.Field> common(ListIdentity list) {
        // addresses are written as UTF-8 octets (RFC 6532) when a list has a UTF-8 local part
        String request = HeaderText.asOctets(list.role("request"));
        String self = HeaderText.asOctets(list.address().toString());
        List<Post.Field> out = new ArrayList<>();
        // RFC 2919 §3: List-Id: [phrase] "<" list-id ">"
        out.add(Post.Field.of("List-Id", HeaderText.phrase(list.displayName()) + " <" + list.listId() + ">"));
        // RFC 2369 §3.1-§3.6: angle-bracketed URIs, mailto with a subject where a command is meant
        out.add(Post.Field.of("List-Help", "<mailto:" + request + "?subject=help>"));
        out.add(Post.Field.of("List-Subscribe", "<mailto:" + request + "?subject=subscribe>"));
        out.add(Post.Field.of("List-Post", list.announceOnly() ? "NO" : "<mailto:" + self + ">")); // RFC 2369 §3.4
        out.add(Post.Field.of("List-Owner", "<mailto:" + HeaderText.asOctets(list.role("owner")) + ">"));
        list.archiveUrl().ifPresent(a -> out.add(Post.Field.of("List-Archive", "<" + a + ">")));
        // RFC 8058 §3.1: the POST body a receiver sends to the HTTPS List-Unsubscribe URI
        out.add(Post.Field.of("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"));
        out.add(Post.Field.of("Precedence", "list")); // not a standard field; auto-responders honour it (RFC 3834 discusses it)
        out.add(Post.Field.of(TRACE, self));
        return out;
    }

    /**
     * RFC 2369 §3.2 List-Unsubscribe with the member's one-click HTTPS URI first (RFC 8058 §3.1
     * requires one HTTPS URI) and the mail command as the fallback.
     */
    public static Post.Field unsubscribe(ListIdentity list, String token) {
        if (!token.matches("[A-Za-z0-9._-]+")) throw new IllegalArgumentException("token is not URL-safe");
        String base = list.unsubscribeUrl().endsWith("/") ? list.unsubscribeUrl() : list.unsubscribeUrl() + "/";
        return Post.Field.of("List-Unsubscribe", "<" + base + token + ">,\r\n <mailto:" + HeaderText.asOctets(list.role("request")) + "?subject=unsubscribe>");
    }

    /**
     * True when a post has already been through this list (a list's RFC 2919 List-Id is stable, so it
     * identifies our own copies): our address in a loop trace, our List-Id, or more than {@code maxTraces} traces of
     * any lists (a runaway chain of lists subscribed to each other).
     */
    public static boolean isLoop(Post post, ListIdentity list, int maxTraces) {
        List<String> traces = post.all(TRACE);
        if (traces.size() > maxTraces) return true;
        String self = HeaderText.asOctets(list.address().toString()).toLowerCase(Locale.ROOT);
        for (String t : traces) {
            String v = t.strip().toLowerCase(Locale.ROOT);
            if (v.startsWith("<") && v.endsWith(">")) v = v.substring(1, v.length() - 1);
            if (v.equals(self)) return true;
        }
        for (String id : post.all("List-Id")) {
            int lt = id.lastIndexOf('<'), gt = id.lastIndexOf('>');
            String v = lt >= 0 && gt > lt ? id.substring(lt + 1, gt) : id;
            if (v.strip().equalsIgnoreCase(list.listId())) return true;
        }
        return false;
    }
}
