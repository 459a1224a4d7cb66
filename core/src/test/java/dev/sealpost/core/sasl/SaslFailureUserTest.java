package dev.sealpost.core.sasl;

import dev.sealpost.testkit.ScramClient;
import dev.sealpost.core.sasl.SaslExchange.SaslStep;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every mechanism names, in its {@link SaslStep.Failure}, the user the client claimed, so that
 * login throttling can slow down guessing against one account from many addresses.
 */
class SaslFailureUserTest {
    private static final byte[] CB = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final TestAccounts accounts = new TestAccounts().add("alice@example.com", "correct horse");

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static SaslStep.Failure failure(SaslStep step) {
        assertThat(step).isInstanceOf(SaslStep.Failure.class);
        return (SaslStep.Failure) step;
    }

    @Test
    void twoArgumentConstructorHasNoUser() {
        assertThat(new SaslStep.Failure(false, "x").user()).isNull();
    }

    @Test
    void plainWrongPasswordCarriesTheClaimedUserAsSent() {
        SaslStep.Failure f = failure(new PlainMechanism(accounts).start(null).evaluate(utf8("\0Alice@Example.COM\0guess")));
        assertThat(f.malformed()).isFalse();
        assertThat(f.user()).isEqualTo("Alice@Example.COM");
    }

    @Test
    void plainUnknownUserCarriesTheClaimedUser() {
        SaslStep.Failure f = failure(new PlainMechanism(accounts).start(null).evaluate(utf8("\0mallory@example.com\0guess")));
        assertThat(f.malformed()).isFalse();
        assertThat(f.user()).isEqualTo("mallory@example.com");
        assertThat(f.reason()).isEqualTo("bad credentials"); // same as a wrong password
    }

    @Test
    void plainAuthzidMismatchCarriesTheAuthenticationIdentity() {
        SaslStep.Failure f = failure(new PlainMechanism(accounts).start(null)
                .evaluate(utf8("bob@example.com\0alice@example.com\0correct horse")));
        assertThat(f.user()).isEqualTo("alice@example.com");
    }

    @Test
    void plainMessageWithoutAUserHasNone() {
        assertThat(failure(new PlainMechanism(accounts).start(null).evaluate(utf8("no separators"))).user()).isNull();
        assertThat(failure(new PlainMechanism(accounts).start(null).evaluate(utf8("\0\0pw"))).user()).isNull();
    }

    @Test
    void plainEmptyPasswordStillNamesTheUser() {
        SaslStep.Failure f = failure(new PlainMechanism(accounts).start(null).evaluate(utf8("\0alice@example.com\0")));
        assertThat(f.malformed()).isTrue();
        assertThat(f.user()).isEqualTo("alice@example.com");
    }

    @Test
    void loginWrongPasswordCarriesTheUser() {
        SaslExchange ex = new LoginMechanism(accounts).start(null);
        assertThat(ex.evaluate(new byte[0])).isInstanceOf(SaslStep.Challenge.class);
        assertThat(ex.evaluate(utf8("alice@example.com"))).isInstanceOf(SaslStep.Challenge.class);
        SaslStep.Failure f = failure(ex.evaluate(utf8("guess")));
        assertThat(f.malformed()).isFalse();
        assertThat(f.user()).isEqualTo("alice@example.com");
    }

    @Test
    void loginWithInitialResponseAndUnknownUserCarriesTheUser() {
        SaslExchange ex = new LoginMechanism(accounts).start(null);
        assertThat(ex.evaluate(utf8("nobody"))).isInstanceOf(SaslStep.Challenge.class);
        assertThat(failure(ex.evaluate(utf8("guess"))).user()).isEqualTo("nobody");
    }

    @Test
    void loginBadUserNameHasNone() {
        SaslExchange ex = new LoginMechanism(accounts).start(null);
        assertThat(failure(ex.evaluate(new byte[] {(byte) 0xff})).user()).isNull();
    }

    @Test
    void scramWrongPasswordCarriesTheDecodedUser() {
        var client = new ScramClient("n,,", "alice@example.com", "nonce");
        SaslExchange ex = new ScramSha256Mechanism(accounts, false).start(null);
        SaslStep first = ex.evaluate(client.clientFirst());
        assertThat(first).isInstanceOf(SaslStep.Challenge.class);
        SaslStep.Failure f = failure(ex.evaluate(client.clientFinal(((SaslStep.Challenge) first).data(), "wrong", new byte[0])));
        assertThat(f.malformed()).isFalse();
        assertThat(f.user()).isEqualTo("alice@example.com");
    }

    @Test
    void scramUnknownUserWithSaslnameEscapesCarriesTheDecodedName() {
        var client = new ScramClient("n,,", "we,ird=name", "nonce");
        SaslExchange ex = new ScramSha256Mechanism(accounts, false).start(null);
        SaslStep first = ex.evaluate(client.clientFirst());
        assertThat(first).isInstanceOf(SaslStep.Challenge.class); // unknown users look real until the proof
        SaslStep.Failure f = failure(ex.evaluate(client.clientFinal(((SaslStep.Challenge) first).data(), "x", new byte[0])));
        assertThat(f.user()).isEqualTo("we,ird=name");
        assertThat(f.reason()).isEqualTo("bad credentials");
    }

    @Test
    void scramChannelBindingFailuresCarryTheUser() {
        // -PLUS on a connection without binding data: fails at client-first, after the user was named
        SaslStep.Failure f = failure(new ScramSha256Mechanism(accounts, true).start(null)
                .evaluate(new ScramClient("p=tls-exporter,,", "alice@example.com", "n").clientFirst()));
        assertThat(f.user()).isEqualTo("alice@example.com");
        // downgrade ("y" while -PLUS is offered and binding data exists)
        SaslStep.Failure g = failure(new ScramSha256Mechanism(accounts, false).start(new ChannelBinding("tls-exporter", CB))
                .evaluate(new ScramClient("y,,", "alice@example.com", "n").clientFirst()));
        assertThat(g.user()).isEqualTo("alice@example.com");
    }

    @Test
    void scramMalformedFinalCarriesTheUser() {
        SaslExchange ex = new ScramSha256Mechanism(accounts, false).start(null);
        assertThat(ex.evaluate(new ScramClient("n,,", "alice@example.com", "n").clientFirst())).isInstanceOf(SaslStep.Challenge.class);
        SaslStep.Failure f = failure(ex.evaluate(utf8("garbage")));
        assertThat(f.malformed()).isTrue();
        assertThat(f.user()).isEqualTo("alice@example.com");
    }

    @Test
    void scramFailureBeforeTheUserIsNamedHasNone() {
        assertThat(failure(new ScramSha256Mechanism(accounts, false).start(null).evaluate(utf8("x,,n=a,r=b"))).user()).isNull();
        assertThat(failure(new ScramSha256Mechanism(accounts, false).start(null).evaluate(utf8("n,,n=bad=name,r=b"))).user()).isNull();
    }
}
