package dev.sealpost.it.imaptest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The script parser, against the real suite and small hand-written scripts. */
class ImaptestScriptTest {
    @TempDir
    Path dir;

    private ImaptestScript script(String text, Map<String, String> env) throws Exception {
        Path p = dir.resolve("t");
        Files.writeString(p, text, StandardCharsets.ISO_8859_1);
        return ImaptestScript.parse(p, env::get);
    }

    private ImaptestScript script(String text) throws Exception {
        return script(text, Map.of());
    }

    @Test
    void everyScriptOfTheSuiteParses() throws Exception {
        List<Path> scripts = ImaptestSuite.scripts(ImaptestSuite.defaultTestsDir());
        assertThat(scripts).hasSize(72);
        for (Path p : scripts) {
            ImaptestScript s = ImaptestScript.parse(p, k -> null);
            assertThat(s.groups()).as(p.toString()).isNotEmpty();
            assertThat(s.mbox()).exists();
            for (ImaptestScript.Group g : s.groups())
                for (ImaptestScript.Command c : g.commands()) assertThat(c.expectedReply()).as(p + ":" + c.line()).isNotNull();
        }
    }

    @Test
    void headerAndMethodOneGroups() throws Exception {
        ImaptestScript s = script("""
                capabilities: CATENATE  MULTIAPPEND
                connections: 2
                messages: all
                state: created
                ignore_extra_untagged: no
                user 2: $user2

                # comment
                1 ok select $mailbox
                * 0 exists
                ! 1 exists

                2 no select nonexistent
                """);
        assertThat(s.requiredCapabilities()).containsExactly("CATENATE", "MULTIAPPEND");
        assertThat(s.connectionCount()).isEqualTo(2);
        assertThat(s.messageCount()).isEqualTo(ImaptestScript.ALL_MESSAGES);
        assertThat(s.state()).isEqualTo(ImaptestScript.State.CREATED);
        assertThat(s.ignoreExtraUntagged()).isFalse();
        assertThat(s.requireUser2()).isTrue();
        assertThat(s.groups()).hasSize(3); // + the logout imaptest adds
        ImaptestScript.Group g = s.groups().getFirst();
        assertThat(g.connection()).isZero();
        assertThat(g.commands().getFirst().text()).isEqualTo("select $mailbox");
        assertThat(ImapArg.render(g.commands().getFirst().expectedReply())).isEqualTo("ok");
        assertThat(g.untagged()).extracting(ImaptestScript.Untagged::existence)
                .containsExactly(ImaptestScript.Existence.MUST_EXIST, ImaptestScript.Existence.MUST_NOT_EXIST);
        assertThat(s.groups().get(1).connection()).isEqualTo(1);
        assertThat(ImapArg.render(s.groups().get(1).commands().getFirst().expectedReply())).isEqualTo("no");
        assertThat(s.groups().get(2).commands().getFirst().text()).isEqualTo("logout");
    }

    @Test
    void pipelinedTagsAndMethodTwoReplies() throws Exception {
        ImaptestScript s = script("""
                state: auth

                tag1 status $mailbox (messages)
                tag2 status ${mailbox}2 (messages)
                * status $mailbox (messages 0)
                tag2 no
                tag1 ok [foo]

                select $mailbox
                ok [read-write]
                logout
                "" bye
                """);
        ImaptestScript.Group g = s.groups().getFirst();
        assertThat(g.commands()).hasSize(2);
        assertThat(ImapArg.render(g.commands().get(0).expectedReply())).isEqualTo("ok [foo]");
        assertThat(ImapArg.render(g.commands().get(1).expectedReply())).isEqualTo("no");
        assertThat(ImapArg.render(s.groups().get(1).commands().getFirst().expectedReply())).isEqualTo("ok [read-write]");
        assertThat(s.groups()).hasSize(3); // the script logs out itself: nothing added
    }

    @Test
    void multilineLiterals() throws Exception {
        ImaptestScript s = script("""
                state: created

                ok append $mailbox {{{
                Subject: a

                body
                }}} {{{
                x
                }}}
                * 1 fetch (body[] ~{{{
                a\r
                b
                }}})
                """);
        assertThat(s.groups().getFirst().commands().getFirst().text())
                .isEqualTo("append $mailbox {18}\r\nSubject: a\r\n\r\nbody {1}\r\nx");
        // literal8 lines keep their CR and get LF only (as imaptest's memchr-based reader)
        ImapArg body = ((ImapArg.ListArg) s.groups().getFirst().untagged().getFirst().args().get(2)).items().get(2);
        assertThat(body).isEqualTo(new ImapArg.Str("a\r\nb", true));
    }

    @Test
    void defaultDirectives() throws Exception {
        ImaptestScript s = script("""

                ok fetch 1 (uid flags)
                * 1 fetch (uid 1 flags (\\seen))
                * list () / foo
                * status foo (messages 1)
                * 1 fetch (flags ($!extra) envelope ($!unordered))
                """);
        List<ImaptestScript.Untagged> u = s.groups().getFirst().untagged();
        assertThat(ImapArg.render(u.get(0).args())).isEqualTo(
                "1 fetch ($!unordered=2 uid 1 flags ($!ignore=$HasNoAttachment $!ignore=$HasAttachment $!ignore=\\recent $!noextra $!unordered \\seen))");
        assertThat(ImapArg.render(u.get(1).args())).isEqualTo("list ($!unordered) / foo");
        assertThat(ImapArg.render(u.get(2).args())).isEqualTo("status foo ($!unordered=2 messages 1)");
        assertThat(ImapArg.render(u.get(3).args())).isEqualTo("1 fetch ($!unordered=2 flags ($!extra) envelope ($!unordered))");
    }

    @Test
    void ifenvBlocks() throws Exception {
        String text = """
                !ifenv HAVE_FOO
                ok foo
                !else
                ok bar
                !endif
                !ifnenv HAVE_FOO
                ok baz
                !endif
                """;
        assertThat(script("\n" + text, Map.of("HAVE_FOO", "1")).groups()).extracting(g -> g.commands().getFirst().text())
                .containsExactly("foo", "logout");
        assertThat(script("\n" + text).groups()).extracting(g -> g.commands().getFirst().text())
                .containsExactly("bar", "baz", "logout");
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> script("bogus: 1\n\nok noop\n")).hasMessageContaining("Unknown setting");
        assertThatThrownBy(() -> script("connections: 2\n\nok noop\n")).hasMessageContaining("Missing client index");
        assertThatThrownBy(() -> script("\nnoop\n")).hasMessageContaining("Missing reply");
        assertThatThrownBy(() -> script("\nok append {{{\nx\n")).hasMessageContaining("Multiline");
        assertThatThrownBy(() -> script("\nok noop\n!ifenv X\nok noop\n")).hasMessageContaining("!endif");
        assertThatThrownBy(() -> script("\nok noop\n* 1 fetch ($!unordered=2 uid)\n")).hasMessageContaining("chain size=2");
        assertThatThrownBy(() -> script("\nok noop\n* list ($!bogus)\n")).hasMessageContaining("Unknown directive");
        assertThatThrownBy(() -> script("\nok noop")).hasMessageContaining("LF");
    }

    @Test
    void mboxSplitsOnFromLinesWithCrlf() throws Exception {
        Path mbox = dir.resolve("m.mbox");
        Files.writeString(mbox, """
                From user@domain  Fri Feb 22 17:06:23 2008
                Subject: one

                From here on
                From user@domain  Sat Mar 24 23:00:00 2007 +0200
                Subject: two
                """, StandardCharsets.ISO_8859_1);
        MboxSource src = new MboxSource(mbox);
        assertThat(src.size()).isEqualTo(2);
        MboxSource.Message first = src.next();
        assertThat(first.data()).isEqualTo("Subject: one\r\n\r\nFrom here on\r\n");
        assertThat(first.internalDate()).isEqualTo("22-Feb-2008 17:06:23 +0000");
        assertThat(src.eof()).isFalse();
        assertThat(src.next().internalDate()).isEqualTo("24-Mar-2007 23:00:00 +0200");
        assertThat(src.eof()).isTrue();
        assertThat(src.next()).isEqualTo(first); // wraps around
    }
}
