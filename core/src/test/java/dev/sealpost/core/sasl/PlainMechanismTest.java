package dev.sealpost.core.sasl;

import dev.sealpost.core.sasl.SaslExchange.SaslStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PlainMechanismTest {
    private final TestAccounts accounts = new TestAccounts().add("Alice@example.com", "s3cret pässword");
    private final PlainMechanism plain = new PlainMechanism(accounts);

    private static byte[] msg(String s) {
        return s.replace('|', '\0').getBytes(StandardCharsets.UTF_8);
    }

    private SaslStep once(String m) {
        return plain.start(null).evaluate(msg(m));
    }

    @Test
    void properties() {
        assertThat(plain.name()).isEqualTo("PLAIN");
        assertThat(plain.revealsPassword()).isTrue();
        assertThat(plain.needsChannelBinding()).isFalse();
    }

    @Test
    void initialResponseSucceedsWithCanonicalName() {
        assertThat(once("|alice@EXAMPLE.com|s3cret pässword")).isInstanceOfSatisfying(SaslStep.Success.class, s -> {
            assertThat(s.user()).isEqualTo("Alice@example.com");
            assertThat(s.finalData()).isEmpty();
        });
    }

    @Test
    void withoutInitialResponseTheServerSendsAnEmptyChallenge() {
        SaslExchange ex = plain.start(null);
        assertThat(ex.evaluate(new byte[0])).isInstanceOfSatisfying(SaslStep.Challenge.class, c -> assertThat(c.data()).isEmpty());
        assertThat(ex.evaluate(msg("|alice@example.com|s3cret pässword"))).isInstanceOf(SaslStep.Success.class);
        assertThat(ex.evaluate(msg("|alice@example.com|s3cret pässword")))
                .isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.malformed()).isTrue());
    }

    @Test
    void authzidEqualToAuthcidIsAccepted() {
        assertThat(once("alice@example.com|alice@example.com|s3cret pässword")).isInstanceOf(SaslStep.Success.class);
    }

    @Test
    void authzidOfSomeoneElseFails() {
        assertThat(once("root@example.com|alice@example.com|s3cret pässword")).isInstanceOfSatisfying(SaslStep.Failure.class, f -> {
            assertThat(f.malformed()).isFalse();
            assertThat(f.reason()).contains("authorization");
        });
    }

    @Test
    void wrongPasswordAndUnknownUserFailTheSameWay() {
        SaslStep wrong = once("|alice@example.com|guess");
        SaslStep unknown = once("|mallory@example.com|guess");
        assertThat(wrong).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.malformed()).isFalse());
        // same outcome and reason; only the claimed user (for throttling, never shown) differs
        assertThat(unknown).usingRecursiveComparison().ignoringFields("user").isEqualTo(wrong);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "alice@example.com",              // no NULs
            "|alice@example.com",             // one NUL
            "||pw",                           // empty authcid
            "|alice@example.com|",            // empty password
            "|alice@example.com|pw|extra",    // NUL in password
    })
    void malformedMessages(String m) {
        assertThat(once(m)).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.malformed()).isTrue());
    }

    @Test
    void emptyAnswerToChallengeIsMalformed() {
        SaslExchange ex = plain.start(null);
        ex.evaluate(new byte[0]);
        assertThat(ex.evaluate(new byte[0])).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.malformed()).isTrue());
    }

    @Test
    void invalidUtf8AndOversizeAreMalformed() {
        byte[] bad = {0, 'a', 0, (byte) 0xFF, 'x'};
        assertThat(plain.start(null).evaluate(bad)).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.malformed()).isTrue());
        assertThat(once("|" + "a".repeat(1025) + "|pw")).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.malformed()).isTrue());
        assertThat(once("|alice@example.com|" + "p".repeat(5000))).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.malformed()).isTrue());
    }
}
