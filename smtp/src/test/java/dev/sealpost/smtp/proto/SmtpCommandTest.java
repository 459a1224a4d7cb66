package dev.sealpost.smtp.proto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SmtpCommandTest {

    private static SmtpCommand ok(String line) {
        return ok(line, false);
    }

    private static SmtpCommand ok(String line, boolean utf8) {
        SmtpCommand.Result r = SmtpCommand.parse(line, utf8);
        assertThat(r).as(line).isInstanceOf(SmtpCommand.Parsed.class);
        return ((SmtpCommand.Parsed) r).command();
    }

    private static SmtpCommand.Invalid bad(String line) {
        SmtpCommand.Result r = SmtpCommand.parse(line, false);
        assertThat(r).as(line).isInstanceOf(SmtpCommand.Invalid.class);
        return (SmtpCommand.Invalid) r;
    }

    /** Each line with the reply code and enhanced code it must get ("ok" when it parses). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "MAIL FROM:<a@example.org>|ok",
            "mail from:<a@example.org>|ok",
            "MAIL FROM:<>|ok",
            "MAIL FROM: <a@example.org>|ok",
            "MAIL FROM:<a@example.org> SIZE=1000 BODY=8BITMIME|ok",
            "MAIL FROM:<a@example.org> BODY=binarymime|ok",
            "MAIL FROM:<a@example.org> SMTPUTF8|ok",
            "MAIL FROM:<a@example.org> REQUIRETLS|ok",
            "MAIL FROM:<a@example.org> RET=FULL ENVID=abc+2Bdef|ok",
            "MAIL FROM:<a@example.org> AUTH=<>|ok",
            "MAIL FROM:<a@example.org> AUTH=alice+40example.org|ok",
            "MAIL FROM:<@r1.example,@r2.example:a@example.org>|ok",
            "MAIL FROM:<a@[192.0.2.1]>|ok",
            "MAIL FROM:<\"a>b\"@example.org>|ok",
            "MAIL FROM:a@example.org|501 5.5.4",
            "MAIL FROM:<a@example.org|501 5.5.4",
            "MAIL TO:<a@example.org>|501 5.5.4",
            "MAIL|501 5.5.4",
            "MAIL FROM:<a@example.org>SIZE=1|501 5.5.4",
            "MAIL FROM:<a@example.org> SIZE=abc|501 5.5.4",
            "MAIL FROM:<a@example.org> SIZE=|501 5.5.4",
            "MAIL FROM:<a@example.org> SIZE=1 SIZE=2|501 5.5.4",
            "MAIL FROM:<a@example.org> BODY=9BIT|501 5.5.4",
            "MAIL FROM:<a@example.org> SMTPUTF8=yes|501 5.5.4",
            "MAIL FROM:<a@example.org> RET=SOME|501 5.5.4",
            "MAIL FROM:<a@example.org> ENVID=a+2|501 5.5.4",
            "MAIL FROM:<a@example.org> ENVID=a=b|501 5.5.4",
            "MAIL FROM:<a@example.org> X-FOO=1|555 5.5.4",
            "MAIL FROM:<a@example.org> NOTIFY=NEVER|555 5.5.4",
            "MAIL FROM:<a@@example.org>|501 5.1.7",
            "MAIL FROM:<a@-bad-.example>|501 5.1.7",
            "MAIL FROM:<a@[300.1.1.1]>|501 5.1.7",
            "MAIL FROM:<@r1.example:>|501 5.1.7",
            "MAIL FROM:<müller@example.org>|553 5.6.7",
            "MAIL FROM:<müller@example.org> SMTPUTF8|ok",
            "RCPT TO:<b@example.net>|ok",
            "RCPT TO:<Postmaster>|ok",
            "RCPT TO:<postmaster>|ok",
            "RCPT TO:<b@example.net> NOTIFY=SUCCESS,DELAY|ok",
            "RCPT TO:<b@example.net> NOTIFY=NEVER|ok",
            "RCPT TO:<b@example.net> ORCPT=rfc822;b+40example.net|ok",
            "RCPT TO:<b@[IPv6:2001:db8::1]>|ok",
            "RCPT TO:<b@[x-tag:stuff]>|ok",
            "RCPT TO:<>|501 5.1.3",
            "RCPT TO:<postmaster@>|501 5.1.3",
            "RCPT TO:<b@example.net> NOTIFY=NEVER,DELAY|501 5.5.4",
            "RCPT TO:<b@example.net> NOTIFY=SOMETIMES|501 5.5.4",
            "RCPT TO:<b@example.net> NOTIFY=DELAY,DELAY|501 5.5.4",
            "RCPT TO:<b@example.net> ORCPT=b@example.net|501 5.5.4",
            "RCPT TO:<b@example.net> ORCPT=rfc822;|501 5.5.4",
            "RCPT TO:<b@example.net> SIZE=1|555 5.5.4",
            "RCPT TO:<b@[IPv6:zz::1]>|501 5.1.3",
            "RCPT TO:<bjørn@example.net>|553 5.6.7",
            "EHLO client.example|ok",
            "EHLO [192.0.2.1]|ok",
            "EHLO|501 5.5.4",
            "HELO client|ok",
            "DATA|ok",
            "DATA x|501 5.5.4",
            "BDAT 100|ok",
            "BDAT 0 LAST|ok",
            "BDAT 100 last|ok",
            "BDAT|501 5.5.4",
            "BDAT -1|501 5.5.4",
            "BDAT 10 NOW|501 5.5.4",
            "BDAT 1234567890123456789|501 5.5.4",
            "RSET|ok",
            "NOOP|ok",
            "NOOP hello|ok",
            "QUIT|ok",
            "VRFY root|ok",
            "EXPN staff|ok",
            "HELP|ok",
            "HELP MAIL|ok",
            "STARTTLS|ok",
            "STARTTLS now|501 5.5.4",
            "AUTH PLAIN|ok",
            "AUTH PLAIN =|ok",
            "AUTH PLAIN AGFsaWNlAHNlY3JldA==|ok",
            "AUTH PLAIN not*base64|501 5.5.2",
            "AUTH|501 5.5.4",
            "AUTH THIS-NAME-IS-FAR-TOO-LONG-FOR-SASL|501 5.5.4",
            "XYZZY|500 5.5.2",
            "''|500 5.5.2",
    })
    void table(String line, String expected) {
        SmtpCommand.Result r = SmtpCommand.parse(line, false);
        if (expected.equals("ok")) {
            assertThat(r).isInstanceOf(SmtpCommand.Parsed.class);
        } else {
            assertThat(r).isInstanceOf(SmtpCommand.Invalid.class);
            Reply reply = ((SmtpCommand.Invalid) r).reply();
            assertThat(reply.code() + " " + reply.enhanced()).isEqualTo(expected);
        }
    }

    @Test
    void mailParametersAreTyped() {
        var m = (SmtpCommand.Mail) ok("MAIL FROM:<a@Example.ORG> SIZE=99999999999999999999 body=8bitmime RET=hdrs ENVID=x+2By SMTPUTF8 REQUIRETLS");
        assertThat(m.reversePath().toString()).isEqualTo("a@example.org");
        assertThat(m.size()).isEqualTo(Long.MAX_VALUE); // overflow: certainly too big
        assertThat(m.body()).isEqualTo("8BITMIME");
        assertThat(m.ret()).isEqualTo("HDRS");
        assertThat(m.envid()).isEqualTo("x+y");
        assertThat(m.smtpUtf8()).isTrue();
        assertThat(m.requireTls()).isTrue();
        assertThat(m.hasParameters()).isTrue();

        var plain = (SmtpCommand.Mail) ok("MAIL FROM:<>");
        assertThat(plain.reversePath()).isNull();
        assertThat(plain.size()).isEqualTo(-1);
        assertThat(plain.body()).isNull();
        assertThat(plain.hasParameters()).isFalse();
    }

    @Test
    void sourceRouteIsDroppedAndLiteralKept() {
        var m = (SmtpCommand.Mail) ok("MAIL FROM:<@a.example,@b.example:user@c.example>");
        assertThat(m.reversePath().toString()).isEqualTo("user@c.example");
        var r = (SmtpCommand.Rcpt) ok("RCPT TO:<\"odd user\"@[192.0.2.1]>");
        assertThat(r.forwardPath().localPart()).isEqualTo("odd user");
        assertThat(r.forwardPath().domain()).isEqualTo("[192.0.2.1]");
        var pm = (SmtpCommand.Rcpt) ok("RCPT TO:<PostMaster> NOTIFY=FAILURE ORCPT=rfc822;x+2By@example.net");
        assertThat(pm.forwardPath()).isNull();
        assertThat(pm.dsnNotify()).containsExactly("FAILURE");
        assertThat(pm.orcpt()).isEqualTo("rfc822;x+y@example.net");
    }

    @Test
    void utf8RecipientsNeedTheTransactionFlag() {
        assertThat(SmtpCommand.parse("RCPT TO:<bjørn@bücher.example>", false)).isInstanceOf(SmtpCommand.Invalid.class);
        var r = (SmtpCommand.Rcpt) ok("RCPT TO:<bjørn@bücher.example>", true);
        assertThat(r.forwardPath().domain()).isEqualTo("xn--bcher-kva.example");
    }

    @Test
    void bdatSyntaxErrorsLoseSync() {
        assertThat(bad("BDAT x").closeConnection()).isTrue();
        assertThat(bad("BDAT 1 2").closeConnection()).isTrue();
        assertThat(bad("BDAT\u0000 1").closeConnection()).isTrue();
        assertThat(bad("MAIL FROM:x").closeConnection()).isFalse();
        var b = (SmtpCommand.Bdat) ok("bdat 42 last");
        assertThat(b.size()).isEqualTo(42);
        assertThat(b.last()).isTrue();
    }

    @Test
    void controlCharactersAndBadUtf8AreRefused() {
        assertThat(bad("NOOP\rX").reply().code()).isEqualTo(500);
        assertThat(bad("NOOP\tX").reply().code()).isEqualTo(500);
        SmtpCommand.Result r = SmtpCommand.parse(new byte[]{'N', 'O', 'O', 'P', ' ', (byte) 0xc3}, true);
        assertThat(r).isInstanceOf(SmtpCommand.Invalid.class);
        assertThat(((SmtpCommand.Invalid) r).reply().code()).isEqualTo(500);
    }

    @Test
    void pathLengthIsBounded() {
        String local = "a".repeat(60);
        String domain = ("d".repeat(60) + ".").repeat(4) + "example";
        assertThat(bad("MAIL FROM:<" + local + "@" + domain + ">").reply().enhanced()).isEqualTo("5.1.7");
        String longEnvid = "x".repeat(101);
        assertThat(bad("MAIL FROM:<a@example.org> ENVID=" + longEnvid).reply().code()).isEqualTo(501);
    }

    /** The parser is total: random input never throws, always gives a result. */
    @Test
    void randomBytesNeverThrow() {
        Random rnd = new Random(5321);
        List<String> seeds = List.of("MAIL FROM:<a@example.org> SIZE=10 BODY=8BITMIME", "RCPT TO:<\"q\\\"x\"@[IPv6:::1]> NOTIFY=NEVER ORCPT=rfc822;a+40b",
                "BDAT 10 LAST", "AUTH PLAIN AGFsaWNl", "EHLO [1.2.3.4]", "MAIL FROM:<@a,@b:c@d> SMTPUTF8");
        for (int i = 0; i < 200_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[rnd.nextInt(80)];
                rnd.nextBytes(input);
            } else {
                input = seeds.get(rnd.nextInt(seeds.size())).getBytes(StandardCharsets.UTF_8);
                for (int k = rnd.nextInt(4); k >= 0; k--) {
                    if (input.length == 0) break;
                    int pos = rnd.nextInt(input.length);
                    switch (rnd.nextInt(3)) {
                        case 0 -> input[pos] = (byte) rnd.nextInt(256);
                        case 1 -> input = java.util.Arrays.copyOf(input, pos);
                        default -> {
                            String special = "<>@:;,\"\\=+[] ";
                            input[pos] = (byte) special.charAt(rnd.nextInt(special.length()));
                        }
                    }
                }
            }
            // the inner parser, without SmtpCommand.parse's defensive catch, so that a bug shows
            String text = new String(input, StandardCharsets.UTF_8);
            assertThat(Parser.parse(text, rnd.nextBoolean())).isNotNull();
            assertThat(SmtpCommand.parse(input, rnd.nextBoolean())).isNotNull();
        }
    }
}
