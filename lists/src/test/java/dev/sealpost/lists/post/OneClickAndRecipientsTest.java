package dev.sealpost.lists.post;

import dev.sealpost.core.mail.EmailAddress;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OneClickAndRecipientsTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void oneClickBodies() {
        assertThat(OneClick.accepts("application/x-www-form-urlencoded", b("List-Unsubscribe=One-Click"))).isTrue();
        assertThat(OneClick.accepts("application/x-www-form-urlencoded; charset=utf-8", b("a=b&List-Unsubscribe=One-Click\r\n"))).isTrue();
        assertThat(OneClick.accepts("application/x-www-form-urlencoded", b("List-Unsubscribe=One%2DClick"))).isTrue();
        String multipart = "--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--XyZ--\r\n";
        assertThat(OneClick.accepts("multipart/form-data; boundary=XyZ", b(multipart))).isTrue();
        assertThat(OneClick.accepts("application/x-www-form-urlencoded", b("List-Unsubscribe=Two-Click"))).isFalse();
        assertThat(OneClick.accepts("application/x-www-form-urlencoded", b("List-Unsubscribe=%ZZ"))).isFalse();
        assertThat(OneClick.accepts("text/plain", b("List-Unsubscribe=One-Click"))).isFalse();
        assertThat(OneClick.accepts("multipart/form-data; boundary=XyZ", b(multipart.replace("List-Unsubscribe", "Other")))).isFalse();
        assertThat(OneClick.accepts("application/x-www-form-urlencoded", b("x".repeat(9000) + "&List-Unsubscribe=One-Click"))).isFalse();
        assertThat(OneClick.accepts(null, b(""))).isFalse();
    }

    static EmailAddress a(String s) {
        return EmailAddress.parse(s).orElseThrow();
    }

    @Test
    void recipients() {
        List<Recipients.Member> members = List.of(
                new Recipients.Member(a("alice@example.org"), true, true),
                new Recipients.Member(a("Bob@example.org"), true, false),
                new Recipients.Member(a("bob@EXAMPLE.org"), true, false),
                new Recipients.Member(a("carol@example.org"), false, true),
                new Recipients.Member(a("dave@example.org"), true, false));
        assertThat(Recipients.select(members, a("alice@example.org"))).containsExactly(a("alice@example.org"), a("Bob@example.org"), a("dave@example.org"));
        assertThat(Recipients.select(members, a("BOB@example.org"))).containsExactly(a("alice@example.org"), a("dave@example.org"));
        assertThat(Recipients.select(members, null)).hasSize(3);
    }
}
