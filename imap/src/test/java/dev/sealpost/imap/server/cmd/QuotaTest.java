package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GETQUOTAROOT / GETQUOTA / SETQUOTA (RFC 9208). The server has one quota root per account, named
 * "" (RFC 9208 §3.2: any string, "" included), where the RFC's examples use "#user/alice" and
 * "!partition/sda4"; STORAGE is in units of 1024 octets (§5.1).
 */
class QuotaTest extends CommandTestBase {

    @Test
    void rfc9208Examples() throws Exception {
        store.directory().setQuota(ALICE, 10 * 1024);
        seed("INBOX", null, msg("one") + "x".repeat(1100) + "\r\n");
        Conn c = login(ALICE);
        Transcript.play(c, """
                C: G0001 GETQUOTA ""
                # ~1.3 KB of mail is 2 units of 1024 octets (usage rounds up)
                S: * QUOTA "" (STORAGE 2 10)
                S: G0001 OK GETQUOTA completed
                C: G0002 GETQUOTAROOT INBOX
                S: * QUOTAROOT "INBOX" ""
                S: * QUOTA "" (STORAGE 2 10)
                S: G0002 OK GETQUOTAROOT completed
                """);
    }

    @Test
    void unlimitedAccountHasNoQuotaRoot() throws Exception {
        // RFC 9208 §9: quota-list = "(" quota-resource *(SP quota-resource) ")", so an unlimited
        // account cannot be described by "* QUOTA "" ()"; it has no quota root instead
        Conn c = login(ALICE);
        Transcript.play(c, """
                C: a1 GETQUOTAROOT INBOX
                S: * QUOTAROOT "INBOX"
                S: a1 OK GETQUOTAROOT completed
                C: a2 GETQUOTA ""
                S: a2 NO [NONEXISTENT] No such quota root
                """);
    }

    @Test
    void overQuota() throws Exception {
        // RFC 9208 §5.3 / §4.3: "NO [OVERQUOTA]" for APPEND (and COPY / MOVE)
        store.directory().setQuota(ALICE, 2048);
        Conn c = login(ALICE);
        assertThat(append(c, "INBOX", null, null, msg("big") + "y".repeat(5000) + "\r\n")).isEqualTo("NO [OVERQUOTA] Quota exceeded");
    }

    @Test
    void errors() throws Exception {
        Conn c = connect();
        assertThat(c.status("GETQUOTAROOT INBOX")).startsWith("BAD ");
        c.cmd("LOGIN " + ALICE + " " + PW);
        Transcript.play(c, """
                C: a1 GETQUOTA "#user/nobody"
                S: a1 NO [NONEXISTENT] No such quota root
                C: a2 GETQUOTAROOT nosuch
                S: a2 NO [NONEXISTENT] …
                C: a3 SETQUOTA "" (STORAGE 512)
                S: a3 NO [NOPERM] …
                C: a4 GETQUOTA
                S: a4 BAD …
                """);
    }
}
