package dev.sealpost.imap.server;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** NOTIFY (RFC 5465): unsolicited STATUS and LIST between commands, and the selected mailbox's EXISTS. */
class ImapNotifyTest extends ImapTestBase {

    @Test
    void notifyReportsOtherMailboxesAndSelectedMailbox() throws Exception {
        int port = plainPort();
        try (ImapClient a = login(port, ALICE); ImapClient b = login(port, ALICE)) {
            assertThat(a.cmd("CAPABILITY").getFirst()).contains(" NOTIFY");
            a.ok("SELECT INBOX");
            List<String> set = a.cmd("NOTIFY SET (SELECTED (MessageNew MessageExpunge)) (PERSONAL (MessageNew MessageExpunge MailboxName))");
            assertThat(set.getLast()).isEqualTo("a4 OK NOTIFY completed");
            append(b, "Drafts", null, message("draft", "x"));
            assertThat(a.readLine()).matches("\\* STATUS \"Drafts\" \\(MESSAGES 1 UIDNEXT 2 UIDVALIDITY \\d+ UNSEEN 1\\)");
            append(b, "INBOX", null, message("new", "y"));
            assertThat(a.readLine()).isEqualTo("* 1 EXISTS");
            assertThat(a.readLine()).isEqualTo("* 1 RECENT");
            b.ok("CREATE Projects");
            assertThat(a.readLine()).isEqualTo("* LIST () \"/\" \"Projects\"");
            b.ok("DELETE Projects");
            assertThat(a.readLine()).isEqualTo("* LIST (\\NonExistent) \"/\" \"Projects\"");
            assertThat(a.ok("NOTIFY NONE")).isEqualTo("a5 OK NOTIFY completed");
            assertThat(a.ok("NOTIFY SET (PERSONAL (AnnotationChange))")).startsWith("a6 NO [BADEVENT");
            assertThat(a.ok("NOTIFY SET (PERSONAL (MessageNew))")).startsWith("a7 BAD");
        }
    }

    @Test
    void notifySetStatusSendsCurrentStatus() throws Exception {
        int port = plainPort();
        try (ImapClient a = login(port, ALICE)) {
            List<String> r = a.cmd("NOTIFY SET STATUS (MAILBOXES (INBOX Sent) (MessageNew MessageExpunge))");
            assertThat(r).hasSize(3);
            assertThat(r.get(0)).startsWith("* STATUS \"INBOX\" (MESSAGES 0 UIDNEXT 1");
            assertThat(r.get(1)).startsWith("* STATUS \"Sent\" (MESSAGES 0");
        }
    }
}
