package dev.sealpost.lists.post;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * DMARC-safe From for list mail (RFC 7960 §4.1.3, done as Mailman 3 does with
 * {@code dmarc_mitigate_action = munge_from}).
 *
 * <p>A list changes a post (prefix, footer, list fields), which breaks the author's DKIM
 * signature, and sends it from its own servers, so SPF does not align either: when the author's
 * domain asks receivers to quarantine or reject (RFC 7489 §6.3 {@code p=}), a copy that keeps the
 * author's From fails DMARC and is lost. The rewrite makes the list the author in From
 * ({@code "Name via List" <list@domain>}, aligned with the list's own DKIM signature and return
 * path) and keeps the author reachable in Reply-To or Cc, per list setting. When the author's
 * domain publishes {@code p=none} or no policy, From stays.
 */
public final class FromRewriter {
    private FromRewriter() {}

    /** The author's domain's DMARC policy, as the DMARC evaluation found it (RFC 7489 §6.3 {@code p}, or {@code sp} for a subdomain). */
    public enum DmarcPolicy { ABSENT, NONE, QUARANTINE, REJECT }

    /** When to rewrite. */
    public enum Mode {
        /** Only for p=quarantine and p=reject (the default, as Mailman). */
        WHEN_NEEDED,
        /** Every post (for lists whose members' receivers apply local policy beyond DMARC). */
        ALWAYS,
        /** Never (the list owner accepts the losses). */
        NEVER
    }

    /** Where the author goes once From is the list's. */
    public enum PosterIn {
        /** Added to Reply-To (with any Reply-To the author set): replies go to the author. */
        REPLY_TO,
        /** Added to Cc: replies to all reach the author, replies go where Reply-To says (the list). */
        CC
    }

    /**
     * @param post      the post, possibly rewritten
     * @param rewritten true when From was replaced
     */
    public record Result(Post post, boolean rewritten) {}

    public static boolean needed(DmarcPolicy policy, Mode mode) {
        return switch (mode) {
            case NEVER -> false;
            case ALWAYS -> true;
            case WHEN_NEEDED -> policy == DmarcPolicy.QUARANTINE || policy == DmarcPolicy.REJECT;
        };
    }

    public static Result apply(Post post, ListIdentity list, DmarcPolicy policy, Mode mode, PosterIn where) {
        if (!needed(policy, mode)) return new Result(post, false);
        List<String> fromValues = post.fields().stream().filter(f -> f.is("From")).map(f -> f.raw().substring(f.raw().indexOf(':') + 1)).toList();
        List<HeaderText.Mailbox> authors = new ArrayList<>();
        for (String v : fromValues) authors.addAll(HeaderText.mailboxes(v));
        if (authors.isEmpty()) return new Result(post, false); // nothing to keep reachable; the policy check refuses such posts
        HeaderText.Mailbox first = authors.getFirst();
        String name = first.displayName().isBlank() ? localPart(first.address()) : first.displayName();
        // Mailman: "$realname via $list_display_name"; with no display name we use the local part,
        // not the whole address, as an address-like display name looks like spoofing to receivers
        String from = HeaderText.asOctets(HeaderText.mailbox(name + " via " + list.displayName(), list.address().toString()));
        Post out = post.replacing("From", from);
        String field = where == PosterIn.REPLY_TO ? "Reply-To" : "Cc";
        List<String> existing = post.fields().stream().filter(f -> f.is(field)).map(f -> f.raw().substring(f.raw().indexOf(':') + 1).strip()).toList();
        List<String> items = new ArrayList<>(existing);
        List<String> known = new ArrayList<>();
        for (String e : existing) for (HeaderText.Mailbox m : HeaderText.mailboxes(e)) known.add(m.address().toLowerCase(Locale.ROOT));
        for (HeaderText.Mailbox a : authors) {
            if (known.contains(a.address().toLowerCase(Locale.ROOT))) continue;
            known.add(a.address().toLowerCase(Locale.ROOT));
            items.add(HeaderText.asOctets(HeaderText.mailbox(a.displayName(), a.address())));
        }
        // RFC 5322 §3.6.2, §3.6.3: at most one Reply-To and one Cc field, each an address list
        out = out.replacing(field, String.join(",\r\n ", items));
        return new Result(out, true);
    }

    private static String localPart(String address) {
        int at = address.lastIndexOf('@');
        String l = at > 0 ? address.substring(0, at) : address;
        return l.startsWith("\"") && l.endsWith("\"") && l.length() >= 2 ? l.substring(1, l.length() - 1) : l;
    }
}
