package dev.sealpost.core.sasl;

import dev.sealpost.core.sasl.SaslDialog.Answer;
import dev.sealpost.core.sasl.SaslDialog.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SaslDialogTest {
    private final TestAccounts accounts = new TestAccounts().add("alice@example.com", "correct horse");
    private final SaslMechanism plain = new PlainMechanism(accounts);
    private final SaslMechanism login = new LoginMechanism(accounts);

    /** Answers challenges from a script and records what was sent. */
    private static final class Script implements SaslDialog.Io {
        final Deque<Answer> answers = new ArrayDeque<>();
        final List<String> sent = new ArrayList<>();

        Script line(String s) {
            answers.add(new Answer.Line(s));
            return this;
        }

        Script b64(String s) {
            return line(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
        }

        Script then(Answer a) {
            answers.add(a);
            return this;
        }

        @Override
        public Answer challenge(byte[] data) {
            sent.add(new String(data, StandardCharsets.UTF_8));
            return answers.isEmpty() ? new Answer.Closed() : answers.poll();
        }
    }

    private static String ir(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void plainWithInitialResponse() throws Exception {
        Outcome o = SaslDialog.run(plain, null, ir("\0alice@example.com\0correct horse"), new Script());
        assertThat(o).isEqualTo(new Outcome.Authenticated("PLAIN", "alice@example.com"));
    }

    @Test
    void wrongPasswordAndUnknownUserFailAlikeWithTheClaimedUser() throws Exception {
        Outcome wrong = SaslDialog.run(plain, null, ir("\0alice@example.com\0nope"), new Script());
        Outcome unknown = SaslDialog.run(plain, null, ir("\0bob@example.com\0nope"), new Script());
        assertThat(wrong).isEqualTo(new Outcome.Failed("PLAIN", "alice@example.com", "bad-credentials"));
        assertThat(unknown).isEqualTo(new Outcome.Failed("PLAIN", "bob@example.com", "bad-credentials"));
    }

    @Test
    void emptyInitialResponseThenChallenge() throws Exception {
        Script io = new Script().b64("\0alice@example.com\0correct horse");
        assertThat(SaslDialog.run(plain, null, "=", io)).isInstanceOf(Outcome.Authenticated.class);
        assertThat(io.sent).containsExactly("");
    }

    @Test
    void badBase64IsMalformed() throws Exception {
        assertThat(SaslDialog.run(plain, null, "!!!", new Script())).isEqualTo(new Outcome.Malformed("PLAIN", null, "bad-base64"));
        assertThat(SaslDialog.run(login, null, null, new Script().line("%%")))
                .isEqualTo(new Outcome.Malformed("LOGIN", null, "bad-base64"));
    }

    @Test
    void cancelAndCloseKeepTheClaimedUser() throws Exception {
        assertThat(SaslDialog.run(login, null, null, new Script().b64("alice@example.com").line("*")))
                .isEqualTo(new Outcome.Cancelled("LOGIN", "alice@example.com"));
        assertThat(SaslDialog.run(login, null, null, new Script().b64("alice@example.com")))
                .isEqualTo(new Outcome.Disconnected("LOGIN", "alice@example.com"));
        assertThat(SaslDialog.run(login, null, null, new Script().then(new Answer.Unreadable("line-too-long"))))
                .isEqualTo(new Outcome.Malformed("LOGIN", null, "line-too-long"));
    }

    @Test
    void endlessChallengesAreCutOff() throws Exception {
        SaslMechanism chatty = new SaslMechanism() {
            @Override public String name() { return "X-CHATTY"; }
            @Override public boolean revealsPassword() { return false; }
            @Override public boolean needsChannelBinding() { return false; }
            @Override public SaslExchange start(ChannelBinding b) {
                return r -> new SaslExchange.SaslStep.Challenge(new byte[] {'?'});
            }
        };
        Script io = new Script();
        for (int i = 0; i < 20; i++) io.line("");
        assertThat(SaslDialog.run(chatty, null, null, io)).isEqualTo(new Outcome.TooManyRounds("X-CHATTY", null));
        assertThat(io.sent).hasSize(SaslDialog.MAX_ROUNDS);
    }

    @Test
    void yFlagIsADowngradeOnlyWhenPlusIsAdvertised() {
        ChannelBinding binding = new ChannelBinding("tls-exporter", new byte[32]);
        byte[] clientFirst = "y,,n=alice@example.com,r=abcdefghijkl".getBytes(StandardCharsets.US_ASCII);
        // RFC 5802 §6: a client that saw -PLUS and still says "y" was downgraded
        var advertised = SaslMechanisms.find(SaslMechanisms.standard(accounts, true), "SCRAM-SHA-256").orElseThrow();
        assertThat(advertised.start(binding).evaluate(clientFirst)).isInstanceOf(SaslExchange.SaslStep.Failure.class);
        // when -PLUS is not advertised, "y" is the honest answer of a binding-capable client
        var quiet = SaslMechanisms.find(SaslMechanisms.standard(accounts, false), "SCRAM-SHA-256").orElseThrow();
        assertThat(quiet.start(binding).evaluate(clientFirst)).isInstanceOf(SaslExchange.SaslStep.Challenge.class);
    }

    @Test
    void reasonTokens() {
        assertThat(SaslDialog.token("bad credentials")).isEqualTo("bad-credentials");
        assertThat(SaslDialog.token("channel binding downgrade detected")).isEqualTo("channel-binding-downgrade-detected");
        assertThat(SaslDialog.token(null)).isEqualTo("unspecified");
    }
}
