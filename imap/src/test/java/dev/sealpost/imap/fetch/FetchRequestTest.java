package dev.sealpost.imap.fetch;

import dev.sealpost.imap.fetch.FetchRequest.Attr;
import dev.sealpost.imap.fetch.FetchRequest.Kind;
import dev.sealpost.imap.fetch.FetchRequest.Section;
import dev.sealpost.imap.fetch.FetchRequest.Simple;
import dev.sealpost.imap.fetch.FetchRequest.Text;
import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.CommandReader;
import dev.sealpost.imap.proto.ImapSyntaxException;
import dev.sealpost.imap.proto.ReaderLimits;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FetchRequestTest {

    /** The fetch arguments after the sequence set of {@code t FETCH 1 <text>}, tokenized by the real reader. */
    static FetchRequest parse(String text) throws Exception {
        var r = new CommandReader(new ByteArrayInputStream(("t FETCH 1 " + text + "\r\n").getBytes(StandardCharsets.UTF_8)),
                ReaderLimits.defaults(), null, () -> { });
        List<Arg> args = r.read().args();
        return FetchRequest.parse(args.subList(1, args.size()));
    }

    @Test
    void macros() throws Exception {
        assertThat(parse("ALL").items()).containsExactly(new Simple(Attr.FLAGS), new Simple(Attr.INTERNALDATE),
                new Simple(Attr.RFC822_SIZE), new Simple(Attr.ENVELOPE));
        assertThat(parse("fast").items()).hasSize(3);
        assertThat(parse("FULL").items()).hasSize(5).last().isEqualTo(new Simple(Attr.BODY));
        // RFC 9051 §6.4.5: macros are not data items inside a list
        assertThatThrownBy(() -> parse("(ALL)")).isInstanceOf(ImapSyntaxException.class);
    }

    @Test
    void sections() throws Exception {
        FetchRequest r = parse("(UID BODY.PEEK[HEADER.FIELDS (From \"To\")]<0.100> BINARY[1.2]<5.10> BINARY.SIZE[3] body[1.2.MIME] BODY[] BODY[2.TEXT] BODY[HEADER.FIELDS.NOT (Date)])");
        assertThat(r.items()).hasSize(8);
        Section s = (Section) r.items().get(1);
        assertThat(s).isEqualTo(new Section(Kind.BODY, true, List.of(), Text.HEADER_FIELDS, List.of("From", "To"),
                "HEADER.FIELDS (From \"To\")", 0, 100));
        assertThat(s.responseName()).isEqualTo("BODY[HEADER.FIELDS (From \"To\")]<0>");
        Section b = (Section) r.items().get(2);
        assertThat(b.kind()).isEqualTo(Kind.BINARY);
        assertThat(b.part()).containsExactly(1, 2);
        assertThat(b.responseName()).isEqualTo("BINARY[1.2]<5>");
        assertThat(((Section) r.items().get(3)).responseName()).isEqualTo("BINARY.SIZE[3]");
        Section mime = (Section) r.items().get(4);
        assertThat(mime.text()).isEqualTo(Text.MIME);
        assertThat(mime.responseName()).isEqualTo("BODY[1.2.MIME]");
        assertThat(((Section) r.items().get(5)).part()).isEmpty();
        assertThat(((Section) r.items().get(6)).text()).isEqualTo(Text.TEXT);
        assertThat(((Section) r.items().get(7)).text()).isEqualTo(Text.HEADER_FIELDS_NOT);
    }

    @Test
    void invalidItems() {
        for (String bad : List.of("FOO", "(UID FOO)", "BODY[", "BODY[MIME]", "BODY[0]", "BODY[1.]", "BODY[.1]",
                "BODY[HEADER.FIELDS]", "BODY[HEADER.FIELDS ()]", "BODY[HEADER.FIELDS (a:b)]", "BODY[TEXT]<1>",
                "BODY[TEXT]<1.0>", "BODY[TEXT]x", "BINARY[HEADER]", "BINARY[1.MIME]", "BINARY.SIZE[1]<0.5>",
                "BODY.PEEK", "()", "\"UID\"", "(UID) (FOO 1)", "(UID) (CHANGEDSINCE)", "(UID) (VANISHED)",
                "BODY[HEADER.FIELDS (a  b)]", "BODY[TEXT]<99999999999999999999.1>")) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(ImapSyntaxException.class);
        }
    }

    @Test
    void seenAndContent() throws Exception {
        assertThat(parse("(FLAGS UID RFC822.SIZE INTERNALDATE)").setsSeen()).isFalse();
        assertThat(parse("(FLAGS UID RFC822.SIZE INTERNALDATE MODSEQ EMAILID THREADID SAVEDATE)").needsContent()).isFalse();
        assertThat(parse("BODY[TEXT]").setsSeen()).isTrue();
        assertThat(parse("BINARY[1]").setsSeen()).isTrue();
        assertThat(parse("BINARY.SIZE[1]").setsSeen()).isFalse();
        assertThat(parse("BODY.PEEK[TEXT]").setsSeen()).isFalse();
        assertThat(parse("RFC822").setsSeen()).isTrue();
        assertThat(parse("RFC822.TEXT").setsSeen()).isTrue();
        assertThat(parse("RFC822.HEADER").setsSeen()).isFalse();
        assertThat(parse("RFC822.HEADER").needsContent()).isTrue();
        assertThat(parse("ENVELOPE").needsContent()).isTrue();
        assertThat(parse("BODYSTRUCTURE").needsContent()).isTrue();
    }

    @Test
    void uidFlagsAndModifiers() throws Exception {
        FetchRequest r = parse("(FLAGS)").withUid();
        assertThat(r.items()).containsExactly(new Simple(Attr.UID), new Simple(Attr.FLAGS));
        assertThat(r.withUid()).isSameAs(r);
        assertThat(parse("BODY[]").withFlags().items()).last().isEqualTo(new Simple(Attr.FLAGS));
        FetchRequest c = parse("(FLAGS) (CHANGEDSINCE 12345 VANISHED)");
        assertThat(c.changedSince()).isEqualTo(12345);
        assertThat(c.vanished()).isTrue();
        assertThat(c.hasModSeq()).isTrue(); // RFC 7162 §3.1.4.1: CHANGEDSINCE implies MODSEQ
        assertThat(parse("(FLAGS MODSEQ)").hasModSeq()).isTrue();
        assertThat(parse("(FLAGS)").hasModSeq()).isFalse();
        assertThat(parse("(PREVIEW (LAZY) UID)").previewLazy()).isTrue();
        assertThat(parse("(PREVIEW (LAZY) UID)").items()).containsExactly(new Simple(Attr.PREVIEW), new Simple(Attr.UID));
        assertThat(parse("(UID UID FLAGS)").items()).hasSize(2); // duplicates are answered once
    }
}
