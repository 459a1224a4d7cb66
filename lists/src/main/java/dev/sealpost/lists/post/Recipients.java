package dev.sealpost.lists.post;

import dev.sealpost.core.mail.EmailAddress;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who gets a copy of a post: every member whose delivery is enabled, once (addresses compared in
 * canonical form), with the poster left out only when the poster asked for no own copy (posters
 * get their own copy by default, as in Mailman).
 */
public final class Recipients {
    private Recipients() {}

    /**
     * One member as the store holds it.
     *
     * @param address        the member's address
     * @param enabled        delivery enabled (not disabled by bounces or by the member)
     * @param wantsOwnPosts  the member gets a copy of their own posts
     */
    public record Member(EmailAddress address, boolean enabled, boolean wantsOwnPosts) {}

    public static List<EmailAddress> select(List<Member> members, EmailAddress poster) {
        Set<String> seen = new LinkedHashSet<>();
        List<EmailAddress> out = new ArrayList<>();
        String from = poster == null ? null : poster.canonical();
        for (Member m : members) {
            if (!m.enabled()) continue;
            String key = m.address().canonical();
            if (key.equals(from) && !m.wantsOwnPosts()) continue;
            if (seen.add(key)) out.add(m.address());
        }
        return out;
    }
}
