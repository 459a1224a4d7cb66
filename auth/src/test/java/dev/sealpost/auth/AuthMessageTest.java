package dev.sealpost.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.auth.AuthMessage.HeaderField;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

class AuthMessageTest {
    static AuthMessage of(String s) {
        return AuthMessage.of(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void fieldsWithFoldingAndBody() {
        String m = "From: a@example.com\r\nSubject: one\r\n two\r\n\tthree\r\nTo : b@example.com\r\n\r\nbody\r\n";
        AuthMessage msg = of(m);
        assertThat(msg.headers()).extracting(HeaderField::name).containsExactly("From", "Subject", "To");
        assertThat(msg.headers()).noneMatch(HeaderField::malformed);
        assertThat(msg.headers().get(1).rawLatin1()).isEqualTo("Subject: one\r\n two\r\n\tthree\r\n");
        assertThat(msg.headers().get(1).value()).isEqualTo(" one\r\n two\r\n\tthree");
        assertThat(msg.headers().get(1).unfoldedValue()).isEqualTo("one two\tthree");
        assertThat(msg.headers("subject")).hasSize(1);
        assertThat(msg.headers().get(2).is("to")).isTrue();
        assertThat(new String(msg.body(), StandardCharsets.US_ASCII)).isEqualTo("body\r\n");
        assertThat(msg.bodyOffset()).isEqualTo(m.indexOf("body"));
        assertThat(msg.headerLimitExceeded()).isFalse();
    }

    @Test
    void noBody() {
        AuthMessage msg = of("From: a\r\nTo: b");
        assertThat(msg.headers()).hasSize(2);
        assertThat(msg.headers().get(1).rawLatin1()).isEqualTo("To: b");
        assertThat(msg.bodyLength()).isZero();
        assertThat(of("").headers()).isEmpty();
        AuthMessage onlyBody = of("\r\nbody");
        assertThat(onlyBody.headers()).isEmpty();
        assertThat(onlyBody.bodyOffset()).isEqualTo(2);
    }

    @Test
    void malformedLinesAreKeptAndFlagged() {
        AuthMessage msg = of(" leading continuation\r\nFrom a@b mbox line\r\nBad Name: x\r\nGood: y\r\n\r\n");
        assertThat(msg.headers()).extracting(HeaderField::malformed).containsExactly(true, true, true, false);
        assertThat(msg.headers().get(1).name()).isEqualTo("From a@b mbox line");
        assertThat(msg.headers().get(1).is("From")).isFalse();
        assertThat(msg.hasMalformedHeaders()).isTrue();
    }

    @Test
    void lenientLineEnds() {
        AuthMessage msg = AuthMessage.fromLenient("A: 1\nB: 2\r\n\nbody\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(msg.bytes(), StandardCharsets.US_ASCII)).isEqualTo("A: 1\r\nB: 2\r\n\r\nbody\r\n");
        assertThat(msg.headers()).hasSize(2);
        // strict: a bare LF does not end a line
        AuthMessage strict = of("A: 1\nB: 2\r\n\r\n");
        assertThat(strict.headers()).hasSize(1);
    }

    @Test
    void bounded() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) sb.append("X-").append(i).append(": v\r\n");
        sb.append("\r\nbody");
        AuthMessage msg = AuthMessage.of(sb.toString().getBytes(StandardCharsets.US_ASCII), 10, 1 << 20);
        assertThat(msg.headers()).hasSize(10);
        assertThat(msg.headerLimitExceeded()).isTrue();
        assertThat(msg.bodyLength()).isEqualTo(4);
        AuthMessage small = AuthMessage.of(sb.toString().getBytes(StandardCharsets.US_ASCII), 100, 30);
        assertThat(small.headers()).hasSize(3);
        assertThat(small.headerLimitExceeded()).isTrue();
    }
}
