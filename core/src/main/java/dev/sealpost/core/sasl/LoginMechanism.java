package dev.sealpost.core.sasl;

import dev.sealpost.core.sasl.SaslExchange.SaslStep;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The obsolete LOGIN mechanism (draft-murchison-sasl-login-00), still used by some clients
 * (older Outlook versions, embedded devices). The server asks {@code Username:} then
 * {@code Password:}; the client may send the user name as an initial response. Sends the
 * password itself, so offer it only over TLS.
 */
public final class LoginMechanism implements SaslMechanism {
    /** The challenge texts, as sent by every deployed server (draft-murchison-sasl-login §2). */
    static final byte[] USERNAME = "Username:".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PASSWORD = "Password:".getBytes(StandardCharsets.US_ASCII);
    static final int MAX_FIELD = 1024;

    private final CredentialLookup lookup;

    public LoginMechanism(CredentialLookup lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    @Override
    public String name() {
        return "LOGIN";
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

    private enum State { START, USERNAME, PASSWORD, DONE }

    private final class Exchange implements SaslExchange {
        private State state = State.START;
        private String username;

        @Override
        public String claimedUser() {
            return username;
        }

        @Override
        public SaslStep evaluate(byte[] response) {
            if (response == null) response = SaslSupport.EMPTY;
            switch (state) {
                case START -> {
                    if (response.length == 0) {
                        state = State.USERNAME;
                        return new SaslStep.Challenge(USERNAME.clone());
                    }
                    // draft-murchison-sasl-login §2: the initial response carries the user name
                    return takeUsername(response);
                }
                case USERNAME -> {
                    return takeUsername(response);
                }
                case PASSWORD -> {
                    state = State.DONE;
                    if (response.length == 0) return SaslSupport.malformed("empty LOGIN password", username);
                    if (response.length > MAX_FIELD) return SaslSupport.malformed("LOGIN password too long", username);
                    char[] password = SaslSupport.utf8Chars(response, 0, response.length);
                    if (password == null) return SaslSupport.malformed("LOGIN password is not UTF-8", username);
                    // As in PLAIN (RFC 4616 §2: passwd = 1*SAFE, no NUL) and SASLprep (RFC 4013 §5,
                    // table C.2.1): no NUL. Besides, HMAC pads its key with zero octets, so with
                    // PBKDF2-HMAC "secret\0" would verify as "secret" (found by PlainFuzzTest#login).
                    for (char c : password) {
                        if (c == '\0') {
                            java.util.Arrays.fill(password, '\0');
                            return SaslSupport.malformed("NUL in LOGIN password", username);
                        }
                    }
                    return SaslSupport.verifyPlaintext(lookup, username, null, password);
                }
                default -> {
                    return SaslSupport.finished();
                }
            }
        }

        private SaslStep takeUsername(byte[] response) {
            if (response.length == 0 || response.length > MAX_FIELD) {
                state = State.DONE;
                return SaslSupport.malformed(response.length == 0 ? "empty LOGIN user name" : "LOGIN user name too long");
            }
            Optional<String> u = SaslSupport.utf8(response);
            if (u.isEmpty() || u.get().indexOf('\0') >= 0) {
                state = State.DONE;
                return SaslSupport.malformed("LOGIN user name is not valid UTF-8 text");
            }
            username = u.get();
            state = State.PASSWORD;
            return new SaslStep.Challenge(PASSWORD.clone());
        }
    }
}
