package dev.sealpost.lists.post;

import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.message.EncodedWords;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ListDistributionTest {
    static final EmailAddress LIST = EmailAddress.parse("dev@lists.example.com").orElseThrow();
    static final ListIdentity ID = new ListIdentity(LIST, "Dev Team", ListIdentity.defaultListId(LIST),
            "https://lists.example.com/unsubscribe", Optional.of("https://lists.example.com/archive/dev/"), false);
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
    final UnsubscribeToken tokens = new UnsubscribeToken(List.of("0123456789abcdef0123456789abcdef".getBytes()), clock, Duration.ofDays(90));

    static final List<String> MEMBERS = List.of("alice@example.org", "bob+lists@example.net", "carol@ex-ample.test", "dave=x@example.org", "eve@EXAMPLE.com");

    static Post post(String extraHeaders) {
        String m = "Received: from mx.example.org by lists.example.com; Mon, 7 Dec 2026 12:00:00 +0000\r\n"
                + "Return-Path: <alice@example.org>\r\nDelivered-To: carol@ex-ample.test\r\nX-Original-To: bob+lists@example.net\r\n"
                + "Bcc: eve@example.com\r\n"
                + "From: Alice <alice@example.org>\r\nTo: Dev Team <dev@lists.example.com>\r\nSubject: Hello\r\n"
                + "Message-ID: <1@example.org>\r\nList-Id: <upstream.example>\r\nPrecedence: bulk\r\n" + extraHeaders
                + "\r\nBody line\r\n";
        return Post.parse(m.getBytes(StandardCharsets.UTF_8)).orElseThrow();
    }

    @Test
    void eachMemberGetsAnOwnCopyThatNamesNoOtherMember() {
        ListDistribution.Prepared prepared = ListDistribution.prepare(post(""), ID, tokens, Optional.empty());
        for (String m : MEMBERS) {
            EmailAddress member = EmailAddress.parse(m).orElseThrow();
            ListDistribution.MemberCopy copy = prepared.forMember(member);
            assertThat(copy.recipient()).isEqualTo(member);
            assertThat(copy.returnPath()).isEqualTo(Verp.encode(LIST, member));
            String text = new String(copy.message(), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            for (String other : MEMBERS) {
                if (other.equals(m) || other.startsWith("alice@")) continue; // alice is the poster, named in From by her
                assertThat(text).as("copy for %s", m).doesNotContain(other.toLowerCase(Locale.ROOT));
                assertThat(text).as("copy for %s", m).doesNotContain(other.toLowerCase(Locale.ROOT).substring(0, other.indexOf('@')) + "=");
            }
            assertThat(text).doesNotContain("bcc:").doesNotContain("delivered-to:").doesNotContain("x-original-to:").doesNotContain("return-path:");
            // the token in the copy unsubscribes this member and no one else
            Post parsed = Post.parse(copy.message()).orElseThrow();
            String unsub = parsed.first("List-Unsubscribe").orElseThrow();
            String token = unsub.substring(unsub.indexOf("/unsubscribe/") + 13, unsub.indexOf('>'));
            assertThat(tokens.verify(ID.listId(), token)).isInstanceOf(UnsubscribeToken.Check.Valid.class)
                    .extracting(c -> ((UnsubscribeToken.Check.Valid) c).member()).isEqualTo(member.canonical());
        }
    }

    @Test
    void listFields() {
        byte[] copy = ListDistribution.prepare(post(""), ID, tokens, Optional.of("[dev]")).forMember(EmailAddress.parse("bob@example.net").orElseThrow()).message();
        Post p = Post.parse(copy).orElseThrow();
        assertThat(p.all("List-Id")).containsExactly("\"Dev Team\" <dev.lists.example.com>".replace("\"", ""));
        assertThat(p.first("List-Help")).contains("<mailto:dev-request@lists.example.com?subject=help>");
        assertThat(p.first("List-Subscribe")).contains("<mailto:dev-request@lists.example.com?subject=subscribe>");
        assertThat(p.first("List-Unsubscribe").orElseThrow()).matches("<https://lists\\.example\\.com/unsubscribe/v1\\.[^>]+>, <mailto:dev-request@lists\\.example\\.com\\?subject=unsubscribe>");
        assertThat(p.first("List-Unsubscribe-Post")).contains("List-Unsubscribe=One-Click");
        assertThat(p.first("List-Post")).contains("<mailto:dev@lists.example.com>");
        assertThat(p.first("List-Owner")).contains("<mailto:dev-owner@lists.example.com>");
        assertThat(p.first("List-Archive")).contains("<https://lists.example.com/archive/dev/>");
        assertThat(p.all("Precedence")).containsExactly("list");
        assertThat(p.all("X-Loop")).containsExactly("dev@lists.example.com");
        assertThat(p.first("Subject")).contains("[dev] Hello");
        assertThat(new String(p.body(), StandardCharsets.US_ASCII)).isEqualTo("Body line\r\n");
        // the copy is a well-formed message for our own parser
        assertThat(MessageStructure.parse(copy).envelope().subject()).isEqualTo("[dev] Hello");
        // a second pass does not add the prefix again
        Post again = ListDistribution.withPrefix(p, "[dev]");
        assertThat(again.first("Subject")).contains("[dev] Hello");
    }

    @Test
    void announceListsSayListPostNoAndUnicodeNamesAreEncoded() {
        ListIdentity announce = new ListIdentity(LIST, "Équipe Dév", "dev.lists.example.com", "https://l.example/u/", Optional.empty(), true);
        Post p = Post.parse(ListDistribution.prepare(post(""), announce, tokens, Optional.of("[Dév]")).forMember(EmailAddress.parse("bob@example.net").orElseThrow()).message()).orElseThrow();
        assertThat(p.first("List-Post")).contains("NO");
        assertThat(p.first("List-Archive")).isEmpty();
        String listId = p.first("List-Id").orElseThrow();
        assertThat(listId).startsWith("=?UTF-8?Q?").endsWith("<dev.lists.example.com>");
        assertThat(EncodedWords.decode(listId)).isEqualTo("Équipe Dév <dev.lists.example.com>");
        assertThat(EncodedWords.decode(p.first("Subject").orElseThrow())).isEqualTo("[Dév] Hello");
    }

    @Test
    void loops() {
        assertThat(ListHeaders.isLoop(post(""), ID, 10)).isFalse();
        assertThat(ListHeaders.isLoop(post("X-Loop: DEV@lists.example.com\r\n"), ID, 10)).isTrue();
        assertThat(ListHeaders.isLoop(post("X-Loop: <dev@lists.example.com>\r\n"), ID, 10)).isTrue();
        assertThat(ListHeaders.isLoop(post("List-Id: \"Dev\" <dev.lists.example.com>\r\n"), ID, 10)).isTrue();
        assertThat(ListHeaders.isLoop(post("X-Loop: a@x.example\r\nX-Loop: b@x.example\r\nX-Loop: c@x.example\r\n"), ID, 2)).isTrue();
        assertThat(ListHeaders.isLoop(post("X-Loop: other@lists.example.com\r\n"), ID, 10)).isFalse();
        // our own copy, sent back to the list, is recognised
        byte[] copy = ListDistribution.prepare(post(""), ID, tokens, Optional.empty()).forMember(EmailAddress.parse("bob@example.net").orElseThrow()).message();
        assertThat(ListHeaders.isLoop(Post.parse(copy).orElseThrow(), ID, 10)).isTrue();
    }

    @Test
    void utf8ListAddressesAreWrittenAsUtf8Octets() {
        EmailAddress intl = EmailAddress.parse("équipe@lists.example.com").orElseThrow();
        ListIdentity id = new ListIdentity(intl, "Équipe", "equipe.lists.example.com", "https://l.example/u", Optional.empty(), false);
        byte[] copy = ListDistribution.prepare(post(""), id, tokens, Optional.empty()).forMember(EmailAddress.parse("bob@example.net").orElseThrow()).message();
        String text = new String(copy, StandardCharsets.UTF_8);
        assertThat(text).contains("List-Post: <mailto:équipe@lists.example.com>").contains("X-Loop: équipe@lists.example.com")
                .contains("List-Owner: <mailto:équipe-owner@lists.example.com>").doesNotContain("\uFFFD");
        assertThat(ListHeaders.isLoop(Post.parse(copy).orElseThrow(), id, 10)).isTrue();
    }
}
