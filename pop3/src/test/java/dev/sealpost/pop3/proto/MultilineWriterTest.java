package dev.sealpost.pop3.proto;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MultilineWriterTest {

    static String write(String in, int lines) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = MultilineWriter.write(new ByteArrayInputStream(in.getBytes(StandardCharsets.UTF_8)), out, lines);
        assertThat(n).isLessThanOrEqualTo(in.length());
        return out.toString(StandardCharsets.UTF_8).replace("\r", "<CR>").replace("\n", "<LF>");
    }

    /** Input and expected output with CR and LF written as \r and \n; lines -1 means RETR. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|-1|.<CR><LF>",
            "a\\r\\n|-1|a<CR><LF>.<CR><LF>",
            "a|-1|a<CR><LF>.<CR><LF>",
            ".\\r\\n|-1|..<CR><LF>.<CR><LF>",
            "a\\r\\n.b\\r\\n..c\\r\\n|-1|a<CR><LF>..b<CR><LF>...c<CR><LF>.<CR><LF>",
            "a\\nb\\n|-1|a<CR><LF>b<CR><LF>.<CR><LF>",
            "a\\rb\\r\\n|-1|a<CR>b<CR><LF>.<CR><LF>",
            "H: 1\\r\\n\\r\\nb1\\r\\nb2\\r\\n|0|H: 1<CR><LF><CR><LF>.<CR><LF>",
            "H: 1\\r\\n\\r\\nb1\\r\\nb2\\r\\n|1|H: 1<CR><LF><CR><LF>b1<CR><LF>.<CR><LF>",
            "H: 1\\r\\n\\r\\n.b1\\r\\nb2\\r\\n|5|H: 1<CR><LF><CR><LF>..b1<CR><LF>b2<CR><LF>.<CR><LF>",
            "H: 1\\r\\nH: 2\\r\\n|0|H: 1<CR><LF>H: 2<CR><LF>.<CR><LF>",
            "H: 1\\n\\nbody\\n|0|H: 1<CR><LF><CR><LF>.<CR><LF>",
    })
    void stuffsNormalisesAndCutsForTop(String in, int lines, String expected) throws Exception {
        assertThat(write(in.replace("\\r", "\r").replace("\\n", "\n"), lines)).isEqualTo(expected);
    }
}
