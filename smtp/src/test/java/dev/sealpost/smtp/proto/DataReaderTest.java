package dev.sealpost.smtp.proto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataReaderTest {

    private record Read(DataReader.Result result, String content, String rest) {}

    private static Read read(String wire, long maxSize, int maxLine) throws IOException {
        SmtpInput in = new SmtpInput(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)), () -> {});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataReader.Result r = DataReader.read(in, out, maxSize, maxLine);
        SmtpInput.Line next = in.readLine(1000);
        String rest = next.status() == SmtpInput.Status.OK ? new String(next.bytes(), StandardCharsets.ISO_8859_1) : next.status().name();
        return new Read(r, out.toString(StandardCharsets.ISO_8859_1), rest);
    }

    private static Read read(String wire) throws IOException {
        return read(wire, 1_000_000, 1000);
    }

    @Test
    void unstuffsAndStopsAtTheMark() throws IOException {
        Read r = read("a\r\n..b\r\n.c\r\n...\r\n\r\n.\r\nNEXT\r\n");
        assertThat(r.result().outcome()).isEqualTo(DataReader.Outcome.COMPLETE);
        assertThat(r.content()).isEqualTo("a\r\n.b\r\nc\r\n..\r\n\r\n");
        assertThat(r.result().size()).isEqualTo(r.content().length());
        assertThat(r.rest()).isEqualTo("NEXT");
    }

    @Test
    void emptyMessage() throws IOException {
        Read r = read(".\r\nNEXT\r\n");
        assertThat(r.content()).isEmpty();
        assertThat(r.rest()).isEqualTo("NEXT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\n.\r\n", "\r.\r\n", "\r\n.\n", "\r\n.\r", "\r\n.\rX", "a\nb", "a\rb", "\r\r\n", "\n\r\n"})
    void smugglingSequencesNeverEndTheData(String trick) throws IOException {
        Read r = read("x" + trick + "MAIL FROM:<evil@x>\r\n.\r\nNEXT\r\n");
        assertThat(r.result().outcome()).isEqualTo(DataReader.Outcome.BARE_CR_OR_LF);
        assertThat(r.rest()).isEqualTo("NEXT");
    }

    @Test
    void dataStartingWithBareLfDot() throws IOException {
        Read r = read("\n.\r\nMAIL\r\n.\r\nNEXT\r\n");
        assertThat(r.result().outcome()).isEqualTo(DataReader.Outcome.BARE_CR_OR_LF);
        assertThat(r.rest()).isEqualTo("NEXT");
    }

    @Test
    void limits() throws IOException {
        Read tooLong = read("12345\r\n123456\r\n.\r\nNEXT\r\n", 1000, 5);
        assertThat(tooLong.result().outcome()).isEqualTo(DataReader.Outcome.LINE_TOO_LONG);
        assertThat(tooLong.rest()).isEqualTo("NEXT");
        Read exact = read("12345\r\n.\r\n", 1000, 5);
        assertThat(exact.result().outcome()).isEqualTo(DataReader.Outcome.COMPLETE);
        Read stuffed = read("..2345\r\n.\r\n", 1000, 5); // the stuffing dot does not count against the limit? it does: 6 on the wire
        assertThat(stuffed.result().outcome()).isEqualTo(DataReader.Outcome.LINE_TOO_LONG);
        Read big = read("1234\r\n1234\r\n.\r\nNEXT\r\n", 8, 1000);
        assertThat(big.result().outcome()).isEqualTo(DataReader.Outcome.TOO_LARGE);
        assertThat(big.rest()).isEqualTo("NEXT");
        Read fits = read("1234\r\n1\r\n.\r\n", 9, 1000);
        assertThat(fits.result().outcome()).isEqualTo(DataReader.Outcome.COMPLETE);
    }

    @Test
    void bareLfWinsOverSize() throws IOException {
        Read r = read("1234567890\r\nab\ncd\r\n.\r\n", 5, 1000);
        assertThat(r.result().outcome()).isEqualTo(DataReader.Outcome.BARE_CR_OR_LF);
    }

    @Test
    void eofInsideDataIsAnError() {
        assertThatThrownBy(() -> read("abc\r\n.\r")).isInstanceOf(EOFException.class);
    }

    @Test
    void linesAreBoundedAndResync() throws IOException {
        String wire = "x".repeat(50_000) + "\r\nNOOP\r\nA\nB\r\n";
        SmtpInput in = new SmtpInput(new ByteArrayInputStream(wire.getBytes(StandardCharsets.US_ASCII)), () -> {});
        assertThat(in.readLine(100).status()).isEqualTo(SmtpInput.Status.TOO_LONG);
        assertThat(new String(in.readLine(100).bytes(), StandardCharsets.US_ASCII)).isEqualTo("NOOP");
        assertThat(in.readLine(100).status()).isEqualTo(SmtpInput.Status.BARE_LF);
        assertThat(new String(in.readLine(100).bytes(), StandardCharsets.US_ASCII)).isEqualTo("B");
        assertThat(in.readLine(100).status()).isEqualTo(SmtpInput.Status.EOF);
        SmtpInput exact = new SmtpInput(new ByteArrayInputStream(("y".repeat(100) + "\r\n" + "z".repeat(101) + "\r\n").getBytes(StandardCharsets.US_ASCII)), () -> {});
        assertThat(exact.readLine(100).bytes()).hasSize(100);
        assertThat(exact.readLine(100).status()).isEqualTo(SmtpInput.Status.TOO_LONG);
    }
}
