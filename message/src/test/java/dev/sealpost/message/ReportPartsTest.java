package dev.sealpost.message;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportPartsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static final String MAIL = "Subject: Report\r\nX-Test: a\r\n b\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n"
            + "preamble --B not a delimiter\r\n--B\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
            + "--B\r\nContent-Type: application/gzip\r\nContent-Disposition: attachment; filename=\"r.xml.gz\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\naGVs\r\nbG8=\r\n--B--\r\n";

    @Test
    void findsTheFirstAcceptedPartDecoded() throws Exception {
        assertThat(ReportParts.find(b(MAIL), 4, (type, fn) -> type.equals("application/gzip") && fn.equals("r.xml.gz")))
                .isEqualTo(b("hello"));
        assertThat(ReportParts.find(b(MAIL), 4, (type, fn) -> type.equals("image/png"))).isNull();
        assertThat(ReportParts.headers(b(MAIL))).containsEntry("subject", "Report").containsEntry("x-test", "a b");
        String qp = "Content-Type: application/xml\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<a>=3D=\r\nb</a>";
        assertThat(ReportParts.find(b(qp), 4, (type, fn) -> true)).isEqualTo(b("<a>=b</a>"));
    }

    @Test
    void malformedStructureIsAClearError() {
        assertThatThrownBy(() -> ReportParts.find(b("Content-Type: multipart/mixed\r\n\r\nx"), 4, (t, f) -> true))
                .isInstanceOf(ReportParts.MalformedException.class).hasMessageContaining("boundary");
        assertThatThrownBy(() -> ReportParts.find(b("Content-Type: application/gzip\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8=aGVs"), 4, (t, f) -> true))
                .isInstanceOf(ReportParts.MalformedException.class).hasMessageContaining("base64");
        String nested = "Content-Type: multipart/mixed; boundary=A\r\n\r\n--A\r\nContent-Type: multipart/mixed; boundary=A\r\n\r\n--A\r\n\r\nx\r\n--A--\r\n--A--\r\n";
        assertThatThrownBy(() -> ReportParts.find(b(nested), 0, (t, f) -> true))
                .isInstanceOf(ReportParts.MalformedException.class).hasMessageContaining("nesting");
    }
}
