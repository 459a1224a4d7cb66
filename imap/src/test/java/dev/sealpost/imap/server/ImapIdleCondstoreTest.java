package dev.sealpost.imap.server;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** IDLE with a concurrent session's changes, CONDSTORE (MODSEQ, UNCHANGEDSINCE, CHANGEDSINCE) and QRESYNC. */
class ImapIdleCondstoreTest extends ImapTestBase {

    @Test
    void idleReportsAnotherSessionsAppendAndFlagChange() throws Exception {
        int port = plainPort();
        try (ImapClient a = login(port, ALICE); ImapClient b = login(port, ALICE)) {
            append(b, "INBOX", null, message("first", "x"));
            a.ok("SELECT INBOX");
            a.send("i1 IDLE");
            assertThat(a.readLine()).isEqualTo("+ idling");
            append(b, "INBOX", null, message("second", "y"));
            assertThat(a.readLine()).isEqualTo("* 2 EXISTS");
            assertThat(a.readLine()).isEqualTo("* 2 RECENT"); // RFC 3501 §7.3.2: a saw both first
            b.ok("SELECT INBOX");
            b.ok("STORE 1 +FLAGS.SILENT \\Flagged");
            assertThat(a.readLine()).isEqualTo("* 1 FETCH (UID 1 FLAGS (\\Recent \\Flagged))");
            b.ok("STORE 2 +FLAGS.SILENT \\Deleted");
            b.ok("EXPUNGE");
            assertThat(a.readLine()).isEqualTo("* 2 FETCH (UID 2 FLAGS (\\Recent \\Deleted))");
            assertThat(a.readLine()).isEqualTo("* 2 EXPUNGE");
            a.send("DONE");
            assertThat(a.until("i1").getLast()).isEqualTo("i1 OK IDLE terminated");
            assertThat(a.ok("NOOP")).isEqualTo("a3 OK NOOP completed");
        }
    }

    @Test
    void condstoreModSeqAndConditionalStore() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            append(c, "INBOX", null, message("a", "1"));
            append(c, "INBOX", null, message("b", "2"));
            assertThat(c.cmd("ENABLE CONDSTORE").getFirst()).isEqualTo("* ENABLED CONDSTORE");
            List<String> sel = c.cmd("SELECT INBOX");
            String hm = sel.stream().filter(l -> l.startsWith("* OK [HIGHESTMODSEQ ")).findFirst().orElseThrow();
            long highest = Long.parseLong(hm.replaceAll("\\D+", " ").trim().split(" ")[0]);
            List<String> f = c.cmd("FETCH 1:2 (MODSEQ)");
            assertThat(f.get(0)).matches("\\* 1 FETCH \\(MODSEQ \\(\\d+\\)\\)");
            long m1 = Long.parseLong(f.get(0).replaceAll(".*MODSEQ \\((\\d+)\\).*", "$1"));
            // change message 2 so that its MODSEQ is above m1
            c.ok("STORE 2 +FLAGS.SILENT \\Seen");
            List<String> cond = c.cmd("STORE 1:2 (UNCHANGEDSINCE " + m1 + ") +FLAGS (\\Flagged)");
            assertThat(cond.getFirst()).matches("\\* 1 FETCH \\(FLAGS \\(\\\\Recent \\\\Flagged\\) MODSEQ \\(\\d+\\)\\)");
            assertThat(cond.getLast()).isEqualTo("a8 OK [MODIFIED 2] Conditional STORE failed");
            List<String> changed = c.cmd("FETCH 1:* (FLAGS) (CHANGEDSINCE " + highest + ")");
            assertThat(changed).hasSize(3);
            assertThat(c.cmd("SEARCH MODSEQ " + (highest + 1)).getFirst()).matches("\\* SEARCH 1 2 \\(MODSEQ \\d+\\)");
        }
    }

    @Test
    void qresyncSelectReportsVanishedAndChanged() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            for (int i = 1; i <= 3; i++) append(c, "INBOX", null, message("m" + i, "x"));
            c.cmd("ENABLE QRESYNC");
            List<String> sel = c.cmd("SELECT INBOX");
            long uv = Long.parseLong(sel.stream().filter(l -> l.startsWith("* OK [UIDVALIDITY ")).findFirst().orElseThrow().replaceAll("\\D", ""));
            long hm = Long.parseLong(sel.stream().filter(l -> l.startsWith("* OK [HIGHESTMODSEQ ")).findFirst().orElseThrow().replaceAll("\\D", ""));
            c.ok("STORE 1 +FLAGS.SILENT \\Deleted");
            assertThat(c.cmd("EXPUNGE")).contains("* VANISHED 1"); // QRESYNC: VANISHED instead of EXPUNGE
            c.ok("STORE 1 +FLAGS.SILENT \\Seen"); // now UID 2
            c.ok("UNSELECT");
            List<String> re = c.cmd("SELECT INBOX (QRESYNC (" + uv + " " + hm + " 1:3))");
            assertThat(re).contains("* VANISHED (EARLIER) 1");
            assertThat(re).anyMatch(l -> l.matches("\\* 1 FETCH \\(UID 2 FLAGS \\(\\\\Seen\\) MODSEQ \\(\\d+\\)\\)"));
            assertThat(re.getLast()).endsWith("OK [READ-WRITE] SELECT completed");
            List<String> v = c.cmd("UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + hm + " VANISHED)");
            assertThat(v.getFirst()).isEqualTo("* VANISHED (EARLIER) 1");
        }
    }
}
