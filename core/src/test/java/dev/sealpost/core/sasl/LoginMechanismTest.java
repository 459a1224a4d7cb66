package dev.sealpost.core.sasl;

import dev.sealpost.core.sasl.SaslExchange.SaslStep;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LoginMechanismTest {
    private final LoginMechanism login = new LoginMechanism(new TestAccounts().add("bob@example.org", "hunter2"));

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String challenge(SaslStep step) {
        assertThat(step).isInstanceOf(SaslStep.Challenge.class);
        return new String(((SaslStep.Challenge) step).data(), StandardCharsets.US_ASCII);
    }

    @Test
    void dialogue() {
        assertThat(login.name()).isEqualTo("LOGIN");
        assertThat(login.revealsPassword()).isTrue();
        SaslExchange ex = login.start(null);
        // S: 334 VXNlcm5hbWU6   C: Ym9i...
        assertThat(challenge(ex.evaluate(new byte[0]))).isEqualTo("Username:");
        assertThat(challenge(ex.evaluate(b("bob@example.org")))).isEqualTo("Password:");
        assertThat(ex.evaluate(b("hunter2"))).isInstanceOfSatisfying(SaslStep.Success.class,
                s -> assertThat(s.user()).isEqualTo("bob@example.org"));
        assertThat(ex.evaluate(b("again"))).isInstanceOf(SaslStep.Failure.class);
    }

    @Test
    void initialResponseIsTheUserName() {
        SaslExchange ex = login.start(null);
        assertThat(challenge(ex.evaluate(b("BOB@example.org")))).isEqualTo("Password:");
        assertThat(ex.evaluate(b("hunter2"))).isInstanceOf(SaslStep.Success.class);
    }

    @Test
    void wrongPasswordAndUnknownUser() {
        SaslExchange ex = login.start(null);
        ex.evaluate(b("bob@example.org"));
        SaslStep wrong = ex.evaluate(b("hunter3"));
        SaslExchange ex2 = login.start(null);
        ex2.evaluate(b("eve@example.org"));
        SaslStep unknown = ex2.evaluate(b("hunter2"));
        assertThat(wrong).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.malformed()).isFalse());
        // same outcome and reason; only the claimed user (for throttling, never shown) differs
        assertThat(unknown).usingRecursiveComparison().ignoringFields("user").isEqualTo(wrong);
    }

    @Test
    void emptyOrBadFieldsAreMalformed() {
        SaslExchange ex = login.start(null);
        ex.evaluate(new byte[0]);
        assertThat(ex.evaluate(new byte[0])).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.malformed()).isTrue());

        SaslExchange ex2 = login.start(null);
        ex2.evaluate(b("bob@example.org"));
        assertThat(ex2.evaluate(new byte[0])).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.malformed()).isTrue());

        SaslExchange ex3 = login.start(null);
        assertThat(ex3.evaluate(new byte[]{(byte) 0xC3})).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.malformed()).isTrue());

        SaslExchange ex4 = login.start(null);
        assertThat(ex4.evaluate(b("u".repeat(2000)))).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.malformed()).isTrue());
    }
}
