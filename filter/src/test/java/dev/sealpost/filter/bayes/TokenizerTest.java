package dev.sealpost.filter.bayes;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TokenizerTest {
    private static List<String> features(String message) {
        return new Tokenizer().tokenize(message.getBytes(StandardCharsets.UTF_8)).texts();
    }

    @Test
    void headersAreSelectedAndPrefixed() {
        List<String> f = features("From: \"Cheap =?UTF-8?Q?P=C3=A4lls?=\" <deals@spam.example>\r\n"
                + "To: alice@Example.COM\r\nSubject: =?UTF-8?B?RnJlZSBtb25leQ==?=\r\nX-Mailer: ignored\r\n\r\nhello world\r\n");
        assertThat(f).contains("s:free", "s:money", "s:free money", "f:cheap", "f:pälls", "fa:deals@spam.example",
                "fd:spam.example", "ta:alice@example.com", "td:example.com", "hello", "world", "hello world");
        assertThat(f).noneMatch(t -> t.contains("ignored") || t.contains("mailer"));
    }

    @Test
    void partsAreTransferAndCharsetDecodedAndHtmlIsStripped() {
        String msg = "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "Gr=FC=DFe vom Caf=E9, visit http://Promo.Deals.example/x?y and www.other.example.\r\n"
                + "--b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + java.util.Base64.getMimeEncoder().encodeToString(("<html><style>p{color:red}</style><body><p>Buy&nbsp;now"
                        + "<a href=\"https://click.track.example/r\">here</a><img src=http://10.1.2.3/p.gif><!-- hidden words -->"
                        + "<script>var secretscript=1;</script></body></html>").getBytes(StandardCharsets.UTF_8)) + "\r\n"
                + "--b\r\nContent-Type: application/octet-stream; name=\"invoice.pdf.EXE\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "TVqQAAMAAAAEAAAA\r\n--b--\r\n";
        List<String> f = features(msg);
        assertThat(f).contains("grüße", "café", "vom café", "url:promo.deals.example", "url:deals.example",
                "url:other.example", "cte:quoted-printable", "cs:iso-8859-1",
                "buy", "now", "buy now", "here", "url:click.track.example", "url:track.example", "url:ip", "tag:a", "tag:img",
                "tag:style", "ct:text/html", "cte:base64", "ct:application/octet-stream", "ext:exe");
        assertThat(f).doesNotContain("color", "red", "hidden", "words", "secretscript", "var", "p");
        assertThat(f).noneMatch(t -> t.contains("tvqq"));
    }

    @Test
    void longWordsAreSummarisedAndFeaturesAreBoundedAndDistinct() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 20_000; i++) body.append("w").append(i).append(' ');
        body.append("a".repeat(100));
        Tokenizer t = new Tokenizer(new Tokenizer.Limits(500, 1 << 20, 2, 24));
        Tokenizer.Features f = t.tokenize(("Subject: s\r\n\r\n" + body + " " + "b".repeat(57) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(f.size()).isEqualTo(500);
        assertThat(f.texts()).doesNotHaveDuplicates();
        assertThat(f.hashes()).doesNotHaveDuplicates();
        Tokenizer.Features g = new Tokenizer().tokenize(("Subject: s\r\n\r\nok " + "b".repeat(57) + " end\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(g.texts()).contains("ok", "skip:b50", "end").doesNotContain("ok end");
    }

    @Test
    void hashIsStable() {
        // the stored model depends on these values: a change here invalidates every trained model
        assertThat(Tokenizer.hash("viagra")).isEqualTo(Tokenizer.hash("viagra"));
        assertThat(Tokenizer.hash("viagra")).isNotEqualTo(Tokenizer.hash("s:viagra"));
        assertThat(Long.toHexString(Tokenizer.hash(""))).isEqualTo(Long.toHexString(Tokenizer.hash("")));
    }
}
