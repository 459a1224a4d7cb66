package dev.sealpost.core.sasl;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.core.sasl.SaslExchange.SaslStep;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * SCRAM-SHA-256 and SCRAM-SHA-256-PLUS, server side (RFC 5802, RFC 7677), with the
 * {@code tls-exporter} channel binding (RFC 9266).
 *
 * <p>The server never sees the password: it checks the ClientProof against the stored
 * StoredKey and proves itself with the ServerKey. For an account that does not exist (or has
 * no SCRAM credentials) the exchange goes on with a salt derived from a per-process secret and
 * the user name, and fails at the proof step with the same reason as a wrong password, so the
 * exchange does not reveal which accounts exist. (The fake salt is stable for the life of the
 * process only: comparing salts across a restart can reveal an unknown account, as with every
 * SCRAM server that does not store salts for non-accounts.)
 */
public final class ScramSha256Mechanism implements SaslMechanism {
    /** RFC 9266: the one channel binding type we support. */
    public static final String TLS_EXPORTER = "tls-exporter";

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Key for the fake salts of unknown users; new on each start. */
    private static final byte[] FAKE_SECRET = randomBytes(32);
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final CredentialLookup lookup;
    private final boolean plus;
    private final boolean plusOffered;
    private final Supplier<String> nonces;

    /**
     * @param lookup where accounts' SCRAM credentials come from
     * @param plus   true for SCRAM-SHA-256-PLUS (channel binding required)
     */
    public ScramSha256Mechanism(CredentialLookup lookup, boolean plus) {
        this(lookup, plus, true, ScramSha256Mechanism::randomNonce);
    }

    /**
     * @param plusOffered whether the server advertises SCRAM-SHA-256-PLUS whenever channel
     *                    binding data is available. For the -PLUS mechanism: whether it is listed
     *                    at all ({@link #advertised()}; it is accepted either way). For the plain
     *                    mechanism: when true, a client that says "I support channel binding but
     *                    I think you don't" ({@code y}) on a connection with binding data is the
     *                    sign of a downgrade and fails (RFC 5802 §6); when false, {@code y} is what
     *                    a binding-capable client must send, since it saw no -PLUS, and is accepted.
     */
    public ScramSha256Mechanism(CredentialLookup lookup, boolean plus, boolean plusOffered) {
        this(lookup, plus, plusOffered, ScramSha256Mechanism::randomNonce);
    }

    /** For tests: a fixed server nonce (must be printable ASCII without ','). */
    ScramSha256Mechanism(CredentialLookup lookup, boolean plus, Supplier<String> nonces) {
        this(lookup, plus, true, nonces);
    }

    private ScramSha256Mechanism(CredentialLookup lookup, boolean plus, boolean plusOffered, Supplier<String> nonces) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.plus = plus;
        this.plusOffered = plusOffered;
        this.nonces = Objects.requireNonNull(nonces, "nonces");
    }

    @Override
    public String name() {
        return plus ? "SCRAM-SHA-256-PLUS" : "SCRAM-SHA-256";
    }

    @Override
    public boolean revealsPassword() {
        return false;
    }

    @Override
    public boolean needsChannelBinding() {
        return plus;
    }

    @Override
    public boolean advertised() {
        return !plus || plusOffered;
    }

    @Override
    public SaslExchange start(ChannelBinding binding) {
        return new Exchange(binding);
    }

    private static String randomNonce() {
        // 18 random octets = 144 bits; base64 has no ',' so it is a valid nonce (RFC 5802 §7 printable)
        return B64.encodeToString(randomBytes(18));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private enum State { START, CLIENT_FIRST, CLIENT_FINAL, DONE }

    private final class Exchange implements SaslExchange {
        private final ChannelBinding binding;
        private State state = State.START;
        // from client-first
        private String gs2Header;
        private char cbFlag;
        private String authzid;
        private String username;

        @Override
        public String claimedUser() {
            return username;
        }
        private String clientFirstBare;
        // from server-first
        private String serverFirst;
        private String nonce;
        private String accountName;   // null for an unknown user
        private byte[] storedKey;
        private byte[] serverKey;

        Exchange(ChannelBinding binding) {
            this.binding = binding;
        }

        @Override
        public SaslStep evaluate(byte[] response) {
            if (response == null) response = SaslSupport.EMPTY;
            if (response.length > SaslSupport.MAX_RESPONSE) {
                boolean named = state == State.CLIENT_FINAL;
                state = State.DONE;
                wipe();
                return SaslSupport.malformed("SCRAM message too long", named ? username : null);
            }
            boolean wasDone = state == State.DONE;
            SaslStep step = switch (state) {
                case START -> {
                    if (response.length == 0) {
                        // RFC 4422 §5: no initial response; an empty challenge asks for client-first
                        state = State.CLIENT_FIRST;
                        yield new SaslStep.Challenge(SaslSupport.EMPTY);
                    }
                    yield clientFirst(response);
                }
                case CLIENT_FIRST -> clientFirst(response);
                case CLIENT_FINAL -> clientFinal(response);
                case DONE -> SaslSupport.finished();
            };
            if (!(step instanceof SaslStep.Challenge)) {
                state = State.DONE;
                wipe();
            }
            // every failure after client-first named the user carries it (for login throttling)
            return wasDone ? step : SaslSupport.withUser(step, username);
        }

        private void wipe() {
            if (storedKey != null) Arrays.fill(storedKey, (byte) 0);
            if (serverKey != null) Arrays.fill(serverKey, (byte) 0);
        }

        // RFC 5802 §7: client-first-message = gs2-header client-first-message-bare
        private SaslStep clientFirst(byte[] response) {
            Optional<String> text = SaslSupport.utf8(response);
            if (text.isEmpty()) return SaslSupport.malformed("client-first-message is not UTF-8");
            String m = text.get();
            if (m.isEmpty()) return SaslSupport.malformed("empty client-first-message");
            int pos;
            String cbName = null;
            // gs2-cbind-flag = ("p=" cb-name) / "n" / "y"
            if (m.startsWith("n,") || m.startsWith("y,")) {
                cbFlag = m.charAt(0);
                pos = 2;
            } else if (m.startsWith("p=")) {
                int comma = m.indexOf(',', 2);
                if (comma < 0) return SaslSupport.malformed("gs2 header not terminated");
                cbName = m.substring(2, comma);
                // cb-name = 1*(ALPHA / DIGIT / "." / "-")
                if (!cbName.matches("[A-Za-z0-9.-]+")) return SaslSupport.malformed("bad channel binding name");
                cbFlag = 'p';
                pos = comma + 1;
            } else {
                return SaslSupport.malformed("bad gs2-cbind-flag");
            }
            // [ authzid ] ","   with authzid = "a=" saslname
            int comma = m.indexOf(',', pos);
            if (comma < 0) return SaslSupport.malformed("gs2 header not terminated");
            if (comma > pos) {
                if (!m.startsWith("a=", pos)) return SaslSupport.malformed("bad gs2 authzid");
                authzid = decodeSaslname(m.substring(pos + 2, comma));
                if (authzid == null) return SaslSupport.malformed("bad authzid saslname");
            }
            gs2Header = m.substring(0, comma + 1);
            clientFirstBare = m.substring(comma + 1);

            String[] attrs = clientFirstBare.split(",", -1);
            int i = 0;
            // RFC 5802 §5.1: "m" is reserved for mandatory extensions; a server that does not
            // understand one MUST fail the exchange.
            if (attrs[0].startsWith("m=")) return SaslSupport.malformed("unsupported mandatory extension (m=)");
            if (attrs.length < 2 || !attrs[i].startsWith("n=")) return SaslSupport.malformed("client-first-message lacks n=");
            username = decodeSaslname(attrs[i].substring(2));
            if (username == null) return SaslSupport.malformed("bad username saslname");
            i++;
            if (!attrs[i].startsWith("r=")) return SaslSupport.malformed("client-first-message lacks r=");
            String clientNonce = attrs[i].substring(2);
            if (clientNonce.isEmpty() || !printable(clientNonce)) return SaslSupport.malformed("bad client nonce");
            for (i++; i < attrs.length; i++) {
                // extensions = attr-val *("," attr-val): optional ones are ignored (RFC 5802 §5.1)
                if (!attrs[i].matches("[A-Za-z]=.*")) return SaslSupport.malformed("bad extension attribute");
            }

            SaslStep.Failure cbFailure = checkBindingChoice(cbName);
            if (cbFailure != null) return cbFailure;

            Optional<CredentialLookup.Account> account = lookup.lookup(username);
            StoredCredentials c = account.map(CredentialLookup.Account::credentials).orElse(null);
            byte[] salt;
            int iterations;
            if (usable(c)) {
                accountName = account.get().name();
                salt = c.scramSalt();
                iterations = c.scramIterations();
                storedKey = c.scramStoredKey().clone();
                serverKey = c.scramServerKey().clone();
            } else {
                // No such account: carry on with a salt and keys that look real, fail at the proof.
                byte[] u = username.getBytes(StandardCharsets.UTF_8);
                salt = Arrays.copyOf(PasswordHasher.hmac(FAKE_SECRET, concat("salt\0", u)), 16);
                iterations = PasswordHasher.SCRAM_ITERATIONS;
                storedKey = PasswordHasher.hmac(FAKE_SECRET, concat("stored\0", u));
                serverKey = PasswordHasher.hmac(FAKE_SECRET, concat("server\0", u));
            }
            nonce = clientNonce + nonces.get();
            // RFC 5802 §7: server-first-message = [reserved-mext ","] nonce "," salt "," iteration-count
            serverFirst = "r=" + nonce + ",s=" + B64.encodeToString(salt) + ",i=" + iterations;
            state = State.CLIENT_FINAL;
            return new SaslStep.Challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
        }

        /** RFC 5802 §6 channel binding negotiation; null when the client's choice is acceptable. */
        private SaslStep.Failure checkBindingChoice(String cbName) {
            if (plus) {
                if (cbFlag != 'p') return new SaslStep.Failure(false, "SCRAM-SHA-256-PLUS needs channel binding (p=)");
                if (binding == null) return new SaslStep.Failure(false, "no channel binding on this connection");
                // RFC 9266: tls-exporter is the binding for TLS 1.3; we offer no other
                if (!TLS_EXPORTER.equals(cbName) || !TLS_EXPORTER.equals(binding.type()) || binding.data() == null) {
                    return new SaslStep.Failure(false, "unsupported channel binding type");
                }
                return null;
            }
            // RFC 5802 §6: "p" with the non-PLUS mechanism is an error
            if (cbFlag == 'p') return new SaslStep.Failure(false, "channel binding requested with a non-PLUS mechanism");
            // RFC 5802 §6: "y" means the client supports binding but thinks we do not; if we
            // do (binding data here and -PLUS offered), someone removed -PLUS from our list.
            if (cbFlag == 'y' && binding != null && plusOffered) {
                return new SaslStep.Failure(false, "channel binding downgrade detected");
            }
            return null;
        }

        // RFC 5802 §7: client-final-message = client-final-message-without-proof "," proof
        private SaslStep clientFinal(byte[] response) {
            Optional<String> text = SaslSupport.utf8(response);
            if (text.isEmpty()) return SaslSupport.malformed("client-final-message is not UTF-8");
            String m = text.get();
            int p = m.lastIndexOf(",p=");
            if (p < 0) return SaslSupport.malformed("client-final-message lacks p=");
            String withoutProof = m.substring(0, p);
            String[] attrs = withoutProof.split(",", -1);
            if (attrs.length < 2 || !attrs[0].startsWith("c=") || !attrs[1].startsWith("r=")) {
                return SaslSupport.malformed("client-final-message must start with c= and r=");
            }
            for (int i = 2; i < attrs.length; i++) {
                if (!attrs[i].matches("[A-Za-z]=.*")) return SaslSupport.malformed("bad extension attribute");
            }
            byte[] cbind;
            byte[] proof;
            try {
                // Leniency: java.util.Base64 accepts a missing final padding; harmless here.
                cbind = B64D.decode(attrs[0].substring(2));
                proof = B64D.decode(m.substring(p + 3));
            } catch (IllegalArgumentException e) {
                return SaslSupport.malformed("bad base64 in client-final-message");
            }
            if (proof.length != 32) return SaslSupport.malformed("ClientProof must be 32 octets");
            if (!attrs[1].substring(2).equals(nonce)) return SaslSupport.malformed("nonce does not match");

            // RFC 5802 §7: cbind-input = gs2-header [ cbind-data ]; cbind-data only with "p"
            byte[] header = gs2Header.getBytes(StandardCharsets.UTF_8);
            byte[] expected = cbFlag == 'p' ? concat(header, binding.data()) : header;
            if (!MessageDigest.isEqual(expected, cbind)) return new SaslStep.Failure(false, "channel binding mismatch");

            // RFC 5802 §3: AuthMessage = client-first-message-bare + "," + server-first-message + "," + client-final-message-without-proof
            byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
            byte[] clientSignature = PasswordHasher.hmac(storedKey, authMessage);
            byte[] clientKey = new byte[32];
            for (int i = 0; i < 32; i++) clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
            boolean ok = MessageDigest.isEqual(PasswordHasher.sha256(clientKey), storedKey);
            Arrays.fill(clientKey, (byte) 0);
            if (!ok || accountName == null) return SaslSupport.invalidCredentials(username);
            if (!SaslSupport.authzidAllowed(authzid, username, accountName)) {
                return new SaslStep.Failure(false, "authorization identity differs from the authentication identity");
            }
            byte[] serverSignature = PasswordHasher.hmac(serverKey, authMessage);
            // RFC 5802 §7: server-final-message = verifier ; verifier = "v=" base64
            String serverFinal = "v=" + B64.encodeToString(serverSignature);
            return new SaslStep.Success(accountName, serverFinal.getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static boolean usable(StoredCredentials c) {
        return c != null && c.scramSalt() != null && c.scramSalt().length > 0 && c.scramIterations() > 0
                && c.scramStoredKey() != null && c.scramStoredKey().length == 32
                && c.scramServerKey() != null && c.scramServerKey().length == 32;
    }

    /**
     * RFC 5802 §7 saslname: "=2C" stands for ',' and "=3D" for '='; any other '=' is an error.
     * Returns null when malformed (also for an empty name or a NUL).
     */
    static String decodeSaslname(String s) {
        if (s.isEmpty()) return null;
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=') {
                if (s.startsWith("=2C", i)) out.append(',');
                else if (s.startsWith("=3D", i)) out.append('=');
                else return null;
                i += 2;
            } else if (c == '\0' || c == ',') {
                return null;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** RFC 5802 §7: printable = %x21-2B / %x2D-7E (any ASCII but ','). */
    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e || c == ',') return false;
        }
        return true;
    }

    private static byte[] concat(String a, byte[] b) {
        return concat(a.getBytes(StandardCharsets.US_ASCII), b);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
