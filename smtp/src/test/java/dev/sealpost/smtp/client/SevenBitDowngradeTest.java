package dev.sealpost.smtp.client;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SevenBitDowngradeTest {
    static SevenBitDowngrade.Result convert(String s) {
        return SevenBitDowngrade.convert(s.getBytes(StandardCharsets.UTF_8));
    }

    static String converted(String s) {
        SevenBitDowngrade.Result r = convert(s);
        assertThat(r).isInstanceOf(SevenBitDowngrade.Converted.class);
        return new String(((SevenBitDowngrade.Converted) r).content(), StandardCharsets.ISO_8859_1);
    }

    static String reason(String s) {
        SevenBitDowngrade.Result r = convert(s);
        assertThat(r).isInstanceOf(SevenBitDowngrade.Impossible.class);
        return ((SevenBitDowngrade.Impossible) r).reason();
    }

    @Test
    void quotedPrintableRules() {
        // "=" encoded, trailing space encoded, 8-bit octets as =XX, hard line breaks kept
        assertThat(SevenBitDowngrade.quotedPrintable("a=b \r\nc\u00e9\t\r\n")).isEqualTo("a=3Db=20\r\nc=E9=09\r\n");
        String longLine = "x".repeat(200);
        String qp = SevenBitDowngrade.quotedPrintable(longLine);
        for (String l : qp.split("\r\n")) assertThat(l.length()).isLessThanOrEqualTo(76);
        assertThat(qp.replace("=\r\n", "")).isEqualTo(longLine);
        // an encoded octet is never split by a soft break
        String e = SevenBitDowngrade.quotedPrintable("\u00e9".repeat(40));
        for (String l : e.split("\r\n")) {
            assertThat(l.length()).isLessThanOrEqualTo(76);
            assertThat(l).matches("(=[0-9A-F]{2})*=?");
        }
    }

    @Test
    void singlePartTextBecomesQuotedPrintable() {
        String out = converted("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
                + " \r\nSubject: x\r\n\r\nK\u00f6ln\r\n");
        assertThat(out).isEqualTo("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nSubject: x\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\nK=C3=B6ln\r\n");
    }

    @Test
    void defaultTypeIsTextAndNonTextBecomesBase64() {
        assertThat(converted("MIME-Version: 1.0\r\n\r\n\u00e9\r\n")).contains("Content-Transfer-Encoding: quoted-printable\r\n\r\n=C3=A9\r\n");
        String img = converted("MIME-Version: 1.0\r\nContent-Type: image/x-test\r\n\r\n\u00e9");
        assertThat(img).endsWith("Content-Transfer-Encoding: base64\r\n\r\nw6k=\r\n");
    }

    @Test
    void cleanMessagesStayAsTheyAre() {
        String m = "Subject: x\r\n\r\nplain\r\n";
        SevenBitDowngrade.Converted c = (SevenBitDowngrade.Converted) convert(m);
        assertThat(c.changed()).isFalse();
        assertThat(new String(c.content(), StandardCharsets.US_ASCII)).isEqualTo(m);
        // a wrong 8bit label on clean content becomes 7bit
        assertThat(converted("MIME-Version: 1.0\r\nContent-Transfer-Encoding: 8bit\r\n\r\nabc\r\n"))
                .isEqualTo("MIME-Version: 1.0\r\nContent-Transfer-Encoding: 7bit\r\n\r\nabc\r\n");
    }

    @Test
    void longLinesAreEncodedToo() {
        String out = converted("MIME-Version: 1.0\r\n\r\n" + "y".repeat(1200) + "\r\n");
        assertThat(out).contains("quoted-printable");
        for (String l : out.split("\r\n")) assertThat(l.length()).isLessThanOrEqualTo(998);
    }

    @Test
    void nestedMessageAndMultipartAreConvertedInside() {
        String m = "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\n--outer\r\n"
                + "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"in ner\"\r\n\r\n--in ner\r\n"
                + "Content-Type: text/plain\r\n\r\n\u00fc\r\n--in ner--\r\n\r\n--outer--\r\nepilogue\r\n";
        String out = converted(m);
        assertThat(out).contains("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 7bit\r\n\r\n")
                .contains("Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=C3=BC\r\n--in ner--")
                .endsWith("--outer--\r\nepilogue\r\n");
        for (char c : out.toCharArray()) assertThat((int) c).isLessThan(0x80);
    }

    @Test
    void digestPartsDefaultToMessages() {
        // the part is a message/rfc822 by default (RFC 2046 §5.1.5); without MIME-Version its 8-bit body cannot be labelled
        assertThat(reason("MIME-Version: 1.0\r\nContent-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\n"
                + "Subject: inner\r\n\r\n\u00e9\r\n--d--\r\n")).contains("MIME-Version");
        assertThat(converted("MIME-Version: 1.0\r\nContent-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\n"
                + "MIME-Version: 1.0\r\n\r\n\u00e9\r\n--d--\r\n")).contains("--d\r\n\r\nMIME-Version: 1.0\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n=C3=A9\r\n--d--");
    }

    @Test
    void refusals() {
        assertThat(reason("MIME-Version: 1.0\r\nSubject: K\u00f6ln\r\n\r\nx\r\n")).contains("header");
        assertThat(reason("Subject: x\r\n\r\n\u00e9\r\n")).contains("MIME-Version");
        assertThat(reason("MIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n\r\n\u00e9\r\n")).contains("boundary");
        assertThat(reason("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\nContent-Transfer-Encoding: base64\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n"))
                .contains("Content-Transfer-Encoding");
        assertThat(reason("MIME-Version: 1.0\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n\u00e9\r\n"))
                .contains("8-bit");
        assertThat(reason("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\npre\u00e9\r\n--b\r\n\r\nx\r\n--b--\r\n"))
                .contains("preamble");
        StringBuilder deep = new StringBuilder("MIME-Version: 1.0\r\n");
        for (int i = 0; i < 25; i++) deep.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n--b").append(i).append("\r\n");
        deep.append("\r\n\u00e9\r\n");
        assertThat(reason(deep.toString())).contains("nesting");
    }
}
