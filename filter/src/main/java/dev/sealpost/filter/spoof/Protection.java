package dev.sealpost.filter.spoof;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the spoofing checks protect, for one recipient: our own and configured domains, the people
 * whose names must not be borrowed (our users, configured VIPs), and the addresses the recipient
 * has corresponded with (their domains are protected too; mail from them is never first contact).
 *
 * @param domains the protected domains ({@code [filter.spoof] protect} plus the local domains)
 * @param people  protected people ({@code [filter.spoof] vips} plus our users)
 * @param known   addresses the recipient has corresponded with, lower case
 */
public record Protection(Set<String> domains, List<Person> people, Set<String> known) {
    /** A protected person: a display name and the address that is really theirs. */
    public record Person(String name, String address) {
        /** Parses {@code Name <address>}; null when there is no address in angle brackets or no name. */
        public static Person parse(String text) {
            if (text == null) return null;
            int lt = text.lastIndexOf('<'), gt = text.lastIndexOf('>');
            if (lt < 0 || gt < lt) return null;
            String name = text.substring(0, lt).strip().replaceAll("^\"|\"$", "").strip();
            String addr = text.substring(lt + 1, gt).strip();
            if (name.isEmpty() || !addr.contains("@")) return null;
            return new Person(name, addr.toLowerCase(Locale.ROOT));
        }

        public String domain() {
            return address.substring(address.lastIndexOf('@') + 1);
        }
    }

    public Protection {
        domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        people = List.copyOf(people);
        known = known.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** Every domain to guard against lookalikes: the protected domains, the people's and the known correspondents'. */
    public Set<String> allDomains() {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(domains);
        for (Person p : people) all.add(p.domain());
        for (String k : known) if (k.contains("@")) all.add(k.substring(k.lastIndexOf('@') + 1));
        return all;
    }
}
