package dev.sealpost.smtp.client;

import dev.sealpost.smtp.proto.Reply;
import dev.sealpost.smtp.proto.ReplyReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplyReaderTest {
    static ReplyReader reader(String wire) {
        return new ReplyReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)), 512, 5);
    }

    @Test
    void multiLineReplyWithEnhancedCodes() throws Exception {
        ReplyReader r = reader("250-2.0.0 first\r\n250-2.0.0 second\r\n250 2.0.0 last\r\n220 next\r\n");
        Reply a = r.read();
        assertThat(a.code()).isEqualTo(250);
        assertThat(a.enhanced()).isEqualTo("2.0.0");
        assertThat(a.lines()).containsExactly("first", "second", "last");
        Reply b = r.read();
        assertThat(b.code()).isEqualTo(220);
        assertThat(b.enhanced()).isNull();
        assertThat(b.lines()).containsExactly("next");
    }

    @Test
    void ehloReplyKeepsKeywordsAndAnEmptyLastLine() throws Exception {
        // Postfix's smtp-sink ends its EHLO reply with "250 " (an empty line)
        Reply a = reader("250-smtp-sink\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 \r\n").read();
        assertThat(a.lines()).containsExactly("smtp-sink", "PIPELINING", "SIZE 1000", "");
        Capabilities c = Capabilities.parse(a);
        assertThat(c.serverName()).isEqualTo("smtp-sink");
        assertThat(c.pipelining()).isTrue();
        assertThat(c.size()).isEqualTo(1000);
    }

    @Test
    void enhancedCodeOnlyWhenItsClassMatches() throws Exception {
        assertThat(reader("250 5.1.1 odd\r\n").read().enhanced()).isNull();
        assertThat(reader("550 5.1.10 user unknown\r\n").read().enhanced()).isEqualTo("5.1.10");
        assertThat(reader("451 4.7.1234 x\r\n").read().enhanced()).isNull();
        assertThat(reader("250 1.2.3.4 text\r\n").read().enhanced()).isNull();
    }

    @Test
    void bareCodeAndBareLfAreAccepted() throws Exception {
        ReplyReader r = reader("250\r\n354 go\n");
        assertThat(r.read().lines()).containsExactly("");
        assertThat(r.read().code()).isEqualTo(354);
    }

    @Test
    void controlCharactersAreDropped() throws Exception {
        assertThat(reader("550 bad\u0000\u001b[31m text\ttab\r\n").read().lines()).containsExactly("bad[31m text tab");
    }

    @Test
    void malformedRepliesAreRefused() {
        for (String bad : new String[]{"25\r\n", "2x0 text\r\n", "150 text\r\n", "700 text\r\n", "250_text\r\n",
                "250-a\r\n251 b\r\n", "250-1\r\n250-2\r\n250-3\r\n250-4\r\n250-5\r\n250 6\r\n", "250 " + "x".repeat(600) + "\r\n"}) {
            assertThatThrownBy(() -> reader(bad).read()).as(bad).isInstanceOf(ReplyReader.MalformedReplyException.class);
        }
    }

    @Test
    void endOfStream() {
        assertThatThrownBy(() -> reader("250-partial\r\n").read()).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> reader("").read()).isInstanceOf(EOFException.class);
    }

    @Test
    void capabilitiesParsing() {
        Capabilities c = Capabilities.parse(new Reply(250, null, java.util.List.of("mx.example Hello", "size", "AUTH=PLAIN LOGIN",
                "auth scram-sha-256 PLAIN", "8bitmime", "BINARYMIME", "X-FOO bar baz")));
        assertThat(c.serverName()).isEqualTo("mx.example");
        assertThat(c.size()).isZero(); // SIZE without a limit
        assertThat(c.authMechanisms()).containsExactlyInAnyOrder("PLAIN", "LOGIN", "SCRAM-SHA-256");
        assertThat(c.eightBitMime()).isTrue();
        assertThat(c.binaryMime()).isFalse(); // needs CHUNKING too
        assertThat(c.keywords()).containsEntry("X-FOO", "bar baz");
        assertThat(c.pipelining()).isFalse();
        assertThat(Capabilities.parse(new Reply(250, null, "only.name")).size()).isEqualTo(-1);
        assertThat(Capabilities.parse(new Reply(250, null, java.util.List.of("a", "SIZE junk"))).size()).isZero();
    }
}
