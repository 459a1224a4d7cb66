package dev.sealpost.imap.server;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** QUOTA (RFC 9208), METADATA (RFC 5464) and ACL sharing between two accounts (RFC 4314). */
class ImapQuotaMetadataAclTest extends ImapTestBase {

    @Test
    void quotaRootAndOverQuota() throws Exception {
        store.directory().setQuota(ALICE, 4096);
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            assertThat(c.cmd("GETQUOTAROOT INBOX")).containsExactly("* QUOTAROOT \"INBOX\" \"\"", "* QUOTA \"\" (STORAGE 0 4)",
                    "a2 OK GETQUOTAROOT completed");
            assertThat(append(c, "INBOX", null, message("small", "x"))).contains("OK [APPENDUID");
            assertThat(c.cmd("GETQUOTA \"\"").getFirst()).isEqualTo("* QUOTA \"\" (STORAGE 1 4)");
            assertThat(append(c, "INBOX", null, message("big", "y".repeat(5000)))).isEqualTo("a5 NO [OVERQUOTA] Quota exceeded");
            assertThat(c.ok("GETQUOTA other")).startsWith("a6 NO");
            assertThat(c.ok("SETQUOTA \"\" (STORAGE 100)")).startsWith("a7 NO");
        }
    }

    @Test
    void metadataServerAndMailboxEntries() throws Exception {
        int port = plainPort();
        try (ImapClient c = login(port, ALICE)) {
            assertThat(c.ok("SETMETADATA INBOX (/private/comment \"my inbox\" /shared/comment \"shared note\")"))
                    .isEqualTo("a2 OK SETMETADATA completed");
            assertThat(c.cmd("GETMETADATA INBOX /private/comment")).containsExactly(
                    "* METADATA \"INBOX\" (\"/private/comment\" \"my inbox\")", "a3 OK GETMETADATA completed");
            assertThat(c.cmd("GETMETADATA INBOX (/private/comment /shared/comment)").getFirst()).isEqualTo(
                    "* METADATA \"INBOX\" (\"/private/comment\" \"my inbox\" \"/shared/comment\" \"shared note\")");
            c.ok("SETMETADATA \"\" (/private/vendor/x/a \"1\" /private/vendor/x/a/b \"2\")");
            assertThat(c.cmd("GETMETADATA (DEPTH 1) \"\" /private/vendor/x").getFirst())
                    .isEqualTo("* METADATA \"\" (\"/private/vendor/x/a\" \"1\")");
            assertThat(c.cmd("GETMETADATA (DEPTH infinity) \"\" /private/vendor").getFirst())
                    .isEqualTo("* METADATA \"\" (\"/private/vendor/x/a\" \"1\" \"/private/vendor/x/a/b\" \"2\")");
            assertThat(c.cmd("GETMETADATA (MAXSIZE 3) INBOX /private/comment")).containsExactly("a8 OK [METADATA LONGENTRIES 8] GETMETADATA completed");
            c.ok("SETMETADATA INBOX (/private/comment NIL)");
            assertThat(c.cmd("GETMETADATA INBOX /private/comment")).containsExactly("a10 OK GETMETADATA completed");
            assertThat(c.ok("SETMETADATA INBOX (/other/x \"v\")")).startsWith("a11 BAD");
        }
    }

    @Test
    void sharingAMailboxWithAnotherAccount() throws Exception {
        int port = plainPort();
        try (ImapClient alice = login(port, ALICE); ImapClient bob = login(port, BOB)) {
            alice.ok("CREATE Team");
            append(alice, "Team", null, message("shared one", "hello team"));
            assertThat(bob.cmd("LIST \"\" \"Other Users/*\"")).containsExactly("a2 OK LIST completed");
            assertThat(alice.ok("SETACL Team bob@example.test lr")).isEqualTo("a4 OK SETACL completed");
            assertThat(alice.cmd("GETACL Team")).containsExactly(
                    "* ACL \"Team\" \"alice@example.test\" lrswipkxtea \"bob@example.test\" \"lr\"", "a5 OK GETACL completed");
            assertThat(alice.cmd("LISTRIGHTS Team bob@example.test").getFirst()).isEqualTo("* LISTRIGHTS \"Team\" \"bob@example.test\" \"\" l r s w i p k x t e a");
            assertThat(bob.cmd("LIST \"\" \"Other Users/*\"")).containsExactly(
                    "* LIST (\\Noselect \\HasChildren) \"/\" \"Other Users/alice@example.test\"",
                    "* LIST (\\HasNoChildren) \"/\" \"Other Users/alice@example.test/Team\"",
                    "a3 OK LIST completed");
            assertThat(bob.cmd("MYRIGHTS \"Other Users/alice@example.test/Team\"").getFirst())
                    .isEqualTo("* MYRIGHTS \"Other Users/alice@example.test/Team\" lr");
            List<String> sel = bob.cmd("SELECT \"Other Users/alice@example.test/Team\"");
            assertThat(sel).contains("* 1 EXISTS");
            assertThat(sel.getLast()).isEqualTo("a5 OK [READ-ONLY] SELECT completed");
            assertThat(bob.cmd("FETCH 1 BODY.PEEK[TEXT]").getFirst()).isEqualTo("* 1 FETCH (BODY[TEXT] {12}\r\nhello team\r\n)");
            assertThat(bob.ok("STORE 1 +FLAGS \\Deleted")).startsWith("a7 NO [READ-ONLY]");
            assertThat(append(bob, "\"Other Users/alice@example.test/Team\"", null, message("x", "y"))).startsWith("a8 NO [NOPERM]");
            assertThat(bob.ok("SETACL \"Other Users/alice@example.test/Team\" bob@example.test lrswi")).startsWith("a9 NO [NOPERM]");
            // more rights: bob may now insert and set \Seen
            alice.ok("SETACL Team bob@example.test +is");
            assertThat(append(bob, "\"Other Users/alice@example.test/Team\"", null, message("from bob", "y"))).contains("OK [APPENDUID");
            alice.ok("DELETEACL Team bob@example.test");
            assertThat(bob.ok("STATUS \"Other Users/alice@example.test/Team\" (MESSAGES)")).startsWith("a11 NO [NONEXISTENT]");
            assertThat(alice.cmd("GETACL Team").getFirst()).isEqualTo("* ACL \"Team\" \"alice@example.test\" lrswipkxtea");
        }
    }
}
