package dev.sealpost.imap.server;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 5267 CONTEXT=SEARCH and CONTEXT=SORT: RETURN (UPDATE), ADDTO / REMOVEFROM, CANCELUPDATE. */
class ImapSearchContextTest extends ImapTestBase {

    private static String tagOf(List<String> lines) {
        return lines.getLast().substring(0, lines.getLast().indexOf(' '));
    }

    @Test
    void searchResultIsKeptUpToDate() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE); ImapClient other = login(port, ALICE)) {
            assertThat(c.cmd("CAPABILITY").getFirst()).contains(" CONTEXT=SEARCH", " CONTEXT=SORT");
            for (String s : List.of("one", "two", "three")) append(c, "INBOX", null, message(s, s));
            c.ok("SELECT INBOX");
            List<String> search = c.cmd("SEARCH RETURN (UPDATE ALL) SEEN");
            String t = tagOf(search);
            assertThat(search).containsExactly("* ESEARCH (TAG \"" + t + "\")", t + " OK SEARCH completed");
            // our own flag change
            assertThat(c.cmd("STORE 1,3 +FLAGS.SILENT (\\Seen)")).contains("* ESEARCH (TAG \"" + t + "\") ADDTO (0 1,3)");
            // another session's new message
            append(other, "INBOX", "\\Seen", message("four", "4"));
            assertThat(c.cmd("NOOP")).contains("* 4 EXISTS", "* ESEARCH (TAG \"" + t + "\") ADDTO (0 4)");
            // expunge: removed, numbered as before the expunge, before the EXPUNGE response
            c.ok("STORE 3 +FLAGS.SILENT (\\Deleted)");
            List<String> ex = c.cmd("EXPUNGE");
            assertThat(ex).containsSubsequence("* ESEARCH (TAG \"" + t + "\") REMOVEFROM (0 3)", "* 3 EXPUNGE");
            assertThat(c.cmd("STORE 1 -FLAGS.SILENT (\\Seen)")).contains("* ESEARCH (TAG \"" + t + "\") REMOVEFROM (0 1)");
            // nothing changed: nothing sent
            assertThat(c.cmd("NOOP")).noneMatch(l -> l.contains("ESEARCH"));
            assertThat(c.ok("CANCELUPDATE \"" + t + "\"")).endsWith("OK CANCELUPDATE completed");
            assertThat(c.cmd("STORE 1 +FLAGS.SILENT (\\Seen)")).noneMatch(l -> l.contains("ESEARCH"));
            assertThat(c.ok("CANCELUPDATE \"" + t + "\"")).contains(" NO ");
        }
    }

    @Test
    void sortResultUpdatesCarryPositions() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE); ImapClient other = login(port, ALICE)) {
            for (String s : List.of("bravo", "delta", "alpha")) append(c, "INBOX", null, message(s, s));
            c.ok("SELECT INBOX");
            List<String> sort = c.cmd("UID SORT RETURN (UPDATE ALL) (SUBJECT) UTF-8 ALL");
            String t = tagOf(sort);
            assertThat(sort.getFirst()).isEqualTo("* ESEARCH (TAG \"" + t + "\") UID ALL 3,1:2");
            append(other, "INBOX", null, message("charlie", "c"));
            // alpha bravo charlie delta: the new UID 4 is third
            assertThat(c.cmd("NOOP")).contains("* ESEARCH (TAG \"" + t + "\") UID ADDTO (3 4)");
            c.ok("UID STORE 1 +FLAGS.SILENT (\\Deleted)");
            assertThat(c.cmd("EXPUNGE")).contains("* ESEARCH (TAG \"" + t + "\") UID REMOVEFROM (2 1)");
            // a new SELECT ends the context
            c.ok("SELECT INBOX");
            append(other, "INBOX", null, message("echo", "e"));
            assertThat(c.cmd("NOOP")).noneMatch(l -> l.contains("ESEARCH"));
        }
    }

    @Test
    void tooManyContextsAreRefused() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            append(c, "INBOX", null, message("one", "1"));
            c.ok("SELECT INBOX");
            for (int i = 0; i < SearchCommands.MAX_UPDATE_CONTEXTS; i++) {
                assertThat(c.ok("SEARCH RETURN (UPDATE) ALL")).endsWith("OK SEARCH completed");
            }
            assertThat(c.ok("SEARCH RETURN (UPDATE) ALL")).contains("NO [NOUPDATE");
        }
    }
}
