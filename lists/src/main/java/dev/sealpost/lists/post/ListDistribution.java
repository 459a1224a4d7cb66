package dev.sealpost.lists.post;

import dev.sealpost.core.mail.EmailAddress;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Turns an accepted post into the copy sent to each member (remote explosion: one envelope per
 * member, members never see each other).
 *
 * <p>{@link #prepare} runs once per post: it removes {@link ListHeaders#REMOVED}, adds the
 * optional subject prefix and the list fields common to every copy, and renders those octets
 * once. {@link Prepared#forMember} then adds only what is that member's own: the VERP return path
 * (envelope) and the List-Unsubscribe field with the member's token. The only address of a member
 * that the list writes into a copy is that member's own (in the return path and, inside the signed
 * token, in List-Unsubscribe); addresses the poster wrote in To or Cc are the poster's choice and
 * stay. A From rewrite for DMARC ({@link FromRewriter}) is applied to the post before this.
 */
public final class ListDistribution {
    private ListDistribution() {}

    /**
     * One member's copy.
     *
     * @param returnPath the envelope sender (MAIL FROM), the member's VERP address
     * @param recipient  the envelope recipient (RCPT TO)
     * @param message    the message octets
     */
    public record MemberCopy(String returnPath, EmailAddress recipient, byte[] message) {}

    /** A post ready to be copied to members. */
    public static final class Prepared {
        private final ListIdentity list;
        private final UnsubscribeToken tokens;
        private final byte[] head;
        private final byte[] body;

        private Prepared(ListIdentity list, UnsubscribeToken tokens, byte[] head, byte[] body) {
            this.list = list;
            this.tokens = tokens;
            this.head = head;
            this.body = body;
        }

        /** The copy for {@code member}. */
        public MemberCopy forMember(EmailAddress member) {
            Post.Field unsubscribe = ListHeaders.unsubscribe(list, tokens.issue(list.listId(), member.canonical()));
            ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + body.length + 200);
            out.writeBytes(head);
            out.writeBytes(unsubscribe.raw().getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(new byte[] {'\r', '\n', '\r', '\n'});
            out.writeBytes(body);
            return new MemberCopy(Verp.encode(list.address(), member), member, out.toByteArray());
        }
    }

    /**
     * @param post          the accepted post (already checked by the posting policy and, when
     *                      needed, rewritten by {@link FromRewriter})
     * @param subjectPrefix a prefix such as {@code [dev]}, added unless the subject already has it
     */
    public static Prepared prepare(Post post, ListIdentity list, UnsubscribeToken tokens, Optional<String> subjectPrefix) {
        Post p = post.without(ListHeaders.REMOVED);
        if (subjectPrefix.isPresent() && !subjectPrefix.get().isBlank()) p = withPrefix(p, subjectPrefix.get().strip());
        p = p.with(ListHeaders.common(list));
        byte[] all = p.toBytes();
        // all = fields CRLF body: keep the fields (with their CRLFs), drop the empty line; the body follows later
        int headLength = all.length - p.body().length - 2;
        return new Prepared(list, tokens, java.util.Arrays.copyOf(all, headLength), p.body());
    }

    static Post withPrefix(Post p, String prefix) {
        Optional<String> subject = p.first("Subject");
        String decoded = subject.map(s -> dev.sealpost.message.EncodedWords.decode(HeaderText.utf8IfValid(s))).orElse("");
        if (decoded.contains(prefix)) return p;
        boolean ascii = prefix.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        String written = ascii ? prefix : HeaderText.encodedWords(prefix);
        String raw = p.fields().stream().filter(f -> f.is("Subject")).findFirst()
                .map(f -> f.raw().substring(f.raw().indexOf(':') + 1).strip()).orElse("");
        // RFC 2047 §6.2: white space between an encoded word and the next one is dropped, so a
        // non-ASCII prefix is followed by an encoded space when the subject starts with an encoded word
        String sep = !ascii && raw.startsWith("=?") ? "\r\n =?UTF-8?Q?_?= " : " ";
        return p.replacing("Subject", raw.isEmpty() ? written : written + sep + raw);
    }
}
