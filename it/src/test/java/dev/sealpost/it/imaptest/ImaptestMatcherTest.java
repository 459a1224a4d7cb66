package dev.sealpost.it.imaptest;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The matching rules of imaptest's test-exec.c, one by one. */
class ImaptestMatcherTest {
    private final ImaptestMatcher m = new ImaptestMatcher();

    /** An expected untagged line (with imaptest's default directives) against a server reply. */
    private boolean untagged(String expected, String reply) {
        List<ImapArg> exp = new ArrayList<>(ImapArg.parse(expected, false));
        String first = ImapArg.atom(exp.getFirst());
        String name = first != null && (first.startsWith("$") || Character.isDigit(first.charAt(0))) ? ImapArg.atom(exp.get(1)) : first;
        Directives.addDefaults(exp, name);
        boolean ok = m.matchArgs(exp, 0, ImapArg.parse(reply, true), 0, ImaptestMatcher.MATCH,
                List.of("OK", "NO", "BAD", "BYE").contains(first.toUpperCase())) == ImaptestMatcher.MATCH;
        if (ok) m.keep();
        else m.revert();
        return ok;
    }

    private boolean tagged(String expected, String reply) {
        return m.matchArgs(ImapArg.parse(expected, false), 0, ImapArg.parse(reply, true), 0, ImaptestMatcher.MATCH, true)
                == ImaptestMatcher.MATCH;
    }

    @Test
    void parserFollowsDovecotsAllCharsAtoms() {
        assertThat(ImapArg.parse("1 FETCH (BODY[HEADER.FIELDS (FROM)] {3}\r\nabc UID 4)", true)).containsExactly(
                new ImapArg.Atom("1"), new ImapArg.Atom("FETCH"), new ImapArg.ListArg(List.of(
                        new ImapArg.Atom("BODY[HEADER.FIELDS"), new ImapArg.ListArg(List.of(new ImapArg.Atom("FROM"))),
                        new ImapArg.Atom("]"), new ImapArg.Str("abc", true), new ImapArg.Atom("UID"), new ImapArg.Atom("4"))));
        assertThat(ImapArg.parse("nil \"a\\\"b\" ~foo a)b", false)).containsExactly(
                new ImapArg.Nil(), new ImapArg.Str("a\"b", false), new ImapArg.Atom("~foo"), new ImapArg.Atom("a)b"));
        assertThatThrownBy(() -> ImapArg.parse("(a", false)).hasMessageContaining("Missing ')'");
        assertThat(ImapArg.parse("OK \"unterminated", true)).hasSize(2);
    }

    @Test
    void caseInsensitiveWithCaseEscape() {
        assertThat(untagged("1 exists", "1 EXISTS")).isTrue();
        assertThat(untagged("list () / ${case:INBOX}", "LIST () \"/\" INBOX")).isTrue();
        assertThat(untagged("list () / ${case:INBOX}", "LIST () \"/\" Inbox")).isFalse();
        assertThat(untagged("search 1 2", "SEARCH 1 2 3")).isFalse(); // extra arguments
    }

    @Test
    void variablesBindThenMustMatch() {
        assertThat(untagged("1 fetch (uid $uid1)", "1 FETCH (UID 17)")).isTrue();
        assertThat(m.vars).containsEntry("uid1", "17");
        assertThat(untagged("search $uid1", "SEARCH 17")).isTrue();
        assertThat(untagged("search $uid1", "SEARCH 18")).isFalse();
        // bound by a part of an argument, up to the next pattern character
        assertThat(untagged("ok [uidvalidity $uidv]", "OK [UIDVALIDITY 1234] UIDs valid")).isTrue();
        assertThat(m.vars).containsEntry("uidv", "1234");
        assertThat(untagged("search $a:$b", "SEARCH 3:9")).isTrue();
        assertThat(m.vars).containsEntry("a", "3").containsEntry("b", "9");
    }

    @Test
    void failedMatchRevertsItsVariables() {
        assertThat(untagged("1 fetch (uid $u flags (\\seen))", "1 FETCH (UID 5 FLAGS ())")).isFalse();
        assertThat(m.vars).doesNotContainKey("u");
    }

    @Test
    void dollarIsAWildcardAlsoForLists() {
        assertThat(untagged("1 fetch (uid $ flags $)", "1 FETCH (UID 5 FLAGS (\\Seen))")).isTrue();
        assertThat(untagged("search $", "SEARCH")).isFalse(); // nothing to match
        assertThat(untagged("ok [capability $]", "OK [CAPABILITY IMAP4rev1 IDLE] done")).isTrue();
        assertThat(untagged("1 fetch (uid 1 body[] $)", "1 FETCH (UID 1 BODY[] NIL)")).isFalse(); // NIL is not a string
        assertThat(m.vars).isEmpty();
    }

    @Test
    void fetchListsAreUnorderedPairsAndFlagsIgnoreRecent() {
        assertThat(untagged("1 fetch (uid 5 flags (\\seen \\flagged))", "1 FETCH (FLAGS (\\Flagged \\Recent \\Seen) UID 5 RFC822.SIZE 9)")).isTrue();
        assertThat(untagged("1 fetch (flags (\\seen))", "1 FETCH (FLAGS (\\Seen \\Deleted))")).isFalse(); // noextra
        assertThat(untagged("1 fetch (flags ($!extra \\seen))", "1 FETCH (FLAGS (\\Seen \\Deleted))")).isFalse(); // ordered now
        assertThat(untagged("1 fetch (flags ($!unordered \\seen))", "1 FETCH (FLAGS (\\Deleted \\Seen))")).isTrue();
        assertThat(untagged("1 fetch (flags ())", "1 FETCH (FLAGS (\\Recent))")).isTrue();
        assertThat(untagged("list () / x", "LIST (\\HasNoChildren) \"/\" x")).isTrue(); // unordered allows extra
        assertThat(untagged("list ($!unordered $!ban=\\noselect) / x", "LIST (\\Noselect) \"/\" x")).isFalse();
        assertThat(untagged("list ($!unordered $!noextra $!ignore=\\marked) / x", "LIST (\\Marked) \"/\" x")).isTrue();
        assertThat(untagged("status x (messages 1 unseen 0)", "STATUS x (UNSEEN 0 RECENT 0 MESSAGES 1)")).isTrue();
    }

    @Test
    void taggedRepliesArePrefixes() {
        assertThat(tagged("ok", "OK [READ-WRITE] Select completed (0.001 + 0.000 secs).")).isTrue();
        assertThat(tagged("ok [read-write]", "OK [READ-WRITE] Select completed.")).isTrue();
        assertThat(tagged("no [trycreate]", "NO [TRYCREATE] Mailbox doesn't exist")).isTrue();
        assertThat(tagged("no", "OK done")).isFalse();
        assertThat(tagged("\"\"", "NO whatever")).isTrue();
    }

    @Test
    void sequenceMappingFollowsExpunges() throws Exception {
        m.resetSeqmap(5);
        assertThat(m.expandAll("fetch $2,$4 flags", false)).isEqualTo("fetch 2,4 flags");
        m.expunge(2);
        assertThat(m.expandAll("fetch $1,$2,$3,$4", false)).isEqualTo("fetch 1,<expunged>,2,3");
        assertThat(untagged("$4 fetch (flags ())", "3 FETCH (FLAGS ())")).isTrue();
        assertThat(m.expandAll("$9 $0", false)).isEqualTo("<out of range> <zero seq>");
    }

    @Test
    void commandExpansion() throws Exception {
        m.vars.put("mailbox", "imaptest");
        assertThat(m.expandAll("create ${mailbox}2 $$x", false)).isEqualTo("create imaptest2 $x");
        assertThatThrownBy(() -> m.expandAll("select $nothere", false)).hasMessageContaining("nothere");
        assertThat(m.expandAll("x $nothere", true)).isEqualTo("x $");
    }

    @Test
    void modseqsMustIncrease() {
        assertThat(untagged("1 fetch (modseq ($modseq2))", "1 FETCH (MODSEQ (10))")).isTrue();
        assertThat(untagged("1 fetch (modseq ($modseq5))", "1 FETCH (MODSEQ (13))")).isTrue();
        assertThat(untagged("1 fetch (modseq ($modseq6))", "1 FETCH (MODSEQ (13))")).isFalse(); // needs >= 14
        ImaptestMatcher fresh = new ImaptestMatcher();
        boolean[] icase = {true};
        assertThat(fresh.expandInput("$modseq2", "1", icase)).isNull(); // must be at least 2
    }
}
