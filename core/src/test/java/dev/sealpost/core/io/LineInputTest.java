package dev.sealpost.core.io;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LineInputTest {
    private static LineInput input(String s, LineInput.LineEnd end, AtomicInteger hooks) {
        return new LineInput(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)), hooks::incrementAndGet, 64, end);
    }

    private static String text(LineInput.Line l) {
        return new String(l.bytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void crlfOnlyReportsBareLfAndStaysInSync() throws IOException {
        LineInput in = input("EHLO a\r\nNOOP\nQUIT\r\n", LineInput.LineEnd.CRLF, new AtomicInteger());
        assertThat(text(in.readLine(100))).isEqualTo("EHLO a");
        assertThat(in.readLine(100).status()).isEqualTo(LineInput.Status.BARE_LF);
        assertThat(text(in.readLine(100))).isEqualTo("QUIT");
        assertThat(in.readLine(100).status()).isEqualTo(LineInput.Status.EOF);
    }

    @Test
    void lenientAcceptsBareLf() throws IOException {
        LineInput in = input("USER a\nPASS b\r\n", LineInput.LineEnd.CRLF_OR_LF, new AtomicInteger());
        assertThat(text(in.readLine(100))).isEqualTo("USER a");
        assertThat(text(in.readLine(100))).isEqualTo("PASS b");
    }

    @Test
    void overLongLineIsDiscardedUpToItsLfAcrossBufferRefills() throws IOException {
        // 300 octets: several 64-byte buffer fills; the next line must still be read whole
        LineInput in = input("X".repeat(300) + "\r\nNEXT\r\n", LineInput.LineEnd.CRLF, new AtomicInteger());
        assertThat(in.readLine(100).status()).isEqualTo(LineInput.Status.TOO_LONG);
        assertThat(text(in.readLine(100))).isEqualTo("NEXT");
    }

    @Test
    void exactlyTheLimitIsAcceptedOneMoreIsNot() throws IOException {
        LineInput in = input("abcd\r\nabcde\r\nabcde\n", LineInput.LineEnd.CRLF_OR_LF, new AtomicInteger());
        assertThat(text(in.readLine(4))).isEqualTo("abcd");
        assertThat(in.readLine(4).status()).isEqualTo(LineInput.Status.TOO_LONG);
        assertThat(in.readLine(4).status()).isEqualTo(LineInput.Status.TOO_LONG);
    }

    @Test
    void hookRunsOnlyBeforeAReadThatMayBlock() throws IOException {
        AtomicInteger hooks = new AtomicInteger();
        LineInput in = input("A\r\nB\r\n", LineInput.LineEnd.CRLF, hooks);
        in.readLine(10);
        in.readLine(10); // served from the buffer: no new read, no hook
        assertThat(hooks.get()).isEqualTo(1);
        in.readLine(10); // EOF needs a read
        assertThat(hooks.get()).isEqualTo(2);
    }

    @Test
    void transferCopiesExactlyAndDiscardDropsTheRest() throws IOException {
        LineInput in = input("0123456789REST", LineInput.LineEnd.CRLF, new AtomicInteger());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transfer(10, out);
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("0123456789");
        assertThat(in.discardBuffered()).isEqualTo(4);
        assertThatThrownBy(() -> in.transfer(1, null)).isInstanceOf(EOFException.class);
    }
}
