package dev.sealpost.imap.search;

import dev.sealpost.imap.proto.ImapSyntaxException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SearchTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-03-10T12:00:00Z"), ZoneOffset.UTC);
    static final SearchContext CTX = new SearchContext(10, 100, Set.of(7L), CLOCK, true);

    static boolean match(String search, TestMessage m) throws Exception {
        return match(search, m, CTX);
    }

    static boolean match(String search, TestMessage m, SearchContext ctx) throws Exception {
        return Search.matches(SearchCommand.parse(ImaptestScriptsTest.Tokens.parse(search)).key(), m, ctx);
    }

    static final String MIME = """
            From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <jm@example.org>
            To: team: a@example.org, b@example.net;
            Subject: =?ISO-8859-1?Q?Gr=FC=DFe?= aus Berlin
            Date: Sun, 10 Mar 2024 01:30:00 +0300
            Message-ID: <x@y>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b1"

            --b1
            Content-Type: text/plain; charset=iso-8859-1
            Content-Transfer-Encoding: quoted-printable

            Sch=F6ne Gr=FC=DFe und ein sehr lan=
            ges Wort
            --b1
            Content-Type: text/html; charset=utf-8
            Content-Transfer-Encoding: base64

            %s
            --b1
            Content-Type: application/octet-stream
            Content-Transfer-Encoding: base64

            %s
            --b1
            Content-Type: message/rfc822

            Subject: inner subject
            From: inner@example.com

            inner body text
            --b1--
            """.formatted(
            Base64.getEncoder().encodeToString("<p>Caf\u00e9 cr\u00e8me</p>".getBytes(StandardCharsets.UTF_8)),
            Base64.getEncoder().encodeToString("secretbinaryword".getBytes(StandardCharsets.US_ASCII)));

    @Test
    void bodyIsDecodedPerPart() throws Exception {
        TestMessage m = TestMessage.of(1, MIME);
        assertThat(match("BODY \"schöne grüße\"", m)).isTrue(); // quoted-printable in ISO-8859-1, case-insensitive
        assertThat(match("BODY langes", m)).isTrue(); // soft line break joined
        assertThat(match("BODY \"CAFÉ CRÈME\"", m)).isTrue(); // base64 UTF-8 html part
        assertThat(match("BODY secretbinaryword", m)).isFalse(); // not a text part
        assertThat(match("BODY \"inner body\"", m)).isTrue(); // embedded message body
        assertThat(match("BODY \"inner subject\"", m)).isTrue(); // embedded message header is body of the outer one
        assertThat(match("BODY berlin", m)).isFalse(); // the outer header is not body
        assertThat(match("TEXT berlin", m)).isTrue();
        assertThat(match("TEXT \"grüße aus\"", m)).isTrue(); // decoded encoded word in the header
    }

    @Test
    void headersAndAddresses() throws Exception {
        TestMessage m = TestMessage.of(1, MIME);
        assertThat(match("SUBJECT \"GRÜSSE\"", m)).isFalse();
        assertThat(match("SUBJECT \"grüße aus\"", m)).isTrue();
        assertThat(match("FROM \"jürgen müller\"", m)).isTrue();
        assertThat(match("FROM \"müller <jm@\"", m)).isTrue(); // rendered address form
        assertThat(match("TO team", m)).isTrue();
        assertThat(match("TO b@example.net", m)).isTrue();
        assertThat(match("CC a", m)).isFalse();
        assertThat(match("HEADER Message-ID \"<x@y>\"", m)).isTrue();
        assertThat(match("HEADER mime-version \"\"", m)).isTrue();
        assertThat(match("HEADER X-Missing \"\"", m)).isFalse();
    }

    @Test
    void contentIsReadOncePerMessage() throws Exception {
        TestMessage m = TestMessage.of(1, MIME);
        assertThat(match("BODY schöne TEXT berlin SUBJECT grüße FROM jm HEADER date 2024 TEXT café", m)).isTrue();
        assertThat(m.rawReads).isEqualTo(1);
        TestMessage n = TestMessage.of(2, MIME);
        assertThat(match("UNSEEN SEEN BODY schöne", n)).isFalse(); // the cheap keys decide first
        assertThat(n.rawReads).isZero();
    }

    @Test
    void dates() throws Exception {
        TestMessage m = TestMessage.of(1, MIME); // internal date 2024-01-02T03:04:05Z
        assertThat(match("ON 2-Jan-2024", m)).isTrue();
        assertThat(match("BEFORE 2-Jan-2024", m)).isFalse();
        assertThat(match("BEFORE 3-Jan-2024", m)).isTrue();
        assertThat(match("SINCE 2-Jan-2024", m)).isTrue();
        assertThat(match("SINCE 3-Jan-2024", m)).isFalse();
        // the server's zone decides the calendar date of INTERNALDATE
        SearchContext honolulu = new SearchContext(10, 100, Set.of(), CLOCK.withZone(ZoneId.of("Pacific/Honolulu")), true);
        assertThat(match("ON 1-Jan-2024", m, honolulu)).isTrue();
        // SENT*: the date as written, in its own zone (01:30 +0300 is still 10 March there)
        assertThat(match("SENTON 10-Mar-2024", m)).isTrue();
        assertThat(match("SENTBEFORE 10-Mar-2024", m)).isFalse();
        assertThat(match("SENTSINCE 11-Mar-2024", m)).isFalse();
        // without a Date field, the internal date
        TestMessage noDate = TestMessage.of(2, "Subject: x\n\nbody\n");
        assertThat(match("SENTON 2-Jan-2024", noDate)).isTrue();
        // RFC 8514 save date
        m.saveDate = Instant.parse("2024-03-09T23:00:00Z");
        assertThat(match("SAVEDON 9-Mar-2024", m)).isTrue();
        assertThat(match("SAVEDSINCE 10-Mar-2024", m)).isFalse();
        assertThat(match("SAVEDBEFORE 10-Mar-2024", m)).isTrue();
        assertThat(match("SAVEDON 9-Mar-2024", noDate)).isFalse();
        assertThat(match("SAVEDATESUPPORTED", m)).isTrue();
        assertThat(match("SAVEDATESUPPORTED", m, new SearchContext(10, 100, Set.of(), CLOCK, false))).isFalse();
    }

    @Test
    void within() throws Exception {
        TestMessage m = new TestMessage(1, 1, CLOCK.instant().minusSeconds(3600), "Subject: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(match("YOUNGER 3600", m)).isTrue();
        assertThat(match("YOUNGER 3599", m)).isFalse();
        assertThat(match("OLDER 3599", m)).isTrue();
        assertThat(match("OLDER 3600", m)).isFalse();
    }

    @Test
    void attributes() throws Exception {
        TestMessage m = new TestMessage(4, 7, Instant.EPOCH, "Subject: x\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII));
        m.flags.add("\\Seen");
        m.flags.add("$Label1");
        m.modSeq = 50;
        m.emailId = "Mabc";
        m.threadId = "Tdef";
        assertThat(match("SEEN UNFLAGGED KEYWORD $label1 UNKEYWORD $label2", m)).isTrue();
        assertThat(match("NEW", m)).isFalse();
        assertThat(match("RECENT", m)).isFalse();
        assertThat(match("OLD", m)).isTrue();
        assertThat(match("$", m)).isTrue(); // saved UIDs {7}
        assertThat(match("UID $", m)).isTrue();
        assertThat(match("NOT $", m)).isFalse();
        assertThat(match("4", m)).isTrue();
        assertThat(match("*", m)).isFalse(); // * is 10
        assertThat(match("UID 7", m)).isTrue();
        assertThat(match("UID 50:*", m)).isFalse(); // * is 100
        assertThat(match("MODSEQ 50", m)).isTrue();
        assertThat(match("MODSEQ 51", m)).isFalse();
        assertThat(match("EMAILID Mabc THREADID Tdef", m)).isTrue();
        assertThat(match("EMAILID mabc", m)).isFalse(); // object ids are case-sensitive
        assertThat(match("LARGER " + (m.size() - 1) + " SMALLER " + (m.size() + 1), m)).isTrue();
        assertThat(match("LARGER " + m.size(), m)).isFalse();
        assertThat(match("OR FLAGGED (SEEN ANSWERED)", m)).isFalse();
        assertThat(match("OR FLAGGED (SEEN NOT ANSWERED)", m)).isTrue();
    }

    @Test
    void esearchResponses() {
        // RFC 4731 §3.2 examples
        assertThat(Search.esearchResponse("A282", false, EnumSet.of(ReturnOption.MIN, ReturnOption.COUNT), List.of(2L, 10L, 11L)))
                .isEqualTo("* ESEARCH (TAG \"A282\") MIN 2 COUNT 3");
        assertThat(Search.esearchResponse("A283", false, EnumSet.of(ReturnOption.ALL), List.of(2L, 10L, 11L)))
                .isEqualTo("* ESEARCH (TAG \"A283\") ALL 2,10:11");
        assertThat(Search.esearchResponse("a1", true, EnumSet.allOf(ReturnOption.class).stream()
                        .filter(o -> o != ReturnOption.PARTIAL).collect(java.util.stream.Collectors.toSet()), List.of(2L, 4L, 5L, 9L)))
                .isEqualTo("* ESEARCH (TAG \"a1\") UID MIN 2 MAX 9 COUNT 4 ALL 2,4:5,9");
        assertThat(Search.esearchResponse("t", false, EnumSet.of(ReturnOption.MIN, ReturnOption.MAX, ReturnOption.ALL), List.of()))
                .isEqualTo("* ESEARCH (TAG \"t\")");
        assertThat(Search.esearchResponse("t", true, EnumSet.of(ReturnOption.COUNT), List.of()))
                .isEqualTo("* ESEARCH (TAG \"t\") UID COUNT 0");
        // RFC 7162 §3.1.5: MODSEQ of the returned messages
        assertThat(Search.esearchResponse("t", false, EnumSet.of(ReturnOption.MIN, ReturnOption.MAX), null,
                List.of(2L, 3L, 4L), List.of(90L, 95L, 80L))).isEqualTo("* ESEARCH (TAG \"t\") MIN 2 MAX 4 MODSEQ 90");
        assertThat(Search.esearchResponse("t", false, EnumSet.of(ReturnOption.ALL), null,
                List.of(2L, 3L, 4L), List.of(90L, 95L, 80L))).isEqualTo("* ESEARCH (TAG \"t\") ALL 2:4 MODSEQ 95");
        // RFC 9394 PARTIAL, also from the end
        List<Long> r = List.of(1L, 2L, 3L, 5L, 8L, 9L);
        assertThat(Search.esearchResponse("t", false, EnumSet.of(ReturnOption.PARTIAL), new PartialRange(2, 4), r, null))
                .isEqualTo("* ESEARCH (TAG \"t\") PARTIAL (2:4 2:3,5)");
        assertThat(Search.esearchResponse("t", false, EnumSet.of(ReturnOption.PARTIAL), new PartialRange(-1, -2), r, null))
                .isEqualTo("* ESEARCH (TAG \"t\") PARTIAL (-1:-2 8:9)");
        assertThat(Search.esearchResponse("t", false, EnumSet.of(ReturnOption.PARTIAL), new PartialRange(7, 9), r, null))
                .isEqualTo("* ESEARCH (TAG \"t\") PARTIAL (7:9 NIL)");
    }

    @Test
    void classicResponses() {
        assertThat(Search.searchResponse(List.of(2L, 4L, 5L))).isEqualTo("* SEARCH 2 4 5");
        assertThat(Search.searchResponse(List.of())).isEqualTo("* SEARCH");
        assertThat(Search.searchResponse("SEARCH", List.of(2L, 5L), 917162500L)).isEqualTo("* SEARCH 2 5 (MODSEQ 917162500)");
        assertThat(Search.searchResponse("SEARCH", List.of(), 5L)).isEqualTo("* SEARCH");
        assertThat(Search.searchResponse("SORT", List.of(5L, 2L), null)).isEqualTo("* SORT 5 2");
        assertThat(Search.compact(List.of(5L, 3L, 4L, 2L, 1L))).isEqualTo("5,3:4,2,1"); // ESORT keeps the sort order
        assertThat(Search.compact(List.of(1L, 2L, 3L))).isEqualTo("1:3");
    }

    @Test
    void responseForm() throws Exception {
        TestMessage a = TestMessage.of(2, "Subject: a\n\nx\n");
        TestMessage b = TestMessage.of(5, "Subject: b\n\nx\n");
        a.modSeq = 40;
        b.modSeq = 30;
        List<TestMessage> hits = List.of(a, b);
        SearchCommand classic = SearchCommand.parse(ImaptestScriptsTest.Tokens.parse("ALL"));
        assertThat(Search.response(classic, "t1", false, false, hits)).isEqualTo("* SEARCH 2 5");
        // IMAP4rev2: no SEARCH response; no RETURN is RETURN (ALL)
        assertThat(Search.response(classic, "t1", true, true, hits)).isEqualTo("* ESEARCH (TAG \"t1\") UID ALL 2,5");
        SearchCommand modseq = SearchCommand.parse(ImaptestScriptsTest.Tokens.parse("MODSEQ 1"));
        assertThat(Search.response(modseq, "t1", false, false, hits)).isEqualTo("* SEARCH 2 5 (MODSEQ 40)");
        SearchCommand save = SearchCommand.parse(ImaptestScriptsTest.Tokens.parse("RETURN (SAVE) ALL"));
        assertThat(Search.response(save, "t1", false, true, hits)).isNull();
        SearchCommand count = SearchCommand.parse(ImaptestScriptsTest.Tokens.parse("RETURN (COUNT SAVE) ALL"));
        assertThat(Search.response(count, "t1", false, false, hits)).isEqualTo("* ESEARCH (TAG \"t1\") COUNT 2");
        SortCommand esort = SortCommand.parse(ImaptestScriptsTest.Tokens.parse("RETURN (MIN MAX) (REVERSE SUBJECT) UTF-8 ALL"));
        assertThat(Sort.response(esort, "t2", false, Sort.sort(esort.criteria(), hits))).isEqualTo("* ESEARCH (TAG \"t2\") MIN 5 MAX 2");
        assertThat(Threads.response(ThreadCommand.Algorithm.REFERENCES, List.of(), false)).isEqualTo("* THREAD");
        assertThat(Threads.response(ThreadCommand.Algorithm.ORDEREDSUBJECT, hits, false)).isEqualTo("* THREAD (2)(5)");
    }

    @Test
    void partialRangeParsing() throws ImapSyntaxException {
        assertThat(PartialRange.parse("-5:-1")).isEqualTo(new PartialRange(-1, -5));
        assertThat(PartialRange.parse("100:1").toString()).isEqualTo("1:100");
    }
}
