package dev.sealpost.lists.post;

import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.message.EncodedWords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static dev.sealpost.lists.post.FromRewriter.DmarcPolicy;
import static dev.sealpost.lists.post.FromRewriter.Mode;
import static dev.sealpost.lists.post.FromRewriter.PosterIn;
import static org.assertj.core.api.Assertions.assertThat;

class FromRewriterTest {
    static final EmailAddress LIST = EmailAddress.parse("dev@lists.example.com").orElseThrow();
    static final ListIdentity ID = new ListIdentity(LIST, "Dev", "dev.lists.example.com", "https://l.example/u", Optional.empty(), false);

    static Post post(String headers) {
        return Post.parse((headers + "To: dev@lists.example.com\r\nSubject: s\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8)).orElseThrow();
    }

    @ParameterizedTest
    @CsvSource({"ABSENT,WHEN_NEEDED,false", "NONE,WHEN_NEEDED,false", "QUARANTINE,WHEN_NEEDED,true", "REJECT,WHEN_NEEDED,true",
            "NONE,ALWAYS,true", "ABSENT,ALWAYS,true", "REJECT,NEVER,false"})
    void whenToRewrite(DmarcPolicy policy, Mode mode, boolean rewritten) {
        Post p = post("From: Alice Example <alice@strict.example>\r\n");
        FromRewriter.Result r = FromRewriter.apply(p, ID, policy, mode, PosterIn.REPLY_TO);
        assertThat(r.rewritten()).isEqualTo(rewritten);
        assertThat(r.post().first("From")).contains(rewritten ? "\"Alice Example via Dev\" <dev@lists.example.com>".replace("\"", "") : "Alice Example <alice@strict.example>");
        if (!rewritten) assertThat(r.post().toBytes()).isEqualTo(p.toBytes());
    }

    @Test
    void posterGoesToReplyToKeepingAnExistingOne() {
        Post p = post("From: \"Smith, Alice\" <alice@strict.example>\r\nReply-To: team@strict.example\r\n");
        Post r = FromRewriter.apply(p, ID, DmarcPolicy.REJECT, Mode.WHEN_NEEDED, PosterIn.REPLY_TO).post();
        assertThat(r.first("From")).contains("\"Smith, Alice via Dev\" <dev@lists.example.com>");
        assertThat(r.all("Reply-To")).containsExactly("team@strict.example, \"Smith, Alice\" <alice@strict.example>");
        assertThat(r.all("Cc")).isEmpty();
    }

    @Test
    void posterGoesToCcWithoutDuplicates() {
        Post p = post("From: alice@strict.example\r\nCc: Bob <bob@x.example>\r\n");
        Post r = FromRewriter.apply(p, ID, DmarcPolicy.QUARANTINE, Mode.WHEN_NEEDED, PosterIn.CC).post();
        // no display name: the local part stands in for it
        assertThat(r.first("From")).contains("alice via Dev <dev@lists.example.com>");
        assertThat(r.all("Cc")).containsExactly("Bob <bob@x.example>, <alice@strict.example>");
        Post twice = FromRewriter.apply(post("From: alice@strict.example\r\nCc: ALICE@strict.example\r\n"), ID, DmarcPolicy.REJECT, Mode.WHEN_NEEDED, PosterIn.CC).post();
        assertThat(twice.all("Cc")).containsExactly("ALICE@strict.example");
    }

    @Test
    void encodedAndUtf8DisplayNames() {
        Post p = post("From: =?ISO-8859-1?Q?J=F6rg_M=FCller?= <joerg@strict.example>\r\n");
        Post r = FromRewriter.apply(p, ID, DmarcPolicy.REJECT, Mode.WHEN_NEEDED, PosterIn.REPLY_TO).post();
        String from = r.first("From").orElseThrow();
        assertThat(from).startsWith("=?UTF-8?Q?").endsWith("<dev@lists.example.com>");
        assertThat(EncodedWords.decode(from)).isEqualTo("Jörg Müller via Dev <dev@lists.example.com>");
        assertThat(EncodedWords.decode(r.first("Reply-To").orElseThrow())).isEqualTo("Jörg Müller <joerg@strict.example>");
        // RFC 6532 raw UTF-8 display name
        Post raw = post("From: Zoë 🌼 <zoe@strict.example>\r\n");
        String f2 = FromRewriter.apply(raw, ID, DmarcPolicy.REJECT, Mode.WHEN_NEEDED, PosterIn.REPLY_TO).post().first("From").orElseThrow();
        assertThat(f2.chars().allMatch(c -> c < 0x80)).isTrue();
        assertThat(EncodedWords.decode(f2)).isEqualTo("Zoë 🌼 via Dev <dev@lists.example.com>");
    }

    @Test
    void longNamesFoldIntoWordsOfAtMost75() {
        String longName = "Ä".repeat(60);
        Post r = FromRewriter.apply(post("From: " + longName + " <a@strict.example>\r\n"), ID, DmarcPolicy.REJECT, Mode.WHEN_NEEDED, PosterIn.CC).post();
        String raw = r.fields().stream().filter(f -> f.is("From")).findFirst().orElseThrow().raw();
        for (String line : raw.split("\r\n")) {
            for (String word : line.strip().split(" ")) if (word.startsWith("=?")) assertThat(word.length()).isLessThanOrEqualTo(75);
        }
        assertThat(EncodedWords.decode(r.first("From").orElseThrow())).isEqualTo(longName + " via Dev <dev@lists.example.com>");
    }

    @Test
    void noAuthorNoRewrite() {
        Post p = post("From: undisclosed:;\r\n");
        assertThat(FromRewriter.apply(p, ID, DmarcPolicy.REJECT, Mode.WHEN_NEEDED, PosterIn.CC).rewritten()).isFalse();
    }
}
