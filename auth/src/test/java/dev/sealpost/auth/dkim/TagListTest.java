package dev.sealpost.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.auth.TagList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6376 §3.2 tag lists. */
class TagListTest {
    static TagList ok(String s) {
        TagList.Result r = TagList.parse(s);
        assertThat(r).isInstanceOf(TagList.Parsed.class);
        return ((TagList.Parsed) r).tags();
    }

    @Test
    void parsesWithFoldingAndKeepsPositions() {
        String s = " v=1; a = rsa-sha256 ;\r\n\tb=abc\r\n def ;d=example.com;";
        TagList t = ok(s);
        assertThat(t.size()).isEqualTo(4);
        assertThat(t.get("a")).contains("rsa-sha256");
        assertThat(t.get("b")).contains("abc\r\n def");
        assertThat(TagList.stripWhitespace(t.get("b").orElseThrow())).isEqualTo("abcdef");
        TagList.Tag b = t.tag("b").orElseThrow();
        assertThat(s.substring(b.rawStart(), b.rawEnd())).isEqualTo("abc\r\n def ");
        assertThat(t.tags()).extracting(TagList.Tag::name).containsExactly("v", "a", "b", "d");
        assertThat(t.get("x")).isEmpty();
    }

    @Test
    void emptyValuesAndLists() {
        assertThat(ok("p=").get("p")).contains("");
        assertThat(ok("").size()).isZero();
        assertThat(ok("a=1;;b=2").size()).isEqualTo(2); // leniency: empty tag-spec skipped
        assertThat(TagList.splitColon("From : To:subject")).containsExactly("From", "To", "subject");
        // tag names are case-sensitive
        assertThat(ok("A=1; a=2").size()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            a=1; a=2     | duplicate tag a
            =1           | tag name must start with a letter
            1a=1         | tag name must start with a letter
            a            | has no '='
            a b=1        | has no '='
            """)
    void invalid(String s, String reason) {
        assertThat(TagList.parse(s)).isInstanceOfSatisfying(TagList.Invalid.class, i -> assertThat(i.reason()).contains(reason));
    }

    @Test
    void bounded() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < TagList.MAX_TAGS + 1; i++) many.append("t").append(i).append("=x;");
        assertThat(TagList.parse(many.toString())).isInstanceOf(TagList.Invalid.class);
        assertThat(TagList.parse("a=" + "x".repeat(TagList.MAX_LENGTH))).isInstanceOf(TagList.Invalid.class);
        assertThat(TagList.parse("a=b\u0000c")).isInstanceOf(TagList.Invalid.class);
    }
}
