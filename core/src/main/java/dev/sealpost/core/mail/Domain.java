package dev.sealpost.core.mail;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Domain names (RFC 5321 §4.1.2, RFC 5890 IDNA A-labels and U-labels). */
public final class Domain {
    private Domain() {}

    // RFC 1035 §2.3.1 / RFC 5321 sub-domain: Let-dig [Ldh-str]
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    /**
     * The A-label, lower-case form of a domain, or empty when it is not a valid host name.
     * Address literals ({@code [1.2.3.4]}) are not domains and give empty.
     */
    public static Optional<String> toAscii(String domain) {
        if (domain == null || domain.isEmpty() || domain.length() > EmailAddress.MAX_DOMAIN) return Optional.empty();
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        String ascii;
        try {
            ascii = IDN.toASCII(d, 0).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (ascii.isEmpty() || ascii.length() > 253) return Optional.empty();
        for (String label : ascii.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) return Optional.empty();
        }
        return Optional.of(ascii);
    }
}
