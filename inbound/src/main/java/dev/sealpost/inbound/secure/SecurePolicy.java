package dev.sealpost.inbound.secure;

import dev.sealpost.store.Keys;

import java.util.Locale;
import java.util.Optional;

/**
 * The message-security policy in force for an address (issue 13, docs/keys.md "Policy"): the
 * address's own row (migration V15), then its domain's row, field by field, then the defaults
 * (sign never, encrypt tagged, inbound keep).
 *
 * @param sign    whether submission signs the sender's mail with the sender's key
 * @param encrypt when submission encrypts the sender's mail
 * @param inbound what happens at reception to encrypted mail for this (local) address
 */
public record SecurePolicy(Sign sign, Encrypt encrypt, Inbound inbound) {

    public enum Sign { NEVER, ALWAYS }

    /** In order of strength: a recipient's rule can raise the sender's, never lower it. */
    public enum Encrypt {
        NEVER, TAGGED, WHEN_POSSIBLE, REQUIRED;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Encrypt of(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    public enum Inbound { KEEP, DECRYPT }

    public static final SecurePolicy DEFAULT = new SecurePolicy(Sign.NEVER, Encrypt.TAGGED, Inbound.KEEP);

    /** The policy of {@code address} (lower case) from its row, then its domain's row, then the defaults. */
    public static SecurePolicy of(Keys keys, String address) {
        String a = address.toLowerCase(Locale.ROOT);
        Optional<Keys.Policy> own = row(keys, a);
        Optional<Keys.Policy> dom = row(keys, a.substring(a.lastIndexOf('@') + 1));
        String sign = pick(own.map(Keys.Policy::sign), dom.map(Keys.Policy::sign));
        String encrypt = pick(own.map(Keys.Policy::encrypt), dom.map(Keys.Policy::encrypt));
        String inbound = pick(own.map(Keys.Policy::inbound), dom.map(Keys.Policy::inbound));
        return new SecurePolicy(sign == null ? DEFAULT.sign : Sign.valueOf(sign.toUpperCase(Locale.ROOT)),
                encrypt == null ? DEFAULT.encrypt : Encrypt.of(encrypt),
                inbound == null ? DEFAULT.inbound : Inbound.valueOf(inbound.toUpperCase(Locale.ROOT)));
    }

    /**
     * A recipient rule: the encrypt value set on the recipient's address or domain row (a remote
     * partner domain that must only get encrypted mail, say), or empty when neither sets one.
     */
    public static Optional<Encrypt> recipientRule(Keys keys, String address) {
        String a = address.toLowerCase(Locale.ROOT);
        String e = pick(row(keys, a).map(Keys.Policy::encrypt), row(keys, a.substring(a.lastIndexOf('@') + 1)).map(Keys.Policy::encrypt));
        return Optional.ofNullable(e).map(Encrypt::of);
    }

    /** A scope that cannot have a row (an address literal, say) has none. */
    private static Optional<Keys.Policy> row(Keys keys, String scope) {
        try {
            return keys.policy(scope);
        } catch (dev.sealpost.store.DirectoryException e) {
            return Optional.empty();
        }
    }

    private static String pick(Optional<String> first, Optional<String> second) {
        return first.orElseGet(() -> second.orElse(null));
    }
}
