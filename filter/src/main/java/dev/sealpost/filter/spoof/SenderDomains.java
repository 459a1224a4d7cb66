package dev.sealpost.filter.spoof;

import dev.sealpost.filter.FilterInput;
import dev.sealpost.message.Address;
import dev.sealpost.message.Envelope;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The sender identities of a message the spoofing checks look at. */
final class SenderDomains {
    private SenderDomains() {}

    /** From, Sender and Reply-To mailboxes (at most 10 each), in that order. */
    static List<Address> headerMailboxes(FilterInput in) {
        Envelope e = in.structure().envelope();
        List<Address> out = new ArrayList<>();
        for (List<Address> l : List.of(e.from(), e.sender(), e.replyTo())) {
            int n = 0;
            for (Address a : l) if (a.isMailbox() && !a.host().isEmpty() && n++ < 10) out.add(a);
        }
        return out;
    }

    /** The domains of From, Sender, Reply-To and the envelope sender, lower case, distinct. */
    static Set<String> domains(FilterInput in) {
        Set<String> out = new LinkedHashSet<>();
        for (Address a : headerMailboxes(in)) out.add(a.host().toLowerCase(Locale.ROOT));
        String mf = in.mailFrom();
        int at = mf.lastIndexOf('@');
        if (at > 0 && at < mf.length() - 1) out.add(mf.substring(at + 1).toLowerCase(Locale.ROOT));
        return out;
    }
}
