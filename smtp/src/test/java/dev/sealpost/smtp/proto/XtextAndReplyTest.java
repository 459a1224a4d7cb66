package dev.sealpost.smtp.proto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class XtextAndReplyTest {
    @Test
    void xtext() {
        assertThat(Xtext.decode("a+2Bb+3Dc", 100)).contains("a+b=c");
        assertThat(Xtext.decode("a+2b", 100)).isEmpty(); // lower-case hex is not xtext
        assertThat(Xtext.decode("a+2", 100)).isEmpty();
        assertThat(Xtext.decode("a=b", 100)).isEmpty();
        assertThat(Xtext.decode("a b", 100)).isEmpty();
        assertThat(Xtext.decode("abcd", 3)).isEmpty();
        assertThat(Xtext.encode("a+b=c d")).isEqualTo("a+2Bb+3Dc+20d");
        assertThat(Xtext.decode(Xtext.encode("x+y=z"), 100)).contains("x+y=z");
    }

    @Test
    void replyEncoding() {
        Reply r = new Reply(250, "2.0.0", List.of("first", "second\r\n250 injected"));
        assertThat(new String(r.encode(true), StandardCharsets.UTF_8))
                .isEqualTo("250-2.0.0 first\r\n250 2.0.0 second  250 injected\r\n");
        assertThat(new String(r.encode(false), StandardCharsets.UTF_8))
                .isEqualTo("250-first\r\n250 second  250 injected\r\n");
    }
}
