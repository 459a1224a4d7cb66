package dev.sealpost.imap.proto;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModifiedUtf7Test {

    @Test
    void rfc3501Examples() throws Exception {
        // RFC 3501 §5.1.3: "~peter/mail/台北/日本語"
        String name = "~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e";
        assertThat(ModifiedUtf7.encode(name)).isEqualTo("~peter/mail/&U,BTFw-/&ZeVnLIqe-");
        assertThat(ModifiedUtf7.decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-")).isEqualTo(name);
        assertThat(ModifiedUtf7.encode("&")).isEqualTo("&-");
        assertThat(ModifiedUtf7.decode("Tom &- Jerry")).isEqualTo("Tom & Jerry");
        assertThat(ModifiedUtf7.encode("Entw\u00fcrfe")).isEqualTo("Entw&APw-rfe");
        assertThat(ModifiedUtf7.decode("Entw&APw-rfe")).isEqualTo("Entw\u00fcrfe");
        assertThat(ModifiedUtf7.encode("INBOX")).isEqualTo("INBOX");
    }

    @Test
    void supplementaryCharactersAndEdges() throws Exception {
        for (String s : List.of("", "\ud83d\udce7 mail", "a\u00e9\u00e9b", "\u00e9&\u00e9", "\t", "x\u007f")) {
            assertThat(ModifiedUtf7.decode(ModifiedUtf7.encode(s))).isEqualTo(s);
        }
    }

    @Test
    void randomRoundTrips() throws Exception {
        Random r = new Random(42);
        for (int n = 0; n < 2000; n++) {
            StringBuilder b = new StringBuilder();
            int len = r.nextInt(12);
            for (int i = 0; i < len; i++) {
                int kind = r.nextInt(4);
                if (kind == 0) b.append((char) (0x20 + r.nextInt(0x5f)));
                else if (kind == 1) b.append('&');
                else if (kind == 2) b.append((char) (0xa0 + r.nextInt(0xd000)));
                else b.appendCodePoint(0x10000 + r.nextInt(0x10000));
            }
            String s = b.toString();
            String enc = ModifiedUtf7.encode(s);
            assertThat(enc).matches("[\\x20-\\x7e]*");
            assertThat(ModifiedUtf7.decode(enc)).as(enc).isEqualTo(s);
        }
    }

    @Test
    void strictDecoding() {
        for (String bad : List.of(
                "&", "a&U,BTFw", // unterminated shift
                "&U,BTF*-", // invalid base64 character
                "&U/BTFw-", // '/' is not modified BASE64
                "&AGE-", // "a" needlessly encoded
                "&ACY-", // "&" must be "&-"
                "&U,BTFx-", // non-zero padding bits
                "&U,BTFwA-", // a whole superfluous sextet
                "&U,-", // 12 bits: not a whole UTF-16 unit
                "&2D0-", // lone high surrogate
                "&3CE-", // lone low surrogate
                "&U,A-&U,A-", "&U,BTFw-&ZeVnLIqe-", // split shift
                "caf\u00e9", // 8-bit
                "a\tb" // control character
        )) {
            assertThatThrownBy(() -> ModifiedUtf7.decode(bad)).as(bad).isInstanceOf(ImapSyntaxException.class);
        }
    }
}
