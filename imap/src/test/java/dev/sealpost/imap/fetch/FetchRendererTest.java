package dev.sealpost.imap.fetch;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FetchRendererTest {

    static final String MIXED = String.join("\r\n",
            "From: \"Joe Q. Public\" <john.q.public@example.com>",
            "To: Mary Smith <mary@x.test>, jdoe@example.org",
            "Cc: undisclosed:;",
            "Date: Tue, 1 Jul 2003 10:52:37 +0200",
            "Message-ID: <5678.21-Nov-1997@example.com>",
            "Subject: =?UTF-8?Q?caf=C3=A9?=",
            "X-Folded: one",
            " two",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"XX\"",
            "",
            "preamble",
            "--XX",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "Content-Language: en, de",
            "",
            "Hello =C3=A9t=C3=A9=0D",
            "  second   line",
            "--XX",
            "Content-Type: application/octet-stream; name=\"a.bin\"",
            "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment; filename=\"a.bin\"",
            "Content-ID: <id1@x>",
            "Content-Description: some data",
            "Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==",
            "Content-Location: http://x.test/a.bin",
            "",
            "AAEC/w==",
            "--XX",
            "Content-Type: message/rfc822",
            "",
            "From: a@b.test",
            "Subject: inner",
            "",
            "inner body",
            "--XX",
            "Content-Type: text/plain",
            "Content-Transfer-Encoding: x-uuencode",
            "",
            "begin 644 x",
            "--XX--",
            "");

    static String render(String items, TestMessage m) throws Exception {
        return new String(FetchRenderer.render(FetchRequestTest.parse(items), m), StandardCharsets.ISO_8859_1);
    }

    @Test
    void bodyStructureWithExtensionData() throws Exception {
        TestMessage m = TestMessage.of(MIXED);
        String inner = "(NIL \"inner\" ((NIL NIL \"a\" \"b.test\")) ((NIL NIL \"a\" \"b.test\")) ((NIL NIL \"a\" \"b.test\")) NIL NIL NIL NIL NIL)";
        assertThat(render("BODYSTRUCTURE", m)).isEqualTo("(BODYSTRUCTURE ("
                + "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"QUOTED-PRINTABLE\" 39 2 NIL NIL (\"en\" \"de\") NIL)"
                + "(\"APPLICATION\" \"OCTET-STREAM\" (\"NAME\" \"a.bin\") \"<id1@x>\" \"some data\" \"BASE64\" 8"
                + " \"Q2hlY2sgSW50ZWdyaXR5IQ==\" (\"ATTACHMENT\" (\"FILENAME\" \"a.bin\")) NIL \"http://x.test/a.bin\")"
                + "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 44 " + inner
                + " (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 10 1 NIL NIL NIL NIL) 4 NIL NIL NIL NIL)"
                + "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"X-UUENCODE\" 11 1 NIL NIL NIL NIL)"
                + " \"MIXED\" (\"BOUNDARY\" \"XX\") NIL NIL NIL))");
        assertThat(render("BODY", m)).isEqualTo("(BODY ("
                + "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"QUOTED-PRINTABLE\" 39 2)"
                + "(\"APPLICATION\" \"OCTET-STREAM\" (\"NAME\" \"a.bin\") \"<id1@x>\" \"some data\" \"BASE64\" 8)"
                + "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 44 " + inner
                + " (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 10 1) 4)"
                + "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"X-UUENCODE\" 11 1) \"MIXED\"))");
    }

    @Test
    void singlePartMessageAsInRfc9051() throws Exception {
        TestMessage m = TestMessage.of("Subject: x\r\n\r\nabc\r\ndef\r\n");
        assertThat(render("(BODYSTRUCTURE BODY[1] BODY[1.MIME] BINARY.SIZE[1] BODY[2])", m)).isEqualTo(
                "(BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 10 2 NIL NIL NIL NIL)"
                        + " BODY[1] {10}\r\nabc\r\ndef\r\n BODY[1.MIME] {14}\r\nSubject: x\r\n\r\n BINARY.SIZE[1] 10 BODY[2] {0}\r\n)");
    }

    @Test
    void envelopeWithGroupAndDefaults() throws Exception {
        assertThat(render("ENVELOPE", TestMessage.of(MIXED))).isEqualTo("(ENVELOPE (\"Tue, 1 Jul 2003 10:52:37 +0200\" "
                + "\"=?UTF-8?Q?caf=C3=A9?=\" ((\"Joe Q. Public\" NIL \"john.q.public\" \"example.com\")) "
                + "((\"Joe Q. Public\" NIL \"john.q.public\" \"example.com\")) ((\"Joe Q. Public\" NIL \"john.q.public\" \"example.com\")) "
                + "((\"Mary Smith\" NIL \"mary\" \"x.test\")(NIL NIL \"jdoe\" \"example.org\")) "
                + "((NIL NIL \"undisclosed\" NIL)(NIL NIL NIL NIL)) NIL NIL \"<5678.21-Nov-1997@example.com>\"))");
        assertThat(render("ENVELOPE", TestMessage.of("\r\nbody"))).isEqualTo("(ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))");
    }

    @Test
    void binaryDecodesAndUsesLiteral8ForNul() throws Exception {
        TestMessage m = TestMessage.of(MIXED);
        String out = render("(BINARY.PEEK[2] BINARY.SIZE[2] BINARY[1]<6.4> BINARY.SIZE[1] BINARY[3])", m);
        assertThat(out).isEqualTo("(BINARY[2] ~{4}\r\n\0\1\2\u00ff BINARY.SIZE[2] 4 BINARY[1]<6> {4}\r\n\u00c3\u00a9t\u00c3 "
                + "BINARY.SIZE[1] 29 BINARY[3] {44}\r\nFrom: a@b.test\r\nSubject: inner\r\n\r\ninner body)");
    }

    @Test
    void unknownTransferEncodingIsSignalled() throws Exception {
        TestMessage m = TestMessage.of(MIXED);
        for (String items : new String[] {"BINARY[4]", "BINARY.SIZE[4]"}) {
            assertThatThrownBy(() -> render(items, m)).isInstanceOfSatisfying(UnknownCteException.class,
                    e -> assertThat(e.encoding()).isEqualTo("x-uuencode"));
        }
        // BODY[4] is fine: no decoding
        assertThat(render("BODY.PEEK[4]", m)).isEqualTo("(BODY[4] {11}\r\nbegin 644 x)");
    }

    @Test
    void nonexistentSectionsAndPartials() throws Exception {
        TestMessage m = TestMessage.of(MIXED);
        // a section that does not exist is an empty string (as Dovecot answers)
        assertThat(render("(BODY[9] BODY[1.HEADER] BODY[1.2] BINARY[7] BINARY.SIZE[7])", m))
                .isEqualTo("(BODY[9] {0}\r\n BODY[1.HEADER] {0}\r\n BODY[1.2] {0}\r\n BINARY[7] {0}\r\n BINARY.SIZE[7] 0)");
        // Dovecot's leniency: a leaf of a multipart is its own part 1; the body of a single-part message is not
        assertThat(render("BODY[2.1]", m)).isEqualTo(render("BODY[2]", m).replace("BODY[2]", "BODY[2.1]"));
        assertThat(render("BODY[1.1]", TestMessage.of("A: b\r\n\r\nbody"))).isEqualTo("(BODY[1.1] {0}\r\n)");
        assertThat(render("(BODY[3.HEADER] BODY[3.TEXT]<6.100> BODY[3.1]<0.5> BODY[TEXT]<100000.10>)", m)).isEqualTo(
                "(BODY[3.HEADER] {34}\r\nFrom: a@b.test\r\nSubject: inner\r\n\r\n BODY[3.TEXT]<6> {4}\r\nbody "
                        + "BODY[3.1]<0> {5}\r\ninner BODY[TEXT]<100000> {0}\r\n)");
    }

    @Test
    void headerFieldsKeepOrderFoldingAndEndWithEmptyLine() throws Exception {
        TestMessage m = TestMessage.of(MIXED);
        assertThat(render("BODY.PEEK[HEADER.FIELDS (x-folded SUBJECT from)]", m)).isEqualTo(
                "(BODY[HEADER.FIELDS (x-folded SUBJECT from)] {106}\r\n"
                        + "From: \"Joe Q. Public\" <john.q.public@example.com>\r\n"
                        + "Subject: =?UTF-8?Q?caf=C3=A9?=\r\nX-Folded: one\r\n two\r\n\r\n)");
        String not = render("BODY.PEEK[HEADER.FIELDS.NOT (From To Cc Date Message-ID Subject Mime-Version Content-Type)]", m);
        assertThat(not).endsWith("{23}\r\nX-Folded: one\r\n two\r\n\r\n)");
        // a message that is all header: the last line gets its line end; the empty line is added by
        // HEADER.FIELDS but not by .NOT (which copies the header), as in Dovecot
        assertThat(render("BODY.PEEK[HEADER.FIELDS (A)]", TestMessage.of("A: 1"))).isEqualTo("(BODY[HEADER.FIELDS (A)] {8}\r\nA: 1\r\n\r\n)");
        assertThat(render("BODY.PEEK[HEADER.FIELDS.NOT (B)]", TestMessage.of("A: 1"))).isEqualTo("(BODY[HEADER.FIELDS.NOT (B)] {6}\r\nA: 1\r\n)");
        // a line that is not a field is not listed, so only .NOT keeps it
        TestMessage junk = TestMessage.of("junk line\r\nB: 2\r\n\r\nbody");
        assertThat(render("BODY.PEEK[HEADER.FIELDS.NOT (B)]", junk)).isEqualTo("(BODY[HEADER.FIELDS.NOT (B)] {13}\r\njunk line\r\n\r\n)");
        assertThat(render("BODY.PEEK[HEADER.FIELDS (B junk)]", junk)).isEqualTo("(BODY[HEADER.FIELDS (B junk)] {8}\r\nB: 2\r\n\r\n)");
    }

    @Test
    void rfc822ItemsAndSeenFlags() throws Exception {
        TestMessage m = TestMessage.of("Subject: s\r\n\r\nhi\r\n");
        FetchRequest r = FetchRequestTest.parse("(RFC822.HEADER RFC822.TEXT RFC822.SIZE RFC822)");
        assertThat(r.setsSeen()).isTrue();
        assertThat(new String(FetchRenderer.render(r, m), StandardCharsets.ISO_8859_1)).isEqualTo(
                "(RFC822.HEADER {14}\r\nSubject: s\r\n\r\n RFC822.TEXT {4}\r\nhi\r\n RFC822.SIZE 18 RFC822 {18}\r\nSubject: s\r\n\r\nhi\r\n)");
    }

    @Test
    void storedAttributes() throws Exception {
        TestMessage m = new TestMessage(3, 42, "a: b\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        m.flags.add("$Junk");
        m.flags.add("\\Seen");
        m.flags.add("\\Answered");
        m.modSeq = 917162500;
        m.internalDate = Instant.parse("2007-02-05T01:02:03Z");
        m.saveDate = Instant.parse("2020-12-31T23:59:59Z");
        m.emailId = "M6d99ac3275bb4e";
        m.threadId = null;
        assertThat(render("(UID FLAGS INTERNALDATE MODSEQ EMAILID THREADID SAVEDATE)", m)).isEqualTo(
                "(UID 42 FLAGS (\\Answered \\Seen $Junk) INTERNALDATE \"05-Feb-2007 01:02:03 +0000\" MODSEQ (917162500)"
                        + " EMAILID (M6d99ac3275bb4e) THREADID NIL SAVEDATE \"31-Dec-2020 23:59:59 +0000\")");
        m.threadId = "T64b478a75b7ea9";
        m.saveDate = null;
        assertThat(render("(THREADID SAVEDATE)", m)).isEqualTo("(THREADID (T64b478a75b7ea9) SAVEDATE NIL)");
    }

    @Test
    void preview() throws Exception {
        assertThat(render("PREVIEW", TestMessage.of(MIXED))).isEqualTo("(PREVIEW {23}\r\nHello \u00c3\u00a9t\u00c3\u00a9 second line)");
        String html = "Content-Type: text/html; charset=iso-8859-1\r\n\r\n<html><head><title>t</title></head>"
                + "<body><p>Caf\u00e9 &amp; <b>bar</b></p>\r\n<script>x()</script>" + "word ".repeat(100) + "</body></html>";
        TestMessage h = new TestMessage(1, 1, html.getBytes(StandardCharsets.ISO_8859_1));
        String p = render("(PREVIEW (LAZY))", h);
        assertThat(p).startsWith("(PREVIEW {201}\r\nCaf\u00c3\u00a9 & bar word word ");
        assertThat(render("PREVIEW", TestMessage.of("Content-Type: image/png\r\n\r\nxx"))).isEqualTo("(PREVIEW \"\")");
    }

    @Test
    void nulInStoredContentIsNotSentInALiteral() throws Exception {
        TestMessage m = TestMessage.of("A: b\r\n\r\nx\0y\r\n");
        assertThat(render("BODY.PEEK[TEXT]", m)).isEqualTo("(BODY[TEXT] {5}\r\nx\u0080y\r\n)");
        assertThat(render("BINARY.PEEK[1]", m)).isEqualTo("(BINARY[1] ~{5}\r\nx\0y\r\n)");
    }

    @Test
    void binaryOfACompositeDecodesEveryLeafInside() throws Exception {
        TestMessage m = TestMessage.of(String.join("\r\n",
                "Content-Type: multipart/mixed; boundary=b",
                "",
                "--b",
                "Content-Type: text/plain",
                "Content-Transfer-Encoding: quoted-printable",
                "X-After: 1",
                "",
                "caf=C3=A9",
                "--b",
                "Content-Type: application/octet-stream",
                "Content-Transfer-Encoding: base64",
                "",
                "AAEC",
                "--b--",
                ""));
        String decoded = "\r\n--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\nX-After: 1\r\n\r\ncaf\u00c3\u00a9"
                + "\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n\0\1\2\r\n--b--\r\n";
        String header = "Content-Type: multipart/mixed; boundary=b\r\n";
        assertThat(render("(BINARY.SIZE[] BINARY.PEEK[])", m)).isEqualTo("(BINARY.SIZE[] " + (header + decoded).length()
                + " BINARY[] ~{" + (header + decoded).length() + "}\r\n" + header + decoded + ")");
        // without encoded leaves the octets are the stored ones
        TestMessage plain = TestMessage.of("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n");
        assertThat(render("BINARY.SIZE[]", plain)).isEqualTo("(BINARY.SIZE[] " + plain.raw.length + ")");
    }
}
