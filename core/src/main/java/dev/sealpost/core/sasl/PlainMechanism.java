package dev.sealpost.core.sasl;

import dev.sealpost.core.sasl.SaslExchange.SaslStep;

import java.util.Objects;
import java.util.Optional;

/**
 * The PLAIN mechanism (RFC 4616): one message {@code [authzid] NUL authcid NUL passwd}.
 * Sends the password itself, so offer it only over TLS.
 */
public final class PlainMechanism implements SaslMechanism {
    /** RFC 4616 §2: servers MUST accept up to 255 octets per field; we accept up to this many. */
    static final int MAX_FIELD = 1024;

    private final CredentialLookup lookup;

    public PlainMechanism(CredentialLookup lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    @Override
    public String name() {
        return "PLAIN";
    }

    @Override
    public boolean revealsPassword() {
        return true;
    }

    @Override
    public boolean needsChannelBinding() {
        return false;
    }

    @Override
    public SaslExchange start(ChannelBinding binding) {
        return new Exchange();
    }

    private final class Exchange implements SaslExchange {
        private boolean challenged;
        private boolean done;

        @Override
        public SaslStep evaluate(byte[] response) {
            if (done) return SaslSupport.finished();
            if (response == null) response = SaslSupport.EMPTY;
            if (response.length == 0 && !challenged) {
                // RFC 4422 §5: no initial response, so the server sends an empty challenge.
                challenged = true;
                return new SaslStep.Challenge(SaslSupport.EMPTY);
            }
            done = true;
            return check(response);
        }

        private SaslStep check(byte[] m) {
            if (m.length == 0) return SaslSupport.malformed("empty PLAIN message");
            if (m.length > SaslSupport.MAX_RESPONSE) return SaslSupport.malformed("PLAIN message too long");
            // RFC 4616 §2: message = [authzid] UTF8NUL authcid UTF8NUL passwd
            int nul1 = indexOf(m, 0);
            int nul2 = nul1 < 0 ? -1 : indexOf(m, nul1 + 1);
            if (nul1 < 0 || nul2 < 0) return SaslSupport.malformed("PLAIN message needs two NUL separators");
            if (indexOf(m, nul2 + 1) >= 0) return SaslSupport.malformed("NUL in PLAIN password");
            int authzLen = nul1, authcLen = nul2 - nul1 - 1, pwLen = m.length - nul2 - 1;
            // RFC 4616 §2: authcid = 1*SAFE, passwd = 1*SAFE
            // the claimed user, for throttling, as soon as it can be read (never for an over-long one)
            String claimed = authcLen == 0 || authcLen > MAX_FIELD ? null : SaslSupport.utf8(m, nul1 + 1, authcLen).orElse(null);
            if (authcLen == 0 || pwLen == 0) return SaslSupport.malformed("empty PLAIN authcid or password", claimed);
            if (authzLen > MAX_FIELD || authcLen > MAX_FIELD || pwLen > MAX_FIELD) {
                return SaslSupport.malformed("PLAIN field too long", claimed);
            }
            Optional<String> authzid = SaslSupport.utf8(m, 0, authzLen);
            Optional<String> authcid = SaslSupport.utf8(m, nul1 + 1, authcLen);
            if (authzid.isEmpty() || authcid.isEmpty()) {
                return SaslSupport.malformed("PLAIN identity is not UTF-8", authcid.orElse(null));
            }
            char[] password = SaslSupport.utf8Chars(m, nul2 + 1, pwLen);
            if (password == null) return SaslSupport.malformed("PLAIN password is not UTF-8", authcid.get());
            return SaslSupport.verifyPlaintext(lookup, authcid.get(), authzid.get(), password);
        }
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == 0) return i;
        return -1;
    }
}
