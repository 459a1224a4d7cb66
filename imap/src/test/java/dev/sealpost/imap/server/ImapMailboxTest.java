package dev.sealpost.imap.server;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** CREATE (with USE), DELETE, RENAME, SUBSCRIBE, LIST (basic and extended), LSUB, STATUS, NAMESPACE, SELECT/EXAMINE. */
class ImapMailboxTest extends ImapTestBase {

    @Test
    void createListRenameDelete() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            assertThat(c.ok("CREATE Work/Projects")).isEqualTo("a2 OK CREATE completed");
            assertThat(c.ok("CREATE Work")).startsWith("a3 NO [ALREADYEXISTS]");
            assertThat(c.ok("CREATE Starred (USE (\\Flagged))")).isEqualTo("a4 OK CREATE completed");
            List<String> all = c.cmd("LIST \"\" *");
            assertThat(all).containsExactly(
                    "* LIST (\\HasNoChildren) \"/\" \"INBOX\"",
                    "* LIST (\\HasNoChildren \\Archive) \"/\" \"Archive\"",
                    "* LIST (\\HasNoChildren \\Drafts) \"/\" \"Drafts\"",
                    "* LIST (\\HasNoChildren \\Junk) \"/\" \"Junk\"",
                    "* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent\"",
                    "* LIST (\\HasNoChildren \\Flagged) \"/\" \"Starred\"",
                    "* LIST (\\HasNoChildren \\Trash) \"/\" \"Trash\"",
                    "* LIST (\\HasChildren) \"/\" \"Work\"",
                    "* LIST (\\HasNoChildren) \"/\" \"Work/Projects\"",
                    "a5 OK LIST completed");
            assertThat(c.cmd("LIST \"\" %")).hasSize(9).doesNotContain("* LIST (\\HasNoChildren) \"/\" \"Work/Projects\"");
            assertThat(c.cmd("LIST Work/ %")).containsExactly("* LIST (\\HasNoChildren) \"/\" \"Work/Projects\"", "a7 OK LIST completed");
            assertThat(c.cmd("LIST \"\" \"\"")).containsExactly("* LIST (\\Noselect) \"/\" \"\"", "a8 OK LIST completed");
            assertThat(c.cmd("LIST \"\" inbox").getFirst()).isEqualTo("* LIST (\\HasNoChildren) \"/\" \"INBOX\"");
            assertThat(c.ok("RENAME Work Job")).isEqualTo("a10 OK RENAME completed");
            assertThat(c.cmd("LIST \"\" Job/*")).containsExactly("* LIST (\\HasNoChildren) \"/\" \"Job/Projects\"", "a11 OK LIST completed");
            assertThat(c.ok("RENAME Nope Other")).startsWith("a12 NO [NONEXISTENT]");
            assertThat(c.ok("DELETE Job/Projects")).isEqualTo("a13 OK DELETE completed");
            assertThat(c.ok("DELETE Job/Projects")).startsWith("a14 NO [NONEXISTENT]");
            assertThat(c.ok("DELETE INBOX")).startsWith("a15 NO");
        }
    }

    @Test
    void internationalNamesUseModifiedUtf7UnlessUtf8Accept() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            assertThat(c.ok("CREATE \"Entw&APw-rfe\"")).endsWith("OK CREATE completed"); // "Entwürfe"
            assertThat(c.cmd("LIST \"\" Entw*").getFirst()).isEqualTo("* LIST (\\HasNoChildren) \"/\" \"Entw&APw-rfe\"");
            assertThat(c.ok("CREATE \"Bad&Jjo\"")).startsWith("a4 NO [CANNOT]"); // RFC 3501 §5.1.3: an astring, so not BAD
            assertThat(c.cmd("ENABLE UTF8=ACCEPT").getFirst()).isEqualTo("* ENABLED UTF8=ACCEPT");
            assertThat(c.cmd("LIST \"\" Entw*").getFirst()).isEqualTo("* LIST (\\HasNoChildren) \"/\" {9}\r\nEntwürfe");
        }
    }

    @Test
    void subscriptionsLsubAndListExtended() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            c.ok("CREATE Lists/Java");
            c.ok("CREATE Other");
            assertThat(c.ok("SUBSCRIBE Lists/Java")).isEqualTo("a4 OK SUBSCRIBE completed");
            assertThat(c.ok("SUBSCRIBE INBOX")).isEqualTo("a5 OK SUBSCRIBE completed");
            assertThat(c.cmd("LSUB \"\" *")).contains("* LSUB () \"/\" \"INBOX\"", "* LSUB () \"/\" \"Lists/Java\"")
                    .doesNotContain("* LSUB () \"/\" \"Other\"");
            assertThat(c.cmd("LIST (SUBSCRIBED) \"\" (INBOX L*)")).containsExactly(
                    "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"INBOX\"",
                    "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"Lists/Java\"",
                    "a7 OK LIST completed");
            assertThat(c.cmd("LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (INBOX L%)")).containsExactly(
                    "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"INBOX\"",
                    "* LIST (\\HasChildren) \"/\" \"Lists\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
                    "a8 OK LIST completed");
            assertThat(c.cmd("LIST (SPECIAL-USE) \"\" S*")).containsExactly("* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent\"", "a9 OK LIST completed");
            List<String> st = c.cmd("LIST \"\" (INBOX Other) RETURN (SUBSCRIBED STATUS (MESSAGES UIDNEXT))");
            assertThat(st).containsExactly(
                    "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"INBOX\"",
                    "* STATUS \"INBOX\" (MESSAGES 0 UIDNEXT 1)",
                    "* LIST (\\HasNoChildren) \"/\" \"Other\"",
                    "* STATUS \"Other\" (MESSAGES 0 UIDNEXT 1)",
                    "a10 OK LIST completed");
            c.ok("UNSUBSCRIBE Lists/Java");
            assertThat(c.cmd("LSUB \"\" L*")).containsExactly("a12 OK LSUB completed");
            assertThat(c.ok("LIST (RECURSIVEMATCH) \"\" *")).startsWith("a13 BAD");
        }
    }

    @Test
    void statusAndNamespace() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            append(c, "INBOX", "\\Seen", message("one", "hello"));
            append(c, "INBOX", "\\Deleted", message("two", "world"));
            List<String> st = c.cmd("STATUS INBOX (MESSAGES UNSEEN DELETED UIDNEXT RECENT)");
            assertThat(st.getFirst()).isEqualTo("* STATUS \"INBOX\" (MESSAGES 2 UNSEEN 1 DELETED 1 UIDNEXT 3 RECENT 2)"); // nobody selected INBOX yet
            assertThat(c.cmd("STATUS INBOX (SIZE UIDVALIDITY HIGHESTMODSEQ)").getFirst()).matches("\\* STATUS \"INBOX\" \\(SIZE \\d+ UIDVALIDITY \\d+ HIGHESTMODSEQ \\d+\\)");
            assertThat(c.ok("STATUS Nope (MESSAGES)")).startsWith("a6 NO [NONEXISTENT]");
            assertThat(c.ok("STATUS INBOX (BOGUS)")).startsWith("a7 BAD");
            assertThat(c.cmd("NAMESPACE").getFirst()).isEqualTo("* NAMESPACE ((\"\" \"/\")) ((\"Other Users/\" \"/\")) NIL");
        }
    }

    @Test
    void selectAndExamine() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            append(c, "INBOX", "\\Seen", message("one", "hello"));
            append(c, "INBOX", "$Important", message("two", "world"));
            List<String> sel = c.cmd("SELECT INBOX");
            assertThat(sel).contains("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Important)", "* 2 EXISTS", "* 2 RECENT",
                    "* OK [UNSEEN 2] First unseen", "* OK [UIDNEXT 3] Predicted next UID",
                    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Important \\*)] Flags permitted");
            assertThat(sel).anyMatch(l -> l.matches("\\* OK \\[UIDVALIDITY \\d+\\] UIDs valid"));
            assertThat(sel.getLast()).isEqualTo("a4 OK [READ-WRITE] SELECT completed");
            List<String> ex = c.cmd("EXAMINE INBOX");
            assertThat(ex).contains("* OK [PERMANENTFLAGS ()] No permanent flags permitted");
            assertThat(ex.getLast()).isEqualTo("a5 OK [READ-ONLY] EXAMINE completed");
            assertThat(c.ok("STORE 1 +FLAGS \\Flagged")).startsWith("a6 NO [READ-ONLY]");
            assertThat(c.ok("SELECT Nope")).startsWith("a7 NO [NONEXISTENT]");
            assertThat(c.ok("FETCH 1 FLAGS")).startsWith("a8 BAD"); // the failed SELECT left no mailbox selected
            // IMAP4rev2 mode: no RECENT, a LIST response, CLOSED when switching
            assertThat(c.cmd("ENABLE IMAP4rev2").getFirst()).isEqualTo("* ENABLED IMAP4rev2");
            c.ok("SELECT INBOX");
            List<String> rev2 = c.cmd("SELECT INBOX");
            assertThat(rev2.getFirst()).isEqualTo("* OK [CLOSED] Previous mailbox closed");
            assertThat(rev2).contains("* LIST (\\HasNoChildren) \"/\" \"INBOX\"").noneMatch(l -> l.contains("RECENT"));
            assertThat(c.ok("UNSELECT")).isEqualTo("a12 OK UNSELECT completed");
            assertThat(c.ok("UNSELECT")).startsWith("a13 BAD");
        }
    }

    @Test
    void recentBelongsToTheFirstSessionThatSelects() throws Exception {
        int port = plainPort();
        try (ImapClient a = login(port, ALICE); ImapClient b = login(port, ALICE); ImapClient c = login(port, ALICE)) {
            append(a, "INBOX", null, message("one", "1"));
            // RFC 3501 §6.3.2: EXAMINE shows \Recent without claiming it
            assertThat(b.cmd("EXAMINE INBOX")).contains("* 1 RECENT");
            assertThat(b.cmd("STATUS INBOX (RECENT)").getFirst()).isEqualTo("* STATUS \"INBOX\" (RECENT 1)");
            assertThat(b.cmd("SELECT INBOX")).contains("* 1 EXISTS", "* 1 RECENT");
            assertThat(b.cmd("FETCH 1 FLAGS").getFirst()).isEqualTo("* 1 FETCH (FLAGS (\\Recent))");
            assertThat(b.cmd("SEARCH NEW").getFirst()).isEqualTo("* SEARCH 1");
            assertThat(b.cmd("SEARCH OLD").getFirst()).isEqualTo("* SEARCH");
            // claimed by b: another session sees it as old
            assertThat(c.cmd("SELECT INBOX")).contains("* 1 EXISTS", "* 0 RECENT");
            assertThat(c.cmd("FETCH 1 FLAGS").getFirst()).isEqualTo("* 1 FETCH (FLAGS ())");
            assertThat(c.cmd("STATUS INBOX (RECENT)").getFirst()).isEqualTo("* STATUS \"INBOX\" (RECENT 0)");
            // a new message: the first read-write session that looks gets it
            append(a, "INBOX", "\\Seen", message("two", "2"));
            assertThat(c.cmd("NOOP")).containsExactly("* 2 EXISTS", "* 1 RECENT", "a5 OK NOOP completed");
            assertThat(c.cmd("SEARCH RECENT").getFirst()).isEqualTo("* SEARCH 2");
            assertThat(c.cmd("SEARCH NEW").getFirst()).isEqualTo("* SEARCH"); // seen
            assertThat(b.cmd("NOOP")).contains("* 2 EXISTS", "* 1 RECENT");
            assertThat(b.cmd("FETCH 2 FLAGS").getFirst()).isEqualTo("* 2 FETCH (FLAGS (\\Seen))");
            // IMAP4rev2 sessions never see \Recent (RFC 9051 §E.1)
            assertThat(a.cmd("ENABLE IMAP4rev2").getFirst()).isEqualTo("* ENABLED IMAP4rev2");
            append(b, "INBOX", null, message("three", "3"));
            assertThat(a.cmd("SELECT INBOX")).noneMatch(l -> l.contains("RECENT"));
            assertThat(a.cmd("FETCH 3 FLAGS").getFirst()).isEqualTo("* 3 FETCH (FLAGS ())");
        }
    }
}
