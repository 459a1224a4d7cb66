package dev.sealpost.imap.server;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.server.MailboxResolver.Target;
import dev.sealpost.store.Directory;

import java.io.IOException;
import java.util.List;

/**
 * RFC 9208 QUOTA: GETQUOTAROOT and GETQUOTA (one STORAGE root per account); SETQUOTA is refused,
 * quotas are the administrator's.
 */
final class QuotaCommands extends CommandFamily {
    QuotaCommands(ImapSession session) {
        super(session);
    }

    String getQuotaRoot(List<Arg> a) throws IOException, CommandFailed {
        argc(a, 1);
        Target t = existing(a.get(0), 'r');
        if (!t.own()) {
            untagged("QUOTAROOT " + mbox(t.wireName())); // the owner's quota is not shown to others
            return "GETQUOTAROOT completed";
        }
        String resources = quotaResources();
        if (resources == null) { // RFC 9208 §5.2: an unlimited account has no quota root
            untagged("QUOTAROOT " + mbox(t.wireName()));
            return "GETQUOTAROOT completed";
        }
        untagged("QUOTAROOT " + mbox(t.wireName()) + " \"\"");
        untagged("QUOTA \"\" " + resources);
        return "GETQUOTAROOT completed";
    }

    /** RFC 9208 §4.1.4: quotas are the administrator's. */
    String setQuota(List<Arg> a) throws CommandFailed {
        throw no("[NOPERM] Quotas are set by the administrator");
    }

    String getQuota(List<Arg> a) throws IOException, CommandFailed {
        argc(a, 1);
        String resources = quotaResources();
        if (!text(a.get(0)).isEmpty() || resources == null) throw no("[NONEXISTENT] No such quota root");
        untagged("QUOTA \"\" " + resources);
        return "GETQUOTA completed";
    }

    /**
     * RFC 9208 §5.1 STORAGE in units of 1024 octets, or null when the account is unlimited (§9: a
     * quota-list has at least one resource, so "()" is not a valid answer).
     */
    String quotaResources() {
        Directory.Account acc = store().directory().account(account().address()).orElse(account());
        if (acc.quotaBytes() <= 0) return null;
        long used = (acc.usedBytes() + 1023) / 1024;
        return "(STORAGE " + used + " " + acc.quotaBytes() / 1024 + ")";
    }
}
