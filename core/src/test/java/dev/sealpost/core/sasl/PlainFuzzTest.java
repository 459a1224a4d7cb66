package dev.sealpost.core.sasl;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.core.sasl.SaslExchange.SaslStep;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets for the plaintext SASL mechanisms: arbitrary client messages never throw, and
 * every outcome is a value that agrees with a reference model of RFC 4616 (PLAIN) and of the
 * LOGIN draft.
 *
 * <p>The directory knows every user name, all with the password {@value #PASSWORD} (hashed with
 * one PBKDF2 round so that the fuzzer runs fast; the decoy hash for unknown users would cost
 * 310,000). So a Success is possible for any name, and the model can say exactly when it is due.
 * Seeds: {@code src/test/resources/dev/sealpost/core/sasl/PlainFuzzTestInputs/{plain,login}/}:
 * for {@code plain} the file is one PLAIN message; for {@code login} the file is the client's
 * responses separated by LF.
 */
class PlainFuzzTest {
    static final String PASSWORD = "correct horse";
    private static final StoredCredentials CREDS = PasswordHasher.hash(PASSWORD.toCharArray(), 1, 1);
    /** Every name exists; the canonical name is the name as asked for. */
    static final CredentialLookup EVERYONE = name -> Optional.of(new CredentialLookup.Account(name, CREDS));

    @FuzzTest(maxDuration = "60s")
    void plain(byte[] message) {
        SaslExchange ex = new PlainMechanism(EVERYONE).start(null);
        SaslStep step = ex.evaluate(message);
        if (message.length == 0) {
            // RFC 4422 §5: no initial response, an empty challenge; then the message proper (empty again here)
            check(step instanceof SaslStep.Challenge c && c.data().length == 0, "empty response gave %s", step);
            step = ex.evaluate(message);
        }
        checkPlain(message, step);
        checkFinished(ex);
    }

    /** RFC 4616 §2 model: message = [authzid] NUL authcid NUL passwd. */
    private static void checkPlain(byte[] m, SaslStep step) {
        check(!(step instanceof SaslStep.Challenge), "a second challenge: %s", step);
        List<byte[]> parts = split(m, (byte) 0);
        boolean wellFormed = m.length > 0 && m.length <= SaslSupport.MAX_RESPONSE && parts.size() == 3
                && parts.get(1).length > 0 && parts.get(2).length > 0
                && parts.stream().allMatch(p -> p.length <= PlainMechanism.MAX_FIELD)
                && parts.stream().allMatch(p -> utf8(p) != null);
        String authcid = parts.size() >= 2 ? utf8(parts.get(1)) : null;
        if (step instanceof SaslStep.Failure f) {
            check(f.malformed() == !wellFormed, "malformed=%s for a %s message", f.malformed(), wellFormed ? "well-formed" : "bad");
            check(f.user() == null || f.user().equals(authcid), "failure names %s, client sent %s", f.user(), authcid);
            if (wellFormed) check(f.user() != null, "well-formed message, failure without the user");
        }
        if (!wellFormed) {
            check(step instanceof SaslStep.Failure, "bad message gave %s", step);
            return;
        }
        String authzid = utf8(parts.get(0)), password = utf8(parts.get(2));
        boolean passwordOk = Normalizer.normalize(password, Normalizer.Form.NFKC).equals(PASSWORD);
        boolean authzOk = authzid.isEmpty() || authzid.equals(authcid)
                || authzid.toLowerCase(Locale.ROOT).equals(authcid.toLowerCase(Locale.ROOT));
        if (passwordOk && authzOk) {
            check(step instanceof SaslStep.Success s && s.user().equals(authcid) && s.finalData().length == 0,
                    "valid credentials gave %s", step);
        } else {
            check(step instanceof SaslStep.Failure, "invalid credentials gave %s", step);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void login(byte[] data) {
        List<byte[]> responses = split(data, (byte) '\n');
        SaslExchange ex = new LoginMechanism(EVERYONE).start(null);
        String username = null;
        int i = 0;
        SaslStep step;
        while (true) {
            byte[] r = i < responses.size() ? responses.get(i) : new byte[0];
            step = ex.evaluate(r);
            i++;
            if (!(step instanceof SaslStep.Challenge c)) break;
            String prompt = new String(c.data(), StandardCharsets.US_ASCII);
            check(i <= 2, "more than two LOGIN challenges");
            check(prompt.equals("Username:") || prompt.equals("Password:"), "LOGIN challenge %s", prompt);
            if (prompt.equals("Password:")) {
                username = utf8(r);
                check(username != null && !username.isEmpty() && username.indexOf('\0') < 0 && r.length <= LoginMechanism.MAX_FIELD,
                        "user name accepted: %s", Arrays.toString(r));
            }
        }
        byte[] last = i - 1 < responses.size() ? responses.get(i - 1) : new byte[0];
        switch (step) {
            case SaslStep.Success s -> {
                check(username != null && s.user().equals(username), "success as %s, user name sent %s", s.user(), username);
                String pw = utf8(last);
                check(pw != null && Normalizer.normalize(pw, Normalizer.Form.NFKC).equals(PASSWORD), "success with a wrong password");
            }
            case SaslStep.Failure f -> {
                check(f.user() == null || f.user().equals(username), "failure names %s, user name sent %s", f.user(), username);
                if (username != null && !f.malformed()) check(f.user() != null, "password failure without the user");
                if (username != null && !f.malformed()) {
                    String pw = utf8(last);
                    check(pw == null || !Normalizer.normalize(pw, Normalizer.Form.NFKC).equals(PASSWORD), "right password refused");
                }
            }
            case SaslStep.Challenge c -> throw new AssertionError("unreachable");
        }
        checkFinished(ex);
    }

    /**
     * Found by fuzzing {@link #login}: HMAC pads its key with zero octets, so PBKDF2-HMAC verified
     * {@code "correct horse\0"} as {@code "correct horse"}. LOGIN now refuses a NUL in the password,
     * as PLAIN always did (RFC 4616 §2).
     */
    @Test
    void trailingNulIsNotTheSamePassword() {
        for (String pw : List.of("correct horse\0", "correct horse\0\0", "correct\0horse")) {
            SaslExchange login = new LoginMechanism(EVERYONE).start(null);
            login.evaluate("alice".getBytes(StandardCharsets.UTF_8));
            assertThat(login.evaluate(pw.getBytes(StandardCharsets.UTF_8))).as(pw)
                    .isInstanceOfSatisfying(SaslStep.Failure.class, f -> {
                        assertThat(f.malformed()).isTrue();
                        assertThat(f.user()).isEqualTo("alice");
                    });
            SaslStep plain = new PlainMechanism(EVERYONE).start(null).evaluate(("\0alice\0" + pw).getBytes(StandardCharsets.UTF_8));
            assertThat(plain).as(pw).isInstanceOf(SaslStep.Failure.class);
        }
    }

    /** After the end every further message is a malformed failure naming no one. */
    static void checkFinished(SaslExchange ex) {
        for (byte[] more : new byte[][] {new byte[0], "x".getBytes(StandardCharsets.US_ASCII)}) {
            SaslStep s = ex.evaluate(more);
            check(s instanceof SaslStep.Failure f && f.malformed() && f.user() == null, "after the end: %s", s);
        }
    }

    static List<byte[]> split(byte[] m, byte sep) {
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= m.length; i++) {
            if (i == m.length || m[i] == sep) {
                parts.add(Arrays.copyOfRange(m, start, i));
                start = i + 1;
            }
        }
        return parts;
    }

    static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static void check(boolean ok, String format, Object... args) {
        if (!ok) throw new AssertionError(String.format(format, args));
    }
}
