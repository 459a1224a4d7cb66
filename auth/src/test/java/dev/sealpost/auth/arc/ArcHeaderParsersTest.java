package dev.sealpost.auth.arc;

import dev.sealpost.auth.dkim.Canonicalization;
import dev.sealpost.auth.dkim.DkimAlgorithm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The three ARC header field parsers: what they accept, and the reason for what they do not. */
class ArcHeaderParsersTest {
    @Test
    void authenticationResults() {
        ArcAuthenticationResults a = ((ArcAuthenticationResults.Parsed) ArcAuthenticationResults.parse(
                " i = 2 ;\r\n lists.example.org; spf=pass smtp.mailfrom=a@b.example;\r\n\tdkim=none")).aar();
        assertThat(a.instance()).isEqualTo(2);
        assertThat(a.authservId()).isEqualTo("lists.example.org");
        assertThat(a.payload()).isEqualTo("lists.example.org; spf=pass smtp.mailfrom=a@b.example; dkim=none");
        assertThat(a.results()).hasValueSatisfying(r -> assertThat(r.results()).hasSize(2));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            " lists.example.org; i=1; spf=pass | does not start with i=",
            " i=1 lists.example.org; spf=pass | no ';' after i=",
            " i=0; lists.example.org; spf=pass | i= is not an instance from 1 to 50",
            " i=51; lists.example.org; spf=pass | i= is not an instance from 1 to 50",
            " i=1; | no authentication results after i="})
    void authenticationResultsInvalid(String value, String reason) {
        assertThat(ArcAuthenticationResults.parse(value)).isEqualTo(new ArcAuthenticationResults.Invalid(reason));
    }

    @Test
    void messageSignature() {
        ArcMessageSignature m = ((ArcMessageSignature.Parsed) ArcMessageSignature.parse(
                " i=3; a=rsa-sha256; b=YW Jj; bh=ZGVm; d=Example.ORG; h=From : to::Subject; s=sel; t=10; x=20; unknown=1")).signature();
        assertThat(m.instance()).isEqualTo(3);
        assertThat(m.algorithm()).isEqualTo(DkimAlgorithm.RSA_SHA256);
        assertThat(m.signature()).containsExactly('a', 'b', 'c');
        assertThat(m.domain()).isEqualTo("example.org");
        assertThat(m.signedHeaders()).containsExactly("From", "to", "Subject");
        assertThat(m.headerCanon()).isEqualTo(Canonicalization.RELAXED); // no c=: relaxed/relaxed (leniency)
        assertThat(m.bodyCanon()).isEqualTo(Canonicalization.RELAXED);
        assertThat(m.keyName()).isEqualTo("sel._domainkey.example.org");
        assertThat(m.timestamp()).isEqualTo(10);
        assertThat(m.expiration()).isEqualTo(20);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            " a=rsa-sha256; b=YWJj; bh=YWJj; d=example.org; h=from; s=s | missing required tag i=",
            " i=1; a=rsa-sha256; b=YWJj; bh=YWJj; d=example.org; h=from:ARC-Seal; s=s | h= includes ARC-Seal",
            " i=1; a=rsa-sha256; b=YWJj; bh=YWJj; d=example.org; h=from; s=s;; t=1 | malformed tag list: empty tag-spec at offset 63",
            " i=1; a=rsa-sha256; b=YWJj; bh=YWJj; d=example.org; h=from; s=s; c=relaxed/waffle | unknown canonicalization c=relaxed/waffle",
            " i=1; a=rsa-sha256; b=YWJj; bh=YWJj; d=example..org; h=from; s=s | d= is not a domain name",
            " i=1; a=rsa-sha256; b=YWJj; bh=YWJj; d=example.org; h=from; s=s; t=1 2 | t= is not a decimal number",
            " i=1; a=rsa-sha256; b=YWJj; bh=YWJj; d=example.org; h=from; s=s; t=5; x=5 | x= is not after t=",
            " i=1; a=rsa-sha256; b=!!; bh=YWJj; d=example.org; h=from; s=s | b= is not base64",
            " i=1; A=rsa-sha256; b=YWJj; bh=YWJj; d=example.org; h=from; s=s | missing required tag a="})
    void messageSignatureInvalid(String value, String reason) {
        assertThat(ArcMessageSignature.parse(value)).isEqualTo(new ArcMessageSignature.Invalid(reason));
    }

    @Test
    void seal() {
        ArcSeal s = ((ArcSeal.Parsed) ArcSeal.parse(" i=1; a=rsa-sha256; b=YWJj; cv=None; d=example.org; s=s;")).seal();
        assertThat(s.instance()).isEqualTo(1);
        assertThat(s.cv()).isEqualTo(ArcResult.NONE);
        assertThat(s.timestamp()).isEqualTo(-1);
        assertThat(s.domain()).isEqualTo("example.org");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            " i=1; a=rsa-sha256; b=YWJj; cv=none; d=example.org; s=s; h=from | h= is not allowed in an ARC-Seal",
            " i=1; a=rsa-sha256; b=YWJj; cv=maybe; d=example.org; s=s | cv= is not none, pass or fail",
            " i=1; a=rsa-sha256; b=YWJj; d=example.org; s=s | missing required tag cv=",
            " i=blorp; a=rsa-sha256; b=YWJj; cv=none; d=example.org; s=s | i= is not an instance from 1 to 50",
            " i=1; a=rsa-sha42; b=YWJj; cv=none; d=example.org; s=s | unknown algorithm a=rsa-sha42",
            " i=1; a=rsa-sha256; b=YWJj; cv=none; d=***; s=s | d= is not a domain name",
            " i=1; i=1; a=rsa-sha256; b=YWJj; cv=none; d=example.org; s=s | malformed tag list: duplicate tag i"})
    void sealInvalid(String value, String reason) {
        assertThat(ArcSeal.parse(value)).isEqualTo(new ArcSeal.Invalid(reason));
    }

    @Test
    void nullAndHugeInputsGiveReasons() {
        assertThat(ArcSeal.parse(null)).isInstanceOf(ArcSeal.Invalid.class);
        assertThat(ArcMessageSignature.parse(null)).isInstanceOf(ArcMessageSignature.Invalid.class);
        assertThat(ArcAuthenticationResults.parse(null)).isInstanceOf(ArcAuthenticationResults.Invalid.class);
        String huge = "i=1; " + "x".repeat(200_000);
        assertThat(ArcSeal.parse(huge)).isInstanceOf(ArcSeal.Invalid.class);
        assertThat(ArcAuthenticationResults.parse(huge)).isInstanceOf(ArcAuthenticationResults.Invalid.class);
    }
}
