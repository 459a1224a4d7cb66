package dev.sealpost.message;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static dev.sealpost.message.Structures.body;
import static dev.sealpost.message.Structures.bytes;
import static dev.sealpost.message.Structures.checkInvariants;
import static dev.sealpost.message.Structures.header;
import static org.assertj.core.api.Assertions.assertThat;

class MessageStructureTest {

    private static MessageStructure parse(byte[] msg) {
        MessageStructure s = MessageStructure.parse(msg);
        checkInvariants(s);
        assertThat(s.size()).isEqualTo(msg.length);
        // every structure survives the cache format unchanged
        assertThat(MessageStructure.fromBytes(s.toBytes())).isEqualTo(s);
        return s;
    }

    @Test
    void simpleTextMessage() {
        byte[] msg = bytes("From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: Hello\r\n"
                + "Date: Sat, 1 Mar 2026 10:00:00 +0000\r\nMessage-ID: <1@example.org>\r\n\r\nHello\r\nworld\r\n");
        MessageStructure s = parse(msg);
        Part p = s.root();
        assertThat(p.mediaType()).isEqualTo("text/plain");
        assertThat(p.params()).isEqualTo(Map.of("charset", "us-ascii")); // RFC 2045 §5.2 default
        assertThat(p.encoding()).isEqualTo("7bit");
        assertThat(header(msg, p)).startsWith("From: Alice").endsWith("<1@example.org>\r\n\r\n");
        assertThat(body(msg, p)).isEqualTo("Hello\r\nworld\r\n");
        assertThat(p.bodyLines()).isEqualTo(2);
        assertThat(p.children()).isEmpty();
        assertThat(p.message()).isNull();
        assertThat(s.bareLineFeeds()).isFalse();
        assertThat(s.limitHit()).isFalse();
        Envelope e = s.envelope();
        assertThat(e.subject()).isEqualTo("Hello");
        assertThat(e.date()).isEqualTo("Sat, 1 Mar 2026 10:00:00 +0000");
        assertThat(e.messageId()).isEqualTo("<1@example.org>");
        assertThat(e.from()).containsExactly(new Address("Alice", null, "alice", "example.org"));
        assertThat(e.to()).containsExactly(new Address(null, null, "bob", "example.net"));
        assertThat(e.sender()).isEmpty();
        assertThat(e.imapSender()).isEqualTo(e.from());
        assertThat(e.imapReplyTo()).isEqualTo(e.from());
        assertThat(e.displayFrom()).isEqualTo("Alice <alice@example.org>");
    }

    @Test
    void lastLineWithoutLineEnd() {
        byte[] msg = bytes("Subject: x\r\n\r\none\r\ntwo");
        Part p = parse(msg).root();
        assertThat(body(msg, p)).isEqualTo("one\r\ntwo");
        assertThat(p.bodyLines()).isEqualTo(2);
    }

    @Test
    void multipartAlternative() {
        byte[] msg = bytes("""
                From: a@example.org\r
                MIME-Version: 1.0\r
                Content-Type: multipart/alternative; boundary="=_b1"\r
                \r
                --=_b1\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Transfer-Encoding: quoted-printable\r
                \r
                plain =C3=A9\r
                --=_b1  \r
                Content-Type: text/html; charset="utf-8"\r
                \r
                <p>html</p>\r
                \r
                --=_b1--\r
                """);
        Part root = parse(msg).root();
        assertThat(root.mediaType()).isEqualTo("multipart/alternative");
        assertThat(root.param("boundary")).isEqualTo("=_b1");
        assertThat(root.children()).hasSize(2);
        Part plain = root.children().get(0);
        assertThat(plain.mediaType()).isEqualTo("text/plain");
        assertThat(plain.params()).isEqualTo(Map.of("charset", "utf-8"));
        assertThat(plain.encoding()).isEqualTo("quoted-printable");
        assertThat(header(msg, plain)).isEqualTo("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
        // RFC 2046 §5.1.1: the CRLF before the delimiter belongs to the delimiter
        assertThat(body(msg, plain)).isEqualTo("plain =C3=A9");
        assertThat(plain.bodyLines()).isEqualTo(1);
        Part html = root.children().get(1); // transport padding after the delimiter is allowed
        assertThat(html.mediaType()).isEqualTo("text/html");
        assertThat(body(msg, html)).isEqualTo("<p>html</p>\r\n");
        assertThat(html.bodyLines()).isEqualTo(1);
        assertThat(body(msg, root)).startsWith("--=_b1\r\n").endsWith("--=_b1--\r\n");
    }

    @Test
    void multipartMixedWithAttachmentAndRfc2231Filenames() {
        byte[] msg = bytes("""
                Content-Type: multipart/mixed;\r
                 boundary=----=_Part_0_1\r
                \r
                This is the preamble.\r
                ------=_Part_0_1\r
                \r
                implicit text/plain\r
                ------=_Part_0_1\r
                Content-Type: application/pdf; name*0*=utf-8''%E2%82%AC; name*1=" report.pdf"\r
                Content-Disposition: attachment; filename*=UTF-8''%E2%82%AC%20report.pdf; filename="fallback.pdf"; size=42\r
                Content-Transfer-Encoding: BASE64\r
                Content-ID: <att1@example.org>\r
                Content-Description: the report\r
                Content-Language: en, de (German)\r
                Content-Location: http://example.org/r.pdf\r
                Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==\r
                \r
                JVBERi0xLjQK\r
                ------=_Part_0_1--\r
                epilogue\r
                """);
        Part root = parse(msg).root();
        assertThat(root.param("boundary")).isEqualTo("----=_Part_0_1"); // unquoted value with "=": lenient
        assertThat(root.children()).hasSize(2);
        Part first = root.children().get(0);
        assertThat(first.mediaType()).isEqualTo("text/plain");
        assertThat(first.headerLength()).isEqualTo(2);
        assertThat(body(msg, first)).isEqualTo("implicit text/plain");
        Part att = root.children().get(1);
        assertThat(att.mediaType()).isEqualTo("application/pdf");
        assertThat(att.param("name")).isEqualTo("€ report.pdf"); // RFC 2231 §3 + §4 continuation
        assertThat(att.encoding()).isEqualTo("base64");
        assertThat(att.disposition()).isEqualTo("attachment");
        // RFC 2231 value wins over the plain one, in the position the name first appeared
        assertThat(att.dispositionParams()).containsExactly(Map.entry("filename", "€ report.pdf"), Map.entry("size", "42"));
        assertThat(att.id()).isEqualTo("<att1@example.org>");
        assertThat(att.description()).isEqualTo("the report");
        assertThat(att.language()).containsExactly("en", "de");
        assertThat(att.location()).isEqualTo("http://example.org/r.pdf");
        assertThat(att.md5()).isEqualTo("Q2hlY2sgSW50ZWdyaXR5IQ==");
        assertThat(body(msg, att)).isEqualTo("JVBERi0xLjQK");
        // preamble and epilogue belong to no part, but to the multipart's body
        assertThat(first.headerStart()).isEqualTo(indexOf(msg, "\r\n\r\nimplicit") + 2);
        assertThat(body(msg, root)).startsWith("This is the preamble.").endsWith("epilogue\r\n");
    }

    @Test
    void nestedMessageRfc822() {
        byte[] msg = bytes("""
                From: outer@example.org\r
                Subject: fwd\r
                Content-Type: multipart/mixed; boundary=b\r
                \r
                --b\r
                Content-Type: text/plain\r
                \r
                see attached\r
                --b\r
                Content-Type: message/rfc822\r
                \r
                From: "Inner, Person" <inner@example.net>\r
                Subject: =?utf-8?q?caf=C3=A9?=\r
                Content-Type: multipart/alternative; boundary=c\r
                \r
                --c\r
                \r
                inner text\r
                --c--\r
                \r
                --b--\r
                """);
        MessageStructure s = parse(msg);
        Part rfc822 = s.root().children().get(1);
        assertThat(rfc822.mediaType()).isEqualTo("message/rfc822");
        assertThat(rfc822.isMessage()).isTrue();
        Part inner = rfc822.message();
        assertThat(header(msg, inner)).startsWith("From: \"Inner, Person\"").endsWith("boundary=c\r\n\r\n");
        assertThat(body(msg, rfc822)).startsWith("From: \"Inner").endsWith("--c--\r\n");
        assertThat(rfc822.bodyLines()).isEqualTo(8);
        assertThat(inner.envelope().subject()).isEqualTo("=?utf-8?q?caf=C3=A9?="); // raw for IMAP
        assertThat(inner.envelope().decodedSubject()).isEqualTo("café");
        assertThat(inner.envelope().from()).containsExactly(new Address("Inner, Person", null, "inner", "example.net"));
        assertThat(inner.mediaType()).isEqualTo("multipart/alternative");
        assertThat(inner.children()).singleElement().satisfies(c -> assertThat(body(msg, c)).isEqualTo("inner text"));
        assertThat(s.envelope().subject()).isEqualTo("fwd");
        assertThat(s.root().children().get(0).envelope()).isNull();
    }

    @Test
    void digestDefaultsToMessageRfc822() {
        byte[] msg = bytes("""
                Content-Type: multipart/digest; boundary=d\r
                \r
                --d\r
                \r
                Subject: one\r
                \r
                first\r
                --d\r
                Content-Type: text/plain\r
                \r
                not a message\r
                --d--\r
                """);
        Part root = parse(msg).root();
        Part one = root.children().get(0);
        // RFC 2046 §5.1.5: in a digest the default is message/rfc822
        assertThat(one.mediaType()).isEqualTo("message/rfc822");
        assertThat(one.params()).isEmpty();
        assertThat(one.message().envelope().subject()).isEqualTo("one");
        assertThat(body(msg, one.message())).isEqualTo("first");
        assertThat(root.children().get(1).mediaType()).isEqualTo("text/plain");
        assertThat(root.children().get(1).message()).isNull();
    }

    @Test
    void missingClosingDelimiterEndsAtEof() {
        byte[] msg = bytes("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\none\r\n--x\r\n\r\ntwo\r\nthree\r\n");
        Part root = parse(msg).root();
        assertThat(root.children()).hasSize(2);
        assertThat(body(msg, root.children().get(1))).isEqualTo("two\r\nthree\r\n");
        assertThat(root.children().get(1).bodyLines()).isEqualTo(2);
        assertThat(root.children().get(1).end()).isEqualTo(msg.length);
    }

    @Test
    void delimiterWithTrailingTextIsContent() {
        // RFC 2046 §5.1.1: only linear white space may follow the boundary
        byte[] msg = bytes("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\na\r\n--xy\r\n--x junk\r\nb\r\n--x--\r\n");
        Part root = parse(msg).root();
        assertThat(root.children()).singleElement().satisfies(c -> assertThat(body(msg, c)).isEqualTo("a\r\n--xy\r\n--x junk\r\nb"));
    }

    @Test
    void multipartWithoutDelimitersOrBoundaryIsALeaf() {
        byte[] noParts = bytes("Content-Type: multipart/mixed; boundary=x\r\n\r\njust text\r\n");
        Part a = parse(noParts).root();
        assertThat(a.mediaType()).isEqualTo("text/plain");
        assertThat(a.children()).isEmpty();
        assertThat(body(noParts, a)).isEqualTo("just text\r\n");
        Part b = parse(bytes("Content-Type: multipart/mixed\r\n\r\n--x\r\n\r\ny\r\n")).root();
        assertThat(b.mediaType()).isEqualTo("text/plain");
        assertThat(b.params()).containsEntry("charset", "us-ascii");
    }

    @Test
    void outerDelimiterEndsUnclosedInnerMultipart() {
        byte[] msg = bytes("""
                Content-Type: multipart/mixed; boundary=outer\r
                \r
                --outer\r
                Content-Type: multipart/alternative; boundary=inner\r
                \r
                --inner\r
                \r
                a\r
                --outer\r
                Content-Type: text/plain; charset*=iso-8859-1'fr'%E9t%E9; charset=x; format=flowed\r
                \r
                b\r
                --outer--\r
                """);
        Part root = parse(msg).root();
        assertThat(root.children()).hasSize(2);
        Part inner = root.children().get(0);
        assertThat(inner.mediaType()).isEqualTo("multipart/alternative");
        assertThat(inner.children()).singleElement().satisfies(c -> assertThat(body(msg, c)).isEqualTo("a"));
        assertThat(body(msg, inner)).isEqualTo("--inner\r\n\r\na");
        Part second = root.children().get(1);
        assertThat(second.params()).containsExactly(Map.entry("charset", "été"), Map.entry("format", "flowed"));
        assertThat(body(msg, second)).isEqualTo("b");
    }

    @Test
    void emptyLineRightBeforeDelimiterBelongsToIt() {
        // the header's empty line is the CRLF that RFC 2046 §5.1.1 gives to the delimiter
        byte[] msg = bytes("Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Type: message/rfc822\r\n\r\n"
                + "--q\r\n\r\n--q--\r\n");
        Part root = parse(msg).root();
        Part first = root.children().get(0);
        assertThat(header(msg, first)).isEqualTo("Content-Type: message/rfc822\r\n");
        assertThat(first.bodyLength()).isZero();
        assertThat(first.message().headerStart()).isEqualTo(first.bodyStart());
        Part second = root.children().get(1);
        assertThat(second.headerLength()).isZero();
        assertThat(second.bodyLength()).isZero();
    }

    @Test
    void encodedCompositeIsOpaque() {
        // RFC 2045 §6.4: multipart and message allow only 7bit, 8bit, binary
        byte[] msg = bytes("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\nU3ViamVjdDogeA0KDQp5\r\n");
        Part p = parse(msg).root();
        assertThat(p.mediaType()).isEqualTo("application/octet-stream");
        assertThat(p.message()).isNull();
    }

    @Test
    void invalidContentTypeMeansTextPlain() {
        Part p = parse(bytes("Content-Type: garbage\r\n\r\nx")).root();
        assertThat(p.mediaType()).isEqualTo("text/plain");
        assertThat(p.params()).isEqualTo(Map.of("charset", "us-ascii"));
        Part q = parse(bytes("Content-Type: Text/HTML (comment) ; CHARSET = \"ISO-8859-1\" (Latin)\r\n\r\nx")).root();
        assertThat(q.mediaType()).isEqualTo("text/html");
        assertThat(q.params()).isEqualTo(Map.of("charset", "ISO-8859-1"));
    }

    @Test
    void headerWithoutBody() {
        byte[] a = bytes("Subject: only a header\r\nFrom: x@y\r\n");
        Part p = parse(a).root();
        assertThat(p.headerLength()).isEqualTo(a.length);
        assertThat(p.bodyLength()).isZero();
        assertThat(p.bodyLines()).isZero();
        assertThat(parse(a).envelope().subject()).isEqualTo("only a header");
        byte[] b = bytes("Subject: no line end");
        assertThat(parse(b).root().headerLength()).isEqualTo(b.length);
        // a part whose header runs into the next delimiter has no body
        byte[] c = bytes("Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Type: text/x-a\r\n--q--\r\n");
        Part part = parse(c).root().children().get(0);
        assertThat(part.mediaType()).isEqualTo("text/x-a");
        assertThat(header(c, part)).isEqualTo("Content-Type: text/x-a");
        assertThat(part.bodyLength()).isZero();
    }

    @Test
    void emptyMessageAndBodyOnly() {
        MessageStructure empty = parse(new byte[0]);
        assertThat(empty.root().headerLength()).isZero();
        assertThat(empty.root().bodyLength()).isZero();
        assertThat(empty.envelope()).isEqualTo(Envelope.EMPTY);
        byte[] msg = bytes("\r\nbody only\r\n");
        Part p = parse(msg).root();
        assertThat(p.headerLength()).isEqualTo(2);
        assertThat(body(msg, p)).isEqualTo("body only\r\n");
    }

    @Test
    void foldedHeadersAndBareLineFeeds() {
        // the imaptest fetch-bodystructure message: LF line ends, a folded boundary parameter
        byte[] msg = bytes("From: user@domain.org\nDate: Sat, 24 Mar 2007 23:00:00 +0200\nMime-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=\"foo\n bar\"\n\n--foo bar\n"
                + "Content-Type: text/x-myown; charset=us-ascii\n\nhello\n\n--foo bar--\n");
        MessageStructure s = parse(msg);
        assertThat(s.bareLineFeeds()).isTrue();
        // RFC 5322 §2.2.3: unfolding removes the line end only
        assertThat(s.root().param("boundary")).isEqualTo("foo bar");
        Part p = s.root().children().getFirst();
        assertThat(p.mediaType()).isEqualTo("text/x-myown");
        assertThat(body(msg, p)).isEqualTo("hello\n"); // imaptest: 7 octets CRLF-normalized, 1 line
        assertThat(p.bodyLines()).isEqualTo(1);
    }

    @Test
    void utf8HeadersAndMessageGlobal() {
        // RFC 6532: UTF-8 in header values; message/global nests like message/rfc822
        byte[] msg = bytes("Subject: Grüße\r\nFrom: Jörg <jörg@bücher.example>\r\nContent-Type: message/global\r\n\r\n"
                + "Subject: ïnner\r\n\r\nbody\r\n");
        MessageStructure s = parse(msg);
        assertThat(s.envelope().subject()).isEqualTo("Grüße");
        assertThat(s.envelope().from()).containsExactly(new Address("Jörg", null, "jörg", "bücher.example"));
        assertThat(s.root().message().envelope().subject()).isEqualTo("ïnner");
        // Latin-1 header octets (not UTF-8) are kept as ISO-8859-1
        byte[] latin = {'S', 'u', 'b', 'j', 'e', 'c', 't', ':', ' ', (byte) 0xE9, '\r', '\n', '\r', '\n'};
        assertThat(parse(latin).envelope().subject()).isEqualTo("é");
    }

    @Test
    void tenThousandHeaderFieldsHitTheLimitButParse() {
        StringBuilder b = new StringBuilder("Subject: many\r\nContent-Type: multipart/mixed; boundary=z\r\n");
        for (int i = 0; i < 10_000; i++) b.append("X-Field-").append(i).append(": v\r\n");
        b.append("From: late@example.org\r\n\r\n--z\r\n\r\nbody\r\n--z--\r\n");
        byte[] msg = bytes(b.toString());
        MessageStructure s = parse(msg);
        Part root = s.root();
        assertThat(root.limitHit()).isTrue();
        assertThat(s.limitHit()).isTrue();
        assertThat(root.mediaType()).isEqualTo("text/plain"); // a composite part that hit a limit is a leaf
        assertThat(s.envelope().subject()).isEqualTo("many");
        assertThat(s.envelope().from()).isEmpty(); // after the limit: not seen
        assertThat(body(msg, root)).isEqualTo("--z\r\n\r\nbody\r\n--z--\r\n");
        // a huge header section is bounded too
        MessageStructure small = parseWith(msg, new MessageStructure.Limits(1024, 1000, 20, 1000, 70));
        assertThat(small.root().limitHit()).isTrue();
        assertThat(small.root().bodyStart()).isEqualTo(root.bodyStart());
    }

    @Test
    void nestingDepthIsBounded() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 100; i++) b.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n--b").append(i).append("\r\n");
        b.append("\r\ndeep\r\n");
        for (int i = 99; i >= 0; i--) b.append("--b").append(i).append("--\r\n");
        byte[] msg = bytes(b.toString());
        MessageStructure s = parse(msg);
        assertThat(s.limitHit()).isTrue();
        int depth = 0;
        Part p = s.root();
        while (!p.children().isEmpty()) {
            p = p.children().getFirst();
            depth++;
        }
        assertThat(depth).isEqualTo(MessageStructure.Limits.defaults().maxDepth());
        assertThat(p.limitHit()).isTrue();
        assertThat(p.mediaType()).isEqualTo("text/plain");
        // and nested message/rfc822 the same way
        String nested = "Content-Type: message/rfc822\r\n\r\n".repeat(100) + "Subject: bottom\r\n\r\nx\r\n";
        MessageStructure m = parse(bytes(nested));
        int mdepth = 0;
        Part q = m.root();
        while (q.message() != null) {
            q = q.message();
            mdepth++;
        }
        assertThat(mdepth).isEqualTo(20);
        assertThat(q.limitHit()).isTrue();
    }

    @Test
    void hugeBoundaryIsALimitHit() {
        String boundary = "b".repeat(5000);
        byte[] msg = bytes("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n--" + boundary + "\r\n\r\nx\r\n--" + boundary + "--\r\n");
        Part p = parse(msg).root();
        assertThat(p.limitHit()).isTrue();
        assertThat(p.mediaType()).isEqualTo("text/plain");
        assertThat(p.bodyLength()).isEqualTo(msg.length - p.bodyStart());
    }

    @Test
    void partCountIsBounded() {
        StringBuilder b = new StringBuilder("Content-Type: multipart/mixed; boundary=p\r\n\r\n");
        for (int i = 0; i < 50; i++) b.append("--p\r\n\r\npart ").append(i).append("\r\n");
        b.append("--p--\r\n");
        byte[] msg = bytes(b.toString());
        MessageStructure s = parseWith(msg, new MessageStructure.Limits(1024, 100, 5, 10, 70));
        assertThat(s.root().children()).hasSize(9); // root + 9 = 10 parts
        assertThat(s.root().limitHit()).isTrue();
        assertThat(s.root().end()).isEqualTo(msg.length);
        assertThat(parse(msg).root().children()).hasSize(50);
    }

    @Test
    void longLinesAreStreamedNotHeld() throws IOException {
        // a 64 MiB body line without any line end, produced on the fly
        long bodySize = 64L << 20;
        byte[] head = bytes("Subject: big\r\n\r\n");
        InputStream in = new InputStream() {
            long n;

            @Override
            public int read() {
                return n < head.length ? head[(int) n++] : n++ < head.length + bodySize ? 'a' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                long left = head.length + bodySize - n;
                if (left <= 0) return -1;
                int k = (int) Math.min(len, left);
                for (int i = 0; i < k; i++) b[off + i] = (byte) read();
                return k;
            }
        };
        MessageStructure s = MessageStructure.parse(in, MessageStructure.Limits.defaults());
        assertThat(s.size()).isEqualTo(head.length + bodySize);
        assertThat(s.root().bodyLength()).isEqualTo(bodySize);
        assertThat(s.root().bodyLines()).isEqualTo(1);
    }

    @Test
    void cacheFormatIsVersionedAndChecked() {
        byte[] msg = bytes("From: a@b\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\na\r\n--x--\r\n");
        MessageStructure s = MessageStructure.parse(msg);
        byte[] data = s.toBytes();
        assertThat(data[0]).isEqualTo((byte) 1);
        assertThat(MessageStructure.fromBytes(data)).isEqualTo(s);
        byte[] v2 = data.clone();
        v2[0] = 2;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MessageStructure.fromBytes(v2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
        for (int cut = 0; cut < data.length; cut++) {
            byte[] truncated = java.util.Arrays.copyOf(data, cut);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> MessageStructure.fromBytes(truncated))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static MessageStructure parseWith(byte[] msg, MessageStructure.Limits limits) {
        try {
            MessageStructure s = MessageStructure.parse(new ByteArrayInputStream(msg), limits);
            checkInvariants(s);
            return s;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static int indexOf(byte[] msg, String needle) {
        return new String(msg, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf(needle);
    }

    @SuppressWarnings("unused")
    private static List<Part> all(Part p) {
        List<Part> out = new java.util.ArrayList<>();
        out.add(p);
        p.children().forEach(c -> out.addAll(all(c)));
        if (p.message() != null) out.addAll(all(p.message()));
        return out;
    }
}
