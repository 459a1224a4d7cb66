package dev.sealpost.imap.search;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.ImapSyntaxException;
import dev.sealpost.imap.proto.SequenceSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SearchCommandTest {

    static List<Arg> args(String s) throws ImapSyntaxException {
        return ImaptestScriptsTest.Tokens.parse(s);
    }

    @Test
    void classicSearchWithoutReturn() throws Exception {
        SearchCommand c = SearchCommand.parse(args("FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\""));
        assertThat(c.extended()).isFalse();
        assertThat(c.returnOptions()).isEmpty();
        assertThat(c.charset()).isNull();
        assertThat(c.key()).isEqualTo(new SearchKey.And(List.of(
                new SearchKey.Flag("\\Flagged", true),
                new SearchKey.DateKey(SearchKey.DateField.INTERNAL, SearchKey.DateOp.SINCE, LocalDate.of(1994, 2, 1)),
                new SearchKey.Not(new SearchKey.Address("from", "Smith")))));
    }

    @Test
    void emptyReturnMeansAll() throws Exception {
        SearchCommand c = SearchCommand.parse(args("RETURN () ALL"));
        assertThat(c.extended()).isTrue();
        assertThat(c.returnOptions()).containsExactly(ReturnOption.ALL);
        assertThat(c.returnSave()).isFalse();
    }

    @Test
    void saveAloneHasNoResultOptions() throws Exception {
        SearchCommand c = SearchCommand.parse(args("RETURN (SAVE) FLAGGED"));
        assertThat(c.extended()).isTrue();
        assertThat(c.returnSave()).isTrue();
        assertThat(c.returnOptions()).isEmpty();
    }

    @Test
    void saveWithMinMaxKeepsOnlyThose() throws Exception {
        // RFC 5182 §2.4
        assertThat(SearchCommand.parse(args("RETURN (SAVE MIN) ALL")).resultToSave(List.of(3L, 5L, 9L))).containsExactly(3L);
        assertThat(SearchCommand.parse(args("RETURN (SAVE MIN MAX) ALL")).resultToSave(List.of(3L, 5L, 9L))).containsExactly(3L, 9L);
        assertThat(SearchCommand.parse(args("RETURN (SAVE MIN COUNT) ALL")).resultToSave(List.of(3L, 5L, 9L))).containsExactly(3L, 5L, 9L);
        assertThat(SearchCommand.parse(args("RETURN (SAVE) ALL")).resultToSave(List.of(3L, 5L))).containsExactly(3L, 5L);
    }

    @Test
    void partial() throws Exception {
        SearchCommand c = SearchCommand.parse(args("RETURN (PARTIAL 4:2 COUNT) ALL"));
        assertThat(c.returnOptions()).containsExactlyInAnyOrder(ReturnOption.PARTIAL, ReturnOption.COUNT);
        assertThat(c.partial()).isEqualTo(new PartialRange(2, 4));
        assertThat(SearchCommand.parse(args("RETURN (PARTIAL -1:-3) ALL")).partial()).isEqualTo(new PartialRange(-1, -3));
        // RFC 5267 §4.1: UPDATE alone keeps the result without returning ALL
        assertThat(SearchCommand.parse(args("RETURN (UPDATE) SEEN")).returnOptions()).containsExactly(ReturnOption.UPDATE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RETURN (PARTIAL 1) ALL", "RETURN (PARTIAL 1:*) ALL", "RETURN (PARTIAL *:1) ALL",
            "RETURN (PARTIAL 0:3) ALL", "RETURN (PARTIAL -1:3) ALL", "RETURN (PARTIAL 1:2 ALL) ALL", "RETURN (UPDATE FOO) ALL",
            "RETURN ALL", "", "FOO", "BEFORE 31-Feb-2020", "BEFORE 1-Foo-2020", "LARGER x", "LARGER", "HEADER", "OR SEEN",
            "NOT", "()", "UID x", "0", "1:0x", "MODSEQ \"/flags/\\\\seen\" bogus 5", "MODSEQ -1", "OLDER 0", "EMAILID a.b",
            "KEYWORD (x)", "HEADER \"a b\" x", "CHARSET"})
    void syntaxErrors(String text) {
        assertThatThrownBy(() -> SearchCommand.parse(args(text))).isInstanceOf(ImapSyntaxException.class);
    }

    @Test
    void nestingIsBounded() {
        String deep = "NOT ".repeat(SearchParser.MAX_DEPTH + 5) + "ALL";
        assertThatThrownBy(() -> SearchCommand.parse(args(deep))).isInstanceOf(ImapSyntaxException.class).hasMessageContaining("nested");
        assertThatThrownBy(() -> SearchCommand.parse(args("SEEN ".repeat(SearchParser.MAX_KEYS + 1))))
                .isInstanceOf(ImapSyntaxException.class);
    }

    @Test
    void unknownCharsetIsBadCharset() {
        assertThatThrownBy(() -> SearchCommand.parse(args("CHARSET X-NOT-A-CHARSET TEXT foo")))
                .isInstanceOfSatisfying(BadCharsetException.class, e -> {
                    assertThat(e.charset()).isEqualTo("X-NOT-A-CHARSET");
                    assertThat(e.responseCode()).startsWith("BADCHARSET (").contains("UTF-8");
                });
    }

    @Test
    void stringsAreDecodedInTheCharset() throws Exception {
        byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        List<Arg> a = List.of(new Arg.Atom("CHARSET"), new Arg.Atom("ISO-8859-1"), new Arg.Atom("SUBJECT"),
                new Arg.Str(latin1, true, false));
        SearchCommand c = SearchCommand.parse(a);
        assertThat(c.charset()).isEqualTo("ISO-8859-1");
        assertThat(c.key()).isEqualTo(new SearchKey.Header("subject", "caf\u00e9"));
        // without CHARSET, strings are UTF-8 (RFC 9051 §6.4.4)
        assertThat(SearchCommand.parse(List.of(new Arg.Atom("BODY"), new Arg.Str("\u00fcber".getBytes(StandardCharsets.UTF_8), false, false))).key())
                .isEqualTo(new SearchKey.Body("\u00fcber"));
    }

    @Test
    void extensionKeys() throws Exception {
        SearchCommand c = SearchCommand.parse(args(
                "MODSEQ \"/flags/\\\\draft\" all 620162338 OLDER 3600 YOUNGER 60 EMAILID M6d99ac3275bb4e THREADID T64b478a75b7ea9"
                        + " SAVEDBEFORE 1-Jan-2020 SAVEDON 2-Jan-2020 SAVEDSINCE 3-Jan-2020 SAVEDATESUPPORTED $ UID $ OR (1:3) uid 5:*"));
        List<SearchKey> keys = ((SearchKey.And) c.key()).keys();
        assertThat(keys).containsExactly(
                new SearchKey.ModSeq("/flags/\\draft", "all", 620162338L),
                new SearchKey.Within(true, 3600), new SearchKey.Within(false, 60),
                new SearchKey.EmailId("M6d99ac3275bb4e"), new SearchKey.ThreadId("T64b478a75b7ea9"),
                new SearchKey.DateKey(SearchKey.DateField.SAVED, SearchKey.DateOp.BEFORE, LocalDate.of(2020, 1, 1)),
                new SearchKey.DateKey(SearchKey.DateField.SAVED, SearchKey.DateOp.ON, LocalDate.of(2020, 1, 2)),
                new SearchKey.DateKey(SearchKey.DateField.SAVED, SearchKey.DateOp.SINCE, LocalDate.of(2020, 1, 3)),
                new SearchKey.SaveDateSupported(), new SearchKey.Saved(), new SearchKey.Saved(),
                new SearchKey.Or(new SearchKey.Sequence(SequenceSet.parse("1:3")), new SearchKey.Uid(SequenceSet.parse("5:*"))));
        assertThat(c.usesModSeq()).isTrue();
        assertThat(c.usesSaved()).isTrue();
        assertThat(SearchCommand.parse(args("MODSEQ 5")).key()).isEqualTo(new SearchKey.ModSeq(null, null, 5));
        assertThat(SearchCommand.parse(args("ALL")).usesModSeq()).isFalse();
    }

    @Test
    void imap4rev1Keys() throws Exception {
        SearchCommand c = SearchCommand.parse(args("NEW OLD RECENT KEYWORD $Junk UNKEYWORD $Forwarded HEADER X-Spam yes LARGER 100 SMALLER 200 TEXT hi SENTON \"5-Mar-2021\""));
        assertThat(((SearchKey.And) c.key()).keys()).containsExactly(
                new SearchKey.New(), new SearchKey.Old(), new SearchKey.Recent(),
                new SearchKey.Flag("$Junk", true), new SearchKey.Flag("$Forwarded", false),
                new SearchKey.Header("x-spam", "yes"), new SearchKey.Size(true, 100), new SearchKey.Size(false, 200),
                new SearchKey.Text("hi"), new SearchKey.DateKey(SearchKey.DateField.SENT, SearchKey.DateOp.ON, LocalDate.of(2021, 3, 5)));
    }

    @Test
    void sortAndThreadCommands() throws Exception {
        SortCommand s = SortCommand.parse(args("RETURN (MIN COUNT) (REVERSE DATE subject DISPLAYFROM) UTF-8 UNDELETED"));
        assertThat(s.criteria()).containsExactly(new SortCriterion(SortCriterion.Key.DATE, true),
                new SortCriterion(SortCriterion.Key.SUBJECT, false), new SortCriterion(SortCriterion.Key.DISPLAYFROM, false));
        assertThat(s.returnOptions()).containsExactlyInAnyOrder(ReturnOption.MIN, ReturnOption.COUNT);
        assertThat(s.extended()).isTrue();
        assertThat(s.charset()).isEqualTo("UTF-8");
        assertThat(s.key()).isEqualTo(new SearchKey.Flag("\\Deleted", false));
        assertThatThrownBy(() -> SortCommand.parse(args("(REVERSE) UTF-8 ALL"))).isInstanceOf(ImapSyntaxException.class);
        assertThatThrownBy(() -> SortCommand.parse(args("(BOGUS) UTF-8 ALL"))).isInstanceOf(ImapSyntaxException.class);
        assertThatThrownBy(() -> SortCommand.parse(args("() UTF-8 ALL"))).isInstanceOf(ImapSyntaxException.class);
        assertThatThrownBy(() -> SortCommand.parse(args("(DATE) ALL"))).isInstanceOf(BadCharsetException.class);
        assertThatThrownBy(() -> SortCommand.parse(args("RETURN (SAVE) (DATE) UTF-8 ALL"))).isInstanceOf(ImapSyntaxException.class);

        ThreadCommand t = ThreadCommand.parse(args("references US-ASCII SEEN"));
        assertThat(t.algorithm()).isEqualTo(ThreadCommand.Algorithm.REFERENCES);
        assertThat(t.charset()).isEqualTo("US-ASCII");
        assertThat(t.key()).isEqualTo(new SearchKey.Flag("\\Seen", true));
        assertThatThrownBy(() -> ThreadCommand.parse(args("REFS UTF-8 ALL"))).isInstanceOf(ImapSyntaxException.class);
        assertThatThrownBy(() -> ThreadCommand.parse(args("REFERENCES UTF-8"))).isInstanceOf(ImapSyntaxException.class);
        assertThat(Set.of(ThreadCommand.Algorithm.values())).hasSize(2);
    }
}
