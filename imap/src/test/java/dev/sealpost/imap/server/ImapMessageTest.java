package dev.sealpost.imap.server;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** APPEND / MULTIAPPEND, FETCH, STORE, SEARCH, SORT, THREAD, EXPUNGE, COPY / MOVE, CLOSE. */
class ImapMessageTest extends ImapTestBase {

    @Test
    void appendWithFlagsDateAndAppendUid() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            String m = message("hello", "body");
            byte[] b = m.getBytes();
            List<String> r = c.cmd("APPEND Drafts (\\Draft \\Seen) \" 5-Nov-2026 10:11:12 +0100\" {" + b.length + "+}\r\n" + m);
            assertThat(r.getLast()).matches("a2 OK \\[APPENDUID \\d+ 1\\] APPEND completed");
            assertThat(append(c, "Nope", null, m)).isEqualTo("a3 NO [TRYCREATE] No such mailbox");
            c.ok("SELECT Drafts");
            List<String> f = c.cmd("FETCH 1 (FLAGS INTERNALDATE RFC822.SIZE)");
            assertThat(f.getFirst()).isEqualTo("* 1 FETCH (FLAGS (\\Draft \\Recent \\Seen) INTERNALDATE \"05-Nov-2026 09:11:12 +0000\" RFC822.SIZE " + b.length + ")");
        }
    }

    @Test
    void multiAppendIsOneTransaction() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            String m1 = message("one", "1"), m2 = message("two", "2");
            String tag = c.nextTag();
            c.send(tag + " APPEND INBOX (\\Flagged) {" + m1.length() + "}");
            assertThat(c.readLine()).startsWith("+");
            c.sendRaw(m1.getBytes());
            c.send(" {" + m2.length() + "}");
            assertThat(c.readLine()).startsWith("+");
            c.sendRaw(m2.getBytes());
            c.send("");
            assertThat(c.until(tag).getLast()).matches("a2 OK \\[APPENDUID \\d+ 1:2\\] APPEND completed");
            assertThat(c.cmd("STATUS INBOX (MESSAGES)").getFirst()).isEqualTo("* STATUS \"INBOX\" (MESSAGES 2)");
        }
    }

    @Test
    void appendOverLimitIsRefusedBeforeTheLiteral() throws Exception {
        ImapServerConfig cfg = config(false, true);
        cfg = cfg.withLimits(cfg.limits().withSizes(8192, 4096, 1000));
        int port = start(cfg).port();
        try (ImapClient c = login(port, ALICE)) {
            c.send("a2 APPEND INBOX {5000}");
            assertThat(c.readLine()).startsWith("a2 NO [TOOBIG]");
            c.nextTag();
            assertThat(c.ok("NOOP")).isEqualTo("a3 OK NOOP completed");
            assertThat(c.cmd("CAPABILITY").getFirst()).contains("APPENDLIMIT=1000");
        }
    }

    @Test
    void fetchBodySetsSeenButPeekDoesNot() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            append(c, "INBOX", null, message("first", "Hello world"));
            append(c, "INBOX", null, message("second", "Bye"));
            c.ok("SELECT INBOX");
            List<String> peek = c.cmd("FETCH 1 (BODY.PEEK[HEADER.FIELDS (Subject)])");
            assertThat(peek.getFirst()).isEqualTo("* 1 FETCH (BODY[HEADER.FIELDS (Subject)] {18}\r\nSubject: first\r\n\r\n)");
            assertThat(c.cmd("FETCH 1 FLAGS").getFirst()).isEqualTo("* 1 FETCH (FLAGS (\\Recent))"); // RFC 3501 §2.3.2: this session selected it first
            List<String> body = c.cmd("FETCH 1 BODY[TEXT]");
            assertThat(body.getFirst()).isEqualTo("* 1 FETCH (BODY[TEXT] {13}\r\nHello world\r\n FLAGS (\\Recent \\Seen))");
            List<String> uid = c.cmd("UID FETCH 2 (FLAGS ENVELOPE)");
            assertThat(uid.getFirst()).startsWith("* 2 FETCH (UID 2 FLAGS (\\Recent) ENVELOPE (\"Mon, 23 Nov 2026 08:00:00 +0000\" \"second\"");
            assertThat(c.cmd("FETCH 1:* FAST")).hasSize(3);
            assertThat(c.ok("FETCH 3 FLAGS")).startsWith("a10 BAD");
            assertThat(c.cmd("UID FETCH 3:* UID").getFirst()).isEqualTo("* 2 FETCH (UID 2)"); // RFC 9051 §6.4.9: * is the largest UID
        }
    }

    @Test
    void storeFlagsAndSilent() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            append(c, "INBOX", null, message("a", "1"));
            append(c, "INBOX", null, message("b", "2"));
            c.ok("SELECT INBOX");
            // RFC 9051 §7.3.5: the new keyword is announced before the FETCH responses carry it
            assertThat(c.cmd("STORE 1:2 +FLAGS (\\Flagged $Work)")).containsExactly(
                    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work)",
                    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work \\*)] Flags permitted",
                    "* 1 FETCH (FLAGS (\\Recent \\Flagged $Work))", "* 2 FETCH (FLAGS (\\Recent \\Flagged $Work))", "a5 OK STORE completed");
            assertThat(c.cmd("STORE 1 -FLAGS.SILENT \\Flagged")).containsExactly("a6 OK STORE completed");
            assertThat(c.cmd("UID STORE 2 FLAGS (\\Answered)")).containsExactly("* 2 FETCH (UID 2 FLAGS (\\Recent \\Answered))", "a7 OK STORE completed");
            assertThat(c.cmd("FETCH 1 FLAGS").getFirst()).isEqualTo("* 1 FETCH (FLAGS (\\Recent $Work))");
            assertThat(c.ok("STORE 1 +FLAGS (\\Bogus)")).startsWith("a9 BAD");
        }
    }

    @Test
    void searchSortAndThread() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            append(c, "INBOX", null, message("zebra", "apples"));
            append(c, "INBOX", "\\Seen", message("alpha", "pears"));
            append(c, "INBOX", null, message("Re: zebra", "more apples"));
            c.ok("SELECT INBOX");
            assertThat(c.cmd("SEARCH UNSEEN")).containsExactly("* SEARCH 1 3", "a6 OK SEARCH completed");
            assertThat(c.cmd("UID SEARCH BODY apples")).containsExactly("* SEARCH 1 3", "a7 OK SEARCH completed");
            assertThat(c.cmd("SEARCH RETURN (MIN COUNT) SUBJECT zebra")).containsExactly("* ESEARCH (TAG \"a8\") MIN 1 COUNT 2", "a8 OK SEARCH completed");
            assertThat(c.cmd("SEARCH RETURN (SAVE) SEEN")).containsExactly("a9 OK SEARCH completed");
            assertThat(c.cmd("FETCH $ UID")).containsExactly("* 2 FETCH (UID 2)", "a10 OK FETCH completed");
            assertThat(c.cmd("SORT (SUBJECT) UTF-8 ALL")).containsExactly("* SORT 2 1 3", "a11 OK SORT completed");
            assertThat(c.cmd("THREAD ORDEREDSUBJECT UTF-8 ALL")).containsExactly("* THREAD (1 3)(2)", "a12 OK THREAD completed");
            assertThat(c.ok("SEARCH CHARSET KOI9 ALL")).startsWith("a13 NO [BADCHARSET");
        }
    }

    @Test
    void expungeCopyMoveAndClose() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            for (int i = 1; i <= 4; i++) append(c, "INBOX", null, message("m" + i, "x"));
            c.ok("CREATE Keep");
            c.ok("SELECT INBOX");
            c.ok("STORE 2 +FLAGS.SILENT \\Deleted");
            assertThat(c.cmd("EXPUNGE")).containsExactly("* 2 EXPUNGE", "a9 OK EXPUNGE completed");
            assertThat(c.cmd("COPY 1:2 Keep").getLast()).matches("a10 OK \\[COPYUID \\d+ 1,3 1:2\\] COPY completed");
            assertThat(c.ok("COPY 1 Missing")).isEqualTo("a11 NO [TRYCREATE] No such mailbox");
            List<String> mv = c.cmd("UID MOVE 3 Keep");
            assertThat(mv.get(0)).matches("\\* OK \\[COPYUID \\d+ 3 3\\] Moved");
            assertThat(mv.subList(1, mv.size())).containsExactly("* 2 EXPUNGE", "a12 OK MOVE completed");
            c.ok("UID STORE 4 +FLAGS.SILENT \\Deleted");
            assertThat(c.cmd("UID EXPUNGE 1")).containsExactly("a14 OK EXPUNGE completed"); // 1 is not \Deleted
            assertThat(c.ok("CLOSE")).isEqualTo("a15 OK CLOSE completed"); // expunges 4 silently
            assertThat(c.cmd("STATUS INBOX (MESSAGES)").getFirst()).isEqualTo("* STATUS \"INBOX\" (MESSAGES 1)");
            assertThat(c.cmd("STATUS Keep (MESSAGES)").getFirst()).isEqualTo("* STATUS \"Keep\" (MESSAGES 3)");
        }
    }

    @Test
    void expungeFromAnotherSessionIsDeferredDuringFetchAndSentOnNoop() throws Exception {
        int port = plainPort();
        try (ImapClient a = login(port, ALICE); ImapClient b = login(port, ALICE)) {
            for (int i = 1; i <= 3; i++) append(a, "INBOX", null, message("m" + i, "x"));
            a.ok("SELECT INBOX");
            b.ok("SELECT INBOX");
            b.ok("STORE 1 +FLAGS.SILENT \\Deleted");
            b.ok("EXPUNGE");
            append(b, "INBOX", null, message("m4", "x"));
            List<String> f = a.cmd("FETCH 1:* UID");
            // no EXPUNGE during FETCH (RFC 9051 §7.5.1); the new message is announced, the flag change too
            assertThat(f).noneMatch(l -> l.contains("EXPUNGE")).contains("* 4 EXISTS");
            assertThat(f.getLast()).endsWith("OK FETCH completed");
            List<String> n = a.cmd("NOOP");
            assertThat(n).containsExactly("* 1 EXPUNGE", "a7 OK NOOP completed");
            assertThat(a.cmd("FETCH 1:* UID")).containsExactly("* 1 FETCH (UID 2)", "* 2 FETCH (UID 3)", "* 3 FETCH (UID 4)", "a8 OK FETCH completed");
        }
    }

    @Test
    void imap4rev2ClientsGetEsearchAndUtf8Append() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            assertThat(c.cmd("ENABLE IMAP4rev2 UTF8=ACCEPT").getFirst()).isEqualTo("* ENABLED IMAP4rev2 UTF8=ACCEPT");
            c.ok("SELECT INBOX");
            String m = message("grüße", "hallo");
            byte[] b = m.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String tag = c.nextTag();
            c.send(tag + " APPEND INBOX UTF8 (~{" + b.length + "+}");
            c.sendRaw(b);
            c.send(")");
            List<String> r = c.until(tag);
            // the new message shows up in the selected mailbox before the tagged reply
            assertThat(r).contains("* 1 EXISTS");
            assertThat(r.getLast()).matches("a4 OK \\[APPENDUID \\d+ 1\\] APPEND completed");
            assertThat(c.cmd("SEARCH ALL")).containsExactly("* ESEARCH (TAG \"a5\") ALL 1", "a5 OK SEARCH completed");
            assertThat(c.cmd("UID SEARCH SUBJECT \"grüße\"").getFirst()).isEqualTo("* ESEARCH (TAG \"a6\") UID ALL 1");
        }
    }

    @Test
    void catenateBuildsMessagesFromTextAndUrls() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            assertThat(c.cmd("CAPABILITY").getFirst()).contains(" CATENATE");
            String first = "From: a@example.test\r\nSubject: base\r\n\r\nbase body\r\n";
            append(c, "INBOX", null, first);
            String uidValidity = c.cmd("STATUS INBOX (UIDVALIDITY)").getFirst().replaceAll("\\D", "");
            String t = "X: 1\r\n\r\n";
            // RFC 4469 §5: TEXT literals and URLs, several messages (MULTIAPPEND)
            List<String> r = c.cmd("APPEND INBOX (\\Seen) CATENATE (URL \"/INBOX;UIDVALIDITY=" + uidValidity + "/;UID=1/;SECTION=HEADER\" TEXT {7+}\r\n"
                    + "new\r\n\r\n) CATENATE (TEXT {" + t.length() + "+}\r\n" + t + " URL \"/INBOX/;UID=1/;SECTION=TEXT\""
                    + " URL \"/INBOX/;UID=1/;PARTIAL=0.4\")");
            assertThat(r.getLast()).matches("a\\d+ OK \\[APPENDUID \\d+ 2:3\\] APPEND completed");
            c.ok("SELECT INBOX");
            assertThat(c.cmd("FETCH 2 BODY.PEEK[]").getFirst())
                    .isEqualTo("* 2 FETCH (BODY[] {46}\r\nFrom: a@example.test\r\nSubject: base\r\n\r\nnew\r\n\r\n)");
            assertThat(c.cmd("FETCH 3 BODY.PEEK[]").getFirst()).isEqualTo("* 3 FETCH (BODY[] {23}\r\nX: 1\r\n\r\nbase body\r\nFrom)");
            assertThat(c.cmd("FETCH 2 FLAGS").getFirst()).contains("\\Seen");
            // a URL that does not resolve: NO [BADURL], nothing appended
            assertThat(c.ok("APPEND INBOX CATENATE (URL \"/INBOX;UIDVALIDITY=1/;UID=1\")"))
                    .matches("a\\d+ NO \\[BADURL /INBOX;UIDVALIDITY=1/;UID=1\\] .*");
            assertThat(c.ok("APPEND INBOX CATENATE (URL \"/INBOX/;UID=99\")")).contains("NO [BADURL");
            assertThat(c.ok("APPEND INBOX CATENATE (URL \"imap://other.example/INBOX/;UID=1\")")).contains("NO [BADURL");
            assertThat(c.ok("APPEND Nope CATENATE (URL \"/INBOX/;UID=1\")")).contains("NO [TRYCREATE]");
            assertThat(c.ok("APPEND INBOX CATENATE (TEXT \"quoted\")")).contains("BAD");
            assertThat(c.ok("APPEND INBOX CATENATE (BOGUS x)")).contains("BAD");
            assertThat(c.cmd("STATUS INBOX (MESSAGES)").getFirst()).isEqualTo("* STATUS \"INBOX\" (MESSAGES 3)");
        }
    }
}
