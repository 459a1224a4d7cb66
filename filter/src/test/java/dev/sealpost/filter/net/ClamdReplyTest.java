package dev.sealpost.filter.net;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** clamd reply lines and configured addresses. */
class ClamdReplyTest {
    @Test
    void repliesAreValues() {
        assertThat(ClamdReply.parse("stream: OK\0")).isEqualTo(ScanResult.CLEAN);
        assertThat(ClamdReply.parse("stream: Win.Test.EICAR_HDB-1 FOUND\0")).isEqualTo(new ScanResult.Infected("Win.Test.EICAR_HDB-1"));
        assertThat(ClamdReply.parse("1: stream: Eicar-Signature FOUND\n")).isEqualTo(new ScanResult.Infected("Eicar-Signature"));
        assertThat(ClamdReply.parse("INSTREAM size limit exceeded. ERROR\0"))
                .isEqualTo(new ScanResult.Unavailable("clamd: INSTREAM size limit exceeded. ERROR"));
        assertThat(ClamdReply.parse("stream: Can't allocate memory ERROR")).isInstanceOf(ScanResult.Unavailable.class);
        assertThat(ClamdReply.parse("stream:  FOUND")).isEqualTo(new ScanResult.Unavailable("clamd reported a finding without a name"));
        assertThat(ClamdReply.parse("")).isEqualTo(new ScanResult.Unavailable("unexpected clamd reply: (empty)"));
        assertThat(ClamdReply.parse("PONG")).isInstanceOf(ScanResult.Unavailable.class);
        byte[] odd = "stream: Bad\u0001\u00ffName FOUND\0trailing".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(ClamdReply.parse(odd, odd.length)).isEqualTo(new ScanResult.Infected("Bad??Name"));
        assertThat(((ScanResult.Infected) ClamdReply.parse("stream: " + "A".repeat(5000) + " FOUND")).signature()).hasSize(ClamdReply.MAX_TEXT);
    }

    @Test
    void addressesParse() {
        assertThat(ClamdAddress.parse("127.0.0.1:3310")).isEqualTo(new ClamdAddress.Tcp("127.0.0.1", 3310));
        assertThat(ClamdAddress.parse("[::1]:3310")).isEqualTo(new ClamdAddress.Tcp("::1", 3310));
        assertThat(ClamdAddress.parse("[::1]:3310").toString()).isEqualTo("[::1]:3310");
        assertThat(ClamdAddress.parse("/run/clamav/clamd.ctl")).isEqualTo(new ClamdAddress.Unix(Path.of("/run/clamav/clamd.ctl")));
        assertThat(ClamdAddress.parse("unix:/tmp/c.sock")).isEqualTo(new ClamdAddress.Unix(Path.of("/tmp/c.sock")));
        for (String bad : new String[] {"localhost", "localhost:0", "host:99999", "::1:3310", "[::1]", "h:x"}) {
            assertThatThrownBy(() -> ClamdAddress.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clamd");
        }
    }
}
