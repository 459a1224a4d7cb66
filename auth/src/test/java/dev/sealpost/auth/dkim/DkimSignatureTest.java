package dev.sealpost.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6376 §3.5 signature fields and §3.6.1 key records. */
class DkimSignatureTest {
    static final String GOOD = "v=1; a=rsa-sha256; d=example.com; s=sel; h=From:To; bh=YWJj; b=ZGVm";

    @Test
    void defaults() {
        DkimSignature s = ((DkimSignature.Parsed) DkimSignature.parse(GOOD)).signature();
        assertThat(s.algorithm()).isEqualTo(DkimAlgorithm.RSA_SHA256);
        assertThat(s.headerCanon()).isEqualTo(Canonicalization.SIMPLE);
        assertThat(s.bodyCanon()).isEqualTo(Canonicalization.SIMPLE);
        assertThat(s.identity()).isEqualTo("@example.com");
        assertThat(s.bodyLength()).isEqualTo(-1);
        assertThat(s.timestamp()).isEqualTo(-1);
        assertThat(s.signedHeaders()).containsExactly("From", "To");
        assertThat(s.keyName()).isEqualTo("sel._domainkey.example.com");
        DkimSignature r = ((DkimSignature.Parsed) DkimSignature.parse(GOOD + "; c=relaxed; i=joe@Mail.EXAMPLE.com; l=0012; t=5; x=6; q=dns/txt; z=From:x"))
                .signature();
        assertThat(r.headerCanon()).isEqualTo(Canonicalization.RELAXED);
        assertThat(r.bodyCanon()).isEqualTo(Canonicalization.SIMPLE);
        assertThat(r.identityDomain()).isEqualTo("mail.example.com");
        assertThat(r.bodyLength()).isEqualTo(12);
        assertThat(((DkimSignature.Parsed) DkimSignature.parse(GOOD + "; t=9999999999999")).signature().timestamp()).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            v=2                         | unsupported version
            a=rsa-md5                   | unknown algorithm
            c=relaxed/bogus             | unknown canonicalization
            d=exa mple.com              | d= is not a domain
            s=bad selector              | s= is not a selector
            h=To:Subject                | h= does not include From
            h=From::To                  | invalid field name
            i=joe@other.com             | not in d=
            i=joe@notexample.com        | not in d=
            i=joe                       | i= has no @
            l=12a                       | l= is not a decimal
            q=http/well-known           | q= has no dns/txt
            t=-1                        | t= is not a decimal
            x=1; t=2                    | x= is not after t=
            b=!!!                       | b= is not base64
            bh=                         | bh= is not base64
            """)
    void invalid(String override, String reason) {
        String tag = override.substring(0, override.indexOf('='));
        String sig = GOOD.replaceAll("(^|; )" + tag + "=[^;]*", "$1" + override);
        if (!sig.contains(override)) sig = GOOD + "; " + override;
        assertThat(DkimSignature.parse(sig)).as(sig).isInstanceOfSatisfying(DkimSignature.Invalid.class,
                i -> assertThat(i.reason()).contains(reason));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            v                           | missing required tag v=
            b                           | missing required tag b=
            h                           | missing required tag h=
            """)
    void missing(String tag, String reason) {
        String sig = GOOD.replaceAll("(^|; )" + tag + "=[^;]*;?", "$1");
        assertThat(DkimSignature.parse(sig)).isInstanceOfSatisfying(DkimSignature.Invalid.class,
                i -> assertThat(i.reason()).isEqualTo(reason));
    }

    @Test
    void invalidKeepsWhatItCouldRead() {
        assertThat(DkimSignature.parse("v=1; a=rsa-sha256; d=example.com; s=x; h=To; bh=YWJj; b=ZGVm"))
                .isInstanceOfSatisfying(DkimSignature.Invalid.class, i -> {
                    assertThat(i.domain()).isEqualTo("example.com");
                    assertThat(i.selector()).isEqualTo("x");
                    assertThat(i.algorithm()).isEqualTo("rsa-sha256");
                });
        assertThat(DkimSignature.parse("garbage")).isInstanceOf(DkimSignature.Invalid.class);
    }

    @Test
    void keyRecords() {
        String p = DkimTestSupport.text("test.txt");
        DkimKeyRecord k = ((DkimKeyRecord.Parsed) DkimKeyRecord.parse(p)).record();
        assertThat(k).extracting(DkimKeyRecord::keyType, DkimKeyRecord::keyBits, DkimKeyRecord::testing).containsExactly("rsa", 1024, false);
        assertThat(k.forEmail()).isTrue();
        assertThat(k.allowsHash("sha256")).isTrue();
        DkimKeyRecord ed = ((DkimKeyRecord.Parsed) DkimKeyRecord.parse(DkimTestSupport.text("eximtest.dns"))).record();
        assertThat(ed.keyType()).isEqualTo("ed25519");
        assertThat(ed.publicKey().getAlgorithm()).isIn("EdDSA", "Ed25519");
        DkimKeyRecord revoked = ((DkimKeyRecord.Parsed) DkimKeyRecord.parse("v=DKIM1; p=; t=y:s; s=email:tlsrpt; h=SHA256; n=notes; foo=bar")).record();
        assertThat(revoked.revoked()).isTrue();
        assertThat(revoked.testing()).isTrue();
        assertThat(revoked.strictIdentity()).isTrue();
        assertThat(revoked.services()).containsExactly("email", "tlsrpt");
        assertThat(revoked.allowsHash("sha256")).isTrue();
        assertThat(DkimKeyRecord.parse("v=DKIM1; k=rsa")).isInstanceOfSatisfying(DkimKeyRecord.Invalid.class,
                i -> assertThat(i.reason()).contains("no p="));
        assertThat(DkimKeyRecord.parse("v=DKIM1; p=%%%")).isInstanceOfSatisfying(DkimKeyRecord.Invalid.class,
                i -> assertThat(i.reason()).contains("base64"));
        assertThat(DkimKeyRecord.parse(DkimTestSupport.text("badversion.txt"))).isInstanceOf(DkimKeyRecord.Invalid.class);
        assertThat(DkimKeyRecord.parse(DkimTestSupport.text("badk.txt"))).isInstanceOf(DkimKeyRecord.Invalid.class);
        assertThat(DkimKeyRecord.parse(DkimTestSupport.text("test_bad.txt"))).isInstanceOf(DkimKeyRecord.Invalid.class);
        // the bare RSAPublicKey form (dkimpy's *.pub.rsa.txt) is accepted
        assertThat(DkimKeyRecord.parse(DkimTestSupport.text("1024_testkey_wo_markers.pub.rsa.txt"))).isInstanceOfSatisfying(
                DkimKeyRecord.Parsed.class, r -> assertThat(r.record().keyBits()).isEqualTo(1024));
        // an Ed25519 y coordinate >= p is rejected
        String bigY = java.util.Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex("ff".repeat(31) + "7f"));
        assertThat(DkimKeyRecord.parse("k=ed25519; p=" + bigY)).isInstanceOf(DkimKeyRecord.Invalid.class);
    }
}
