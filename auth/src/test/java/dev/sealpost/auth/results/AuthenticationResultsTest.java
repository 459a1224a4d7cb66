package dev.sealpost.auth.results;

import dev.sealpost.auth.results.AuthenticationResults.Malformed;
import dev.sealpost.auth.results.AuthenticationResults.MethodResult;
import dev.sealpost.auth.results.AuthenticationResults.Parsed;
import dev.sealpost.auth.results.AuthenticationResults.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthenticationResultsTest {
    static AuthenticationResults parsed(String field) {
        String value = field.startsWith(AuthenticationResults.FIELD_NAME + ":") ? field.substring(AuthenticationResults.FIELD_NAME.length() + 1) : field;
        AuthenticationResults.ParseResult r = AuthenticationResults.parse(value);
        assertThat(r).as(field).isInstanceOf(Parsed.class);
        return ((Parsed) r).header();
    }

    @Test
    void buildsOurHeaderField() {
        AuthenticationResults ar = AuthenticationResults.builder("mx.sealpost.example")
                .spf("pass", "sender@example.com")
                .dkim("pass", "example.com", "sel1", "abcd/EFG+hij\r\n klmn==")
                .dmarc("pass", "example.com")
                .arc("none", null)
                .iprev("pass", "192.0.2.1")
                .add(new MethodResult("spf", "fail", new Property("smtp", "mailfrom", "x@example.org")).withReason("no \"match\" here"))
                .build();
        String field = ar.toHeaderField();
        assertThat(field).isEqualTo("""
                Authentication-Results: mx.sealpost.example;\r
                \tspf=pass smtp.mailfrom=sender@example.com;\r
                \tdkim=pass header.d=example.com header.s=sel1 header.b="abcd/EFG";\r
                \tdmarc=pass header.from=example.com;\r
                \tarc=none;\r
                \tiprev=pass policy.iprev=192.0.2.1;\r
                \tspf=fail reason="no \\"match\\" here" smtp.mailfrom=x@example.org\r
                """);
        assertThat(field.lines()).allMatch(l -> l.length() <= 78);
        assertThat(ar.value()).startsWith("mx.sealpost.example; spf=pass smtp.mailfrom=sender@example.com; dkim=pass").doesNotContain("\n");
        // round trip, folded and unfolded
        assertThat(parsed(field.substring(0, field.length() - 2))).isEqualTo(ar);
        assertThat(parsed(ar.value())).isEqualTo(ar);
        assertThat(ar.results().get(1).property("header", "b")).contains("abcd/EFG");
    }

    @Test
    void valuesFromMessagesCannotInjectSyntax() {
        AuthenticationResults ar = AuthenticationResults.builder("mx.example")
                .dmarc("fail", "evil.example; dkim=pass\r\nX-Injected: yes").build();
        assertThat(ar.toHeaderField()).doesNotContain("\r\nX-Injected").contains("header.from=\"evil.example; dkim=pass  X-Injected: yes\"");
        AuthenticationResults back = parsed(ar.value());
        assertThat(back.results()).hasSize(1);
        assertThat(back.results().getFirst().method()).isEqualTo("dmarc");
        assertThatThrownBy(() -> new MethodResult("dkim;x", "pass")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noneForm() {
        AuthenticationResults ar = AuthenticationResults.builder("example.org").build();
        assertThat(ar.toHeaderField()).isEqualTo("Authentication-Results: example.org; none\r\n");
        assertThat(parsed(ar.value())).isEqualTo(ar);
    }

    /** RFC 8601 Appendix B's examples (re-typed), and the values they carry. */
    @Test
    void rfc8601AppendixB() {
        // B.2
        AuthenticationResults b2 = parsed("Authentication-Results: example.org 1; none");
        assertThat(b2.authservId()).isEqualTo("example.org");
        assertThat(b2.version()).isEqualTo(1);
        assertThat(b2.results()).isEmpty();
        // B.3
        AuthenticationResults b3 = parsed("Authentication-Results: example.com;\r\n                  spf=pass smtp.mailfrom=example.net");
        assertThat(b3.results()).containsExactly(new MethodResult("spf", "pass", new Property("smtp", "mailfrom", "example.net")));
        // B.4
        AuthenticationResults b4 = parsed("""
                Authentication-Results: example.com;\r
                          auth=pass (cram-md5) smtp.auth=sender@example.net;\r
                          spf=pass smtp.mailfrom=example.net""");
        assertThat(b4.results()).hasSize(2);
        assertThat(b4.results().getFirst().property("smtp", "auth")).contains("sender@example.net");
        AuthenticationResults b4b = parsed("Authentication-Results: example.com; iprev=pass\r\n   policy.iprev=192.0.2.200");
        assertThat(b4b.results().getFirst().property("policy", "iprev")).contains("192.0.2.200");
        // B.5
        AuthenticationResults b5 = parsed("""
                Authentication-Results: example.com;\r
                          sender-id=fail header.from=example.com;\r
                          dkim=pass (good signature) header.d=example.com""");
        assertThat(b5.results()).extracting(MethodResult::method, MethodResult::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("sender-id", "fail"), org.assertj.core.groups.Tuple.tuple("dkim", "pass"));
        // B.6
        AuthenticationResults b6 = parsed("""
                Authentication-Results: mail-router.example.net;\r
                          dkim=pass (good signature) header.d=newyork.example.com\r
                                header.b=oINEO8hg;\r
                          dkim=fail (bad signature) header.d=mail-router.example.net\r
                                header.b=EToRSuvU""");
        assertThat(b6.results().get(1).property("header", "b")).contains("EToRSuvU");
        assertThat(b6.results().get(1).property("header", "d")).contains("mail-router.example.net");
        // B.7
        AuthenticationResults b7 = parsed("""
                Authentication-Results: example.com;\r
                          dkim=pass reason="good signature"\r
                            header.i=@mail-router.example.net;\r
                          dkim=fail reason="bad signature"\r
                            header.i=@newyork.example.com""");
        assertThat(b7.results()).extracting(MethodResult::reason).containsExactly("good signature", "bad signature");
        assertThat(b7.results().getFirst().property("header", "i")).contains("@mail-router.example.net");
        // B.8-style extension method with a comment after the property
        AuthenticationResults ext = parsed("Authentication-Results: example.com; foo=pass bar.baz=blob (2 of 3 tests OK)");
        assertThat(ext.results().getFirst().property("bar", "baz")).contains("blob");
        // each one survives our own serialisation
        for (AuthenticationResults a : List.of(b2, b3, b4, b4b, b5, b6, b7, ext)) assertThat(parsed(a.toHeaderField().strip())).isEqualTo(a);
    }

    @Test
    void commentsVersionsAndCase() {
        AuthenticationResults a = parsed(" (lead (nested) comment) \"quoted id\" (c) 2 ; DKIM / 1 (x) = PASS (y) reason = \"ok\\\\\" HEADER . D = \"a b\" ;");
        assertThat(a.authservId()).isEqualTo("quoted id");
        assertThat(a.version()).isEqualTo(2);
        MethodResult r = a.results().getFirst();
        assertThat(r.method()).isEqualTo("dkim");
        assertThat(r.methodVersion()).isEqualTo(1);
        assertThat(r.result()).isEqualTo("pass");
        assertThat(r.reason()).isEqualTo("ok\\");
        assertThat(r.properties()).containsExactly(new Property("header", "d", "a b"));
        assertThat(parsed(a.value())).isEqualTo(a);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "   ",
            "example.com",
            "example.com spf=pass",
            "; spf=pass",
            "example.com; spf",
            "example.com; spf=",
            "example.com; spf=pass smtp",
            "example.com; spf=pass smtp.mailfrom",
            "example.com; spf=pass (unterminated",
            "example.com; dkim=pass header.d=\"unterminated",
            "example.com; none; spf=pass",
            "example.com; spf=pass; none",
            "example.com; spf=pass header.d=a\u0001b",
            "example.com; dkim/x=pass",
    })
    void malformed(String value) {
        assertThat(AuthenticationResults.parse(value)).as(value).isInstanceOf(Malformed.class);
    }

    @Test
    void bounded() {
        String deep = "x.example; spf=pass " + "(".repeat(100) + ")".repeat(100);
        assertThat(AuthenticationResults.parse(deep)).isInstanceOf(Malformed.class);
        String many = "x.example" + "; spf=pass".repeat(AuthenticationResults.MAX_RESULTS + 1);
        assertThat(AuthenticationResults.parse(many)).isInstanceOf(Malformed.class);
        assertThat(AuthenticationResults.parse("x.example; spf=pass p.q=" + "a".repeat(AuthenticationResults.MAX_LENGTH))).isInstanceOf(Malformed.class);
    }

    @Test
    void oursAreRecognisedForRemoval() {
        assertThat(AuthenticationResults.isOurs("mx.sealpost.example; spf=pass smtp.mailfrom=a@b.example", "mx.sealpost.example")).isTrue();
        assertThat(AuthenticationResults.isOurs(" (forged) MX.Sealpost.Example; dkim=pass", "mx.sealpost.example")).isTrue();
        assertThat(AuthenticationResults.isOurs("\"mx.sealpost.example\"; none", "mx.sealpost.example")).isTrue();
        // malformed after the id: still ours, still removed
        assertThat(AuthenticationResults.isOurs("mx.sealpost.example; !!garbage", "mx.sealpost.example")).isTrue();
        assertThat(AuthenticationResults.isOurs("mx.other.example; spf=pass", "mx.sealpost.example")).isFalse();
        assertThat(AuthenticationResults.isOurs("mx.sealpost.example.evil; spf=pass", "mx.sealpost.example")).isFalse();
        assertThat(AuthenticationResults.isOurs("", "mx.sealpost.example")).isFalse();
        assertThat(AuthenticationResults.isOurs(null, "mx.sealpost.example")).isFalse();
        assertThat(AuthenticationResults.authservIdOf("mx.a.example;x")).contains("mx.a.example");
    }
}
