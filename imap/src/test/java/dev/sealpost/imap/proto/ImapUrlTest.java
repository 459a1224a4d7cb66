package dev.sealpost.imap.proto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 5092 relative IMAP URLs as CATENATE takes them (RFC 4469 §3): parsing only. */
class ImapUrlTest {
    @Test
    void messageSectionAndPartial() {
        assertThat(ImapUrl.parse("/Drafts/;UID=20")).isEqualTo(new ImapUrl("Drafts", 0, 20, null, -1, -1));
        assertThat(ImapUrl.parse("/Drafts;UIDVALIDITY=385759045/;UID=20/;SECTION=1.2"))
                .isEqualTo(new ImapUrl("Drafts", 385759045L, 20, "1.2", -1, -1));
        assertThat(ImapUrl.parse("/INBOX/;uid=7/;section=HEADER/;partial=10.5"))
                .isEqualTo(new ImapUrl("INBOX", 0, 7, "HEADER", 10, 5));
        assertThat(ImapUrl.parse("/a/;UID=1/;PARTIAL=0")).isEqualTo(new ImapUrl("a", 0, 1, null, 0, -1));
        assertThat(ImapUrl.parse("/inbox/;UID=1").mailbox()).isEqualTo("INBOX");
    }

    @Test
    void mailboxNamesArePercentDecodedUtf8() {
        assertThat(ImapUrl.parse("/Entw%C3%BCrfe/;UID=3").mailbox()).isEqualTo("Entwürfe");
        assertThat(ImapUrl.parse("/a%2Fb/;UID=3").mailbox()).isEqualTo("a/b"); // an encoded "/" is the hierarchy delimiter
        assertThat(ImapUrl.parse("/x%ZZ/;UID=3")).isNull();
        assertThat(ImapUrl.parse("/x%C3/;UID=3")).isNull(); // not UTF-8
        assertThat(ImapUrl.parse("/x%4/;UID=3")).isNull();
    }

    @Test
    void refusesWhatIsNotARelativeMessageUrl() {
        for (String u : new String[] {"imap://host/INBOX/;UID=1", "//host/INBOX/;UID=1", "INBOX/;UID=1", "/INBOX", "/INBOX/",
                "/INBOX/;UID=0", "/INBOX/;UID=x", "/INBOX/;UID=", "/INBOX/;UID=1/;PARTIAL=1.0", "/INBOX/;UID=1/;PARTIAL=.5",
                "/INBOX/;UID=1/;PARTIAL=1/;SECTION=1", "/INBOX/;UID=1/;SECTION=1/;SECTION=2", "/INBOX;FOO=1/;UID=1",
                "/INBOX;UIDVALIDITY=0/;UID=1", "//;UID=1", "/INBOX/;UID=1/extra", "/INBOX/;UID=1234567890123456789",
                "/" + "a".repeat(ImapUrl.MAX_LENGTH) + "/;UID=1", "/IN BOX\u00e9/;UID=1"}) {
            assertThat(ImapUrl.parse(u)).as(u).isNull();
        }
    }

    @Test
    void partialCutsTheOctets() {
        byte[] data = "0123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(ImapUrl.parse("/a/;UID=1").partial(data)).isEqualTo(data);
        assertThat(new String(ImapUrl.parse("/a/;UID=1/;PARTIAL=2.3").partial(data), StandardCharsets.US_ASCII)).isEqualTo("234");
        assertThat(new String(ImapUrl.parse("/a/;UID=1/;PARTIAL=8").partial(data), StandardCharsets.US_ASCII)).isEqualTo("89");
        assertThat(ImapUrl.parse("/a/;UID=1/;PARTIAL=20.5").partial(data)).isEmpty(); // past the end: nothing
        assertThat(new String(ImapUrl.parse("/a/;UID=1/;PARTIAL=7.50").partial(data), StandardCharsets.US_ASCII)).isEqualTo("789");
    }
}
