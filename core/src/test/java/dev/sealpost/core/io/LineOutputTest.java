package dev.sealpost.core.io;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared line writer of POP3 and ManageSieve: CRLF lines, buffering until flush, no line break smuggled into a line. */
class LineOutputTest {
    @Test
    void linesAreUtf8WithCrlfAndBufferedUntilFlush() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        LineOutput out = new LineOutput(sink);
        out.line("+OK ready");
        out.line("Grüße");
        out.line("");
        assertThat(sink.size()).as("nothing before flush (one write per pipelined batch)").isZero();
        out.flush();
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("+OK ready\r\nGrüße\r\n\r\n");
    }

    @Test
    void aLineBreakInsideALineIsOurBugAndNothingIsWritten() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        LineOutput out = new LineOutput(sink);
        assertThatThrownBy(() -> out.line("-ERR no such user\r\n+OK forged")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> out.line("a\nb")).isInstanceOf(IllegalArgumentException.class);
        out.flush();
        assertThat(sink.size()).isZero();
    }

    @Test
    void framedLinesAndLiteralsPassAsTheProtocolEncodedThem() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        LineOutput out = new LineOutput(sink);
        out.framedLine("NO {5}\r\na\r\nbc"); // a ManageSieve string with a line break, as a counted literal (RFC 5804 §4)
        out.line("{3}");
        out.stream().write("x\ny".getBytes(StandardCharsets.US_ASCII));
        out.line("");
        out.flush();
        assertThat(sink.toString(StandardCharsets.US_ASCII)).isEqualTo("NO {5}\r\na\r\nbc\r\n{3}\r\nx\ny\r\n");
    }

    @Test
    void quietFormsSwallowAFailedConnection() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("reset");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("reset");
            }
        };
        LineOutput out = new LineOutput(broken);
        out.quietLine("-ERR going away"); // buffered, then the flush fails: no exception
        out.quietFlush();
        assertThatThrownBy(out::flush).isInstanceOf(IOException.class);
    }
}
