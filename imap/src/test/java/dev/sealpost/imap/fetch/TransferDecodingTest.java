package dev.sealpost.imap.fetch;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransferDecodingTest {

    private static String qp(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return new String(TransferDecoding.quotedPrintable(b, 0, b.length), StandardCharsets.ISO_8859_1);
    }

    private static String b64(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return new String(TransferDecoding.base64(b, 0, b.length), StandardCharsets.ISO_8859_1);
    }

    @Test
    void quotedPrintableRfc2045Rules() {
        assertThat(qp("a=3Db")).isEqualTo("a=b");
        assertThat(qp("a=3db")).isEqualTo("a=b"); // lenient: lower-case hex
        assertThat(qp("soft=\r\nbreak")).isEqualTo("softbreak");
        assertThat(qp("soft= \t\r\nbreak")).isEqualTo("softbreak"); // padding after the "="
        assertThat(qp("trailing  \t\r\nx")).isEqualTo("trailing\r\nx"); // rule 3: trailing white space deleted
        assertThat(qp("keep\t=20\r\n")).isEqualTo("keep\t \r\n");
        assertThat(qp("bad=zz=4")).isEqualTo("bad=zz=4"); // malformed escapes kept
        assertThat(qp("bare\nlf")).isEqualTo("bare\r\nlf");
        assertThat(qp("=00")).isEqualTo("\0");
        assertThat(qp("")).isEmpty();
        assertThat(qp("end=")).isEqualTo("end");
    }

    @Test
    void base64IgnoresJunkAndStopsAtPadding() {
        assertThat(b64("aGVs\r\nbG8gd29y\r\nbGQ=\r\n")).isEqualTo("hello world");
        assertThat(b64("  aGVs    \r\n bG8g  \r\n   d29y  \t \r\n    bGQ= \r\n")).isEqualTo("hello world");
        assertThat(b64("aGVsbG8=garbage")).isEqualTo("hello");
        assertThat(b64("a*G!V#s")).isEqualTo("hel");
        assertThat(b64("aGVsbA")).isEqualTo("hell"); // missing padding
        assertThat(b64("")).isEmpty();
    }

    @Test
    void identityAndUnknown() throws Exception {
        byte[] b = "x\0y".getBytes(StandardCharsets.ISO_8859_1);
        for (String e : new String[] {"7bit", "8bit", "binary"}) assertThat(TransferDecoding.decode(e, b, 0, 3)).isEqualTo(b);
        assertThatThrownBy(() -> TransferDecoding.decode("x-uuencode", b, 0, 3)).isInstanceOf(UnknownCteException.class);
    }
}
