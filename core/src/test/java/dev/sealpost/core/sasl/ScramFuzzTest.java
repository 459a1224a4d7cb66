package dev.sealpost.core.sasl;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.core.sasl.SaslExchange.SaslStep;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static dev.sealpost.core.sasl.PlainFuzzTest.check;
import static dev.sealpost.core.sasl.PlainFuzzTest.split;
import static dev.sealpost.core.sasl.PlainFuzzTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target for SCRAM-SHA-256(-PLUS) (RFC 5802, RFC 7677, RFC 9266): arbitrary client
 * messages never throw, failures are values, and a Success is only ever given for a proof
 * that is right.
 *
 * <p>Input format (so that seeds can be written by hand): the first octet's low bits choose
 * the set-up (bit 0: the -PLUS mechanism; bit 1: the connection has tls-exporter binding data,
 * {@link #CB_DATA}); the rest is the client's messages separated by LF (LF never occurs in a
 * valid SCRAM message). The server nonce is fixed ({@link #SERVER_NONCE}) and the only account
 * with SCRAM credentials is RFC 7677's {@code user} / {@code pencil}, so a seed can carry a
 * complete, valid exchange. Checked on every input:
 * <ul>
 *   <li>at most two challenges (the empty one when there is no initial response, then
 *       server-first), the server-first echoes the client nonce and follows RFC 5802 §7;</li>
 *   <li>Success only for {@code user}, with a ClientProof that matches the real ClientKey over
 *       the real AuthMessage, a channel binding that is the gs2 header plus the connection's
 *       binding data exactly when {@code p=} was used, and the right ServerSignature;</li>
 *   <li>-PLUS never succeeds without {@code p=tls-exporter}; a {@code y} client never succeeds
 *       when binding data exists (downgrade, RFC 5802 §6);</li>
 *   <li>a Failure names either no one or exactly the user the client claimed in {@code n=};</li>
 *   <li>after the end, every message is a malformed failure.</li>
 * </ul>
 * Seeds: {@code src/test/resources/dev/sealpost/core/sasl/ScramFuzzTestInputs/exchange/}.
 */
class ScramFuzzTest {
    static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    static final byte[] CB_DATA = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    private static final byte[] SALTED = PasswordHasher.pbkdf2("pencil".toCharArray(), SALT, 4096);
    private static final byte[] CLIENT_KEY = PasswordHasher.hmac(SALTED, "Client Key");
    private static final byte[] STORED_KEY = PasswordHasher.sha256(CLIENT_KEY);
    private static final byte[] SERVER_KEY = PasswordHasher.hmac(SALTED, "Server Key");
    private static final CredentialLookup ACCOUNTS = name -> name.equals("user")
            ? Optional.of(new CredentialLookup.Account("user", new StoredCredentials(null, SALT, 4096, STORED_KEY, SERVER_KEY)))
            : Optional.empty();

    @FuzzTest(maxDuration = "60s")
    void exchange(byte[] data) {
        run(data);
    }

    /** Runs one exchange with all checks; returns the final step. */
    static SaslStep run(byte[] data) {
        if (data.length == 0) return null;
        boolean plus = (data[0] & 1) != 0;
        ChannelBinding binding = (data[0] & 2) != 0 ? new ChannelBinding(ScramSha256Mechanism.TLS_EXPORTER, CB_DATA) : null;
        List<byte[]> messages = split(Arrays.copyOfRange(data, 1, data.length), (byte) '\n');
        SaslExchange ex = new ScramSha256Mechanism(ACCOUNTS, plus, () -> SERVER_NONCE).start(binding);

        String clientFirst = null, serverFirst = null, clientFinal = null;
        SaslStep step;
        int i = 0;
        while (true) {
            byte[] m = i < messages.size() ? messages.get(i) : new byte[0];
            step = ex.evaluate(m);
            i++;
            if (!(step instanceof SaslStep.Challenge c)) {
                if (serverFirst != null) clientFinal = utf8(m);
                else clientFirst = utf8(m);
                break;
            }
            check(i <= 2, "more than two challenges");
            if (c.data().length == 0) {
                check(clientFirst == null && m.length == 0 && i == 1, "empty challenge after %s", utf8(m));
                continue;
            }
            check(serverFirst == null, "a second server-first");
            clientFirst = utf8(m);
            serverFirst = new String(c.data(), StandardCharsets.UTF_8);
            check(clientFirst != null, "server-first for a client-first that is not UTF-8");
            String clientNonce = attr(bare(clientFirst), "r");
            // RFC 5802 §7: server-first-message = nonce "," salt "," iteration-count
            check(serverFirst.matches("r=[\\x21-\\x2b\\x2d-\\x7e]+,s=[A-Za-z0-9+/]+=*,i=[1-9][0-9]*"), "server-first %s", serverFirst);
            check(clientNonce != null && serverFirst.startsWith("r=" + clientNonce + SERVER_NONCE + ","),
                    "server nonce does not extend the client's: %s / %s", clientFirst, serverFirst);
        }
        String claimed = clientFirst == null ? null : saslname(attrOrNull(bare(clientFirst), "n"));
        switch (step) {
            case SaslStep.Failure f -> check(f.user() == null || f.user().equals(claimed),
                    "failure names %s, client claimed %s", f.user(), claimed);
            case SaslStep.Success s -> checkSuccess(s, plus, binding, clientFirst, serverFirst, clientFinal);
            case SaslStep.Challenge c -> throw new AssertionError("unreachable");
        }
        PlainFuzzTest.checkFinished(ex);
        return step;
    }

    private static void checkSuccess(SaslStep.Success s, boolean plus, ChannelBinding binding,
                                     String clientFirst, String serverFirst, String clientFinal) {
        check(s.user().equals("user"), "success as %s", s.user());
        check(clientFirst != null && serverFirst != null && clientFinal != null, "success without a full exchange");
        check(saslname(attr(bare(clientFirst), "n")).equals("user"), "success for n=%s", attr(bare(clientFirst), "n"));
        String gs2 = clientFirst.substring(0, clientFirst.length() - bare(clientFirst).length());
        char flag = gs2.charAt(0);
        if (plus) check(gs2.startsWith("p=tls-exporter,") && binding != null, "-PLUS success with %s", gs2);
        if (flag == 'y') check(binding == null, "success for a 'y' client on a connection with binding data");
        check(flag != 'p' || plus, "p= succeeded with the non-PLUS mechanism");
        int p = clientFinal.lastIndexOf(",p=");
        check(p > 0, "no proof in %s", clientFinal);
        String withoutProof = clientFinal.substring(0, p);
        byte[] cbind = Base64.getDecoder().decode(attr(withoutProof, "c"));
        byte[] header = gs2.getBytes(StandardCharsets.UTF_8);
        byte[] expectedCbind = flag == 'p' ? concat(header, binding.data()) : header;
        check(Arrays.equals(cbind, expectedCbind), "channel binding data differs");
        byte[] proof = Base64.getDecoder().decode(clientFinal.substring(p + 3));
        byte[] authMessage = (bare(clientFirst) + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] signature = PasswordHasher.hmac(STORED_KEY, authMessage);
        check(proof.length == 32, "proof of %s octets", proof.length);
        byte[] key = new byte[32];
        for (int k = 0; k < 32; k++) key[k] = (byte) (proof[k] ^ signature[k]);
        check(MessageDigest.isEqual(key, CLIENT_KEY), "success with a wrong proof");
        String serverFinal = new String(s.finalData(), StandardCharsets.US_ASCII);
        check(serverFinal.equals("v=" + Base64.getEncoder().encodeToString(PasswordHasher.hmac(SERVER_KEY, authMessage))),
                "server-final %s", serverFinal);
    }

    /** client-first-message-bare: after the gs2 header (flag "," [authzid] ","). */
    private static String bare(String clientFirst) {
        int c1 = clientFirst.indexOf(',');
        int c2 = c1 < 0 ? -1 : clientFirst.indexOf(',', c1 + 1);
        return c2 < 0 ? "" : clientFirst.substring(c2 + 1);
    }

    private static String attr(String attrs, String name) {
        String v = attrOrNull(attrs, name);
        if (v == null) throw new AssertionError("no " + name + "= in " + attrs);
        return v;
    }

    private static String attrOrNull(String attrs, String name) {
        for (String a : attrs.split(",", -1)) if (a.startsWith(name + "=")) return a.substring(name.length() + 1);
        return null;
    }

    /** RFC 5802 §7 saslname, decoded; null when absent. */
    private static String saslname(String s) {
        return s == null ? null : s.replace("=2C", ",").replace("=3D", "=");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** The seeds that carry complete, valid exchanges really reach Success (so they exercise the whole path). */
    @Test
    void validSeedsSucceed() throws IOException {
        for (String seed : List.of("rfc7677", "plus-tls-exporter", "no-initial-response")) {
            try (InputStream in = getClass().getResourceAsStream("ScramFuzzTestInputs/exchange/" + seed)) {
                assertThat(in).as(seed).isNotNull();
                assertThat(run(in.readAllBytes())).as(seed).isInstanceOf(SaslStep.Success.class);
            }
        }
    }
}
