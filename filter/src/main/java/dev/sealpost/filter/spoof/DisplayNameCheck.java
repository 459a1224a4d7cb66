package dev.sealpost.filter.spoof;

import dev.sealpost.filter.Check;
import dev.sealpost.filter.FilterInput;
import dev.sealpost.filter.Hit;
import dev.sealpost.message.Address;
import dev.sealpost.message.EncodedWords;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code display_name_spoof} (weight 5): the display name of a From (or Sender, Reply-To) mailbox
 * <ul>
 *   <li>holds an address in another registrable domain than the real address
 *       ({@code "ceo@example.com" <x@gmail.com>}), or</li>
 *   <li>names a protected person (all of their name's words, or their surname in a name of at most
 *       three words, compared on UTS #39 skeletons so that look-alike letters count) while the real
 *       address is outside that person's registrable domain and the recipient has never
 *       corresponded with it (first contact).</li>
 * </ul>
 * Display names are RFC 2047 decoded and NFKC normalized first.
 */
public final class DisplayNameCheck implements Check {
    public static final double WEIGHT = 5.0;
    private static final Pattern ADDRESS = Pattern.compile("[^\\s<>\"'(),;:@]+@([^\\s<>\"'(),;:@]+\\.[^\\s<>\"'(),;:@]+)");

    private final Protection protection;
    private final LookalikeDomains domains;

    public DisplayNameCheck(Protection protection, LookalikeDomains domains) {
        this.protection = Objects.requireNonNull(protection, "protection");
        this.domains = Objects.requireNonNull(domains, "domains");
    }

    @Override
    public String name() {
        return "display_name_spoof";
    }

    @Override
    public List<Hit> run(FilterInput input) {
        Set<String> details = new LinkedHashSet<>();
        for (Address a : SenderDomains.headerMailboxes(input)) {
            if (a.name() == null || a.name().isBlank()) continue;
            String name = Normalizer.normalize(EncodedWords.decode(a.name()), Normalizer.Form.NFKC).strip();
            if (name.length() > 512) name = name.substring(0, 512);
            String real = a.address().toLowerCase(Locale.ROOT);
            String realReg = domains.registrable(a.host());
            Matcher m = ADDRESS.matcher(name);
            if (m.find()) {
                String inName = m.group().toLowerCase(Locale.ROOT).replaceAll("[.]+$", "");
                String nameReg = domains.registrable(m.group(1).replaceAll("[.]+$", ""));
                if (!inName.equals(real) && nameReg != null && !nameReg.equals(realReg)) {
                    details.add("display name holds " + inName + " but the address is " + real);
                }
            }
            if (protection.known().contains(real)) continue;
            for (Protection.Person p : protection.people()) {
                if (real.equals(p.address())) continue;
                String personReg = domains.registrable(p.domain());
                if (personReg != null && personReg.equals(realReg)) continue;
                if (namesPerson(name, p.name())) {
                    details.add("\"" + name + "\" names " + p.name() + " <" + p.address() + "> from " + real + " (first contact)");
                    break;
                }
            }
        }
        if (details.isEmpty()) return List.of();
        return List.of(new Hit(name(), WEIGHT, String.join("; ", details.stream().limit(3).toList())));
    }

    private boolean namesPerson(String display, String person) {
        List<String> d = words(display), p = words(person);
        if (p.isEmpty() || d.isEmpty()) return false;
        if (d.containsAll(p)) return true;
        String surname = p.get(p.size() - 1);
        return p.size() > 1 && surname.length() >= 4 && d.size() <= 3 && d.contains(surname);
    }

    /** The words of a name: letters and digits, lower case, as UTS #39 skeletons. */
    private List<String> words(String s) {
        List<String> out = new ArrayList<>();
        for (String w : Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{M}\\p{N}]+")) {
            if (w.length() >= 2 && out.size() < 16) out.add(domains.skeleton(w));
        }
        return out;
    }
}
