package dev.sealpost.auth.arc;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.dkim.DkimKeys;
import dev.sealpost.auth.dkim.DkimSigningKey;
import dev.sealpost.auth.results.AuthenticationResults;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sealer in normal output mode, its refusals and argument checks, and the trust list. */
class ArcSealerTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC);
    static final KeyPair RSA = DkimKeys.generateRsa(2048);
    static final KeyPair ED = DkimKeys.generateEd25519();
    static final DkimSigningKey KEY = DkimSigningKey.of("Lists.Example.NET", "arc2024", RSA.getPrivate());
    static final DkimSigningKey ED_KEY = DkimSigningKey.of("example.com", "ed", ED.getPrivate());
    static final ArcTestSupport.TxtResolver DNS = new ArcTestSupport.TxtResolver()
            .put("arc2024._domainkey.lists.example.net", DkimKeys.keyRecord(RSA.getPublic()))
            .put("ed._domainkey.example.com", DkimKeys.keyRecord(ED.getPublic()));
    static final String MESSAGE = """
            Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=a@example.org;\r
              dkim=pass header.d=example.org\r
            Authentication-Results: other.example; spf=fail\r
            From: A <a@example.org>\r
            To: list@lists.example.net\r
            Subject: hello\r
            Date: Wed, 1 May 2024 12:00:00 +0000\r
            \r
            body\r
            """;

    static AuthMessage msg(String s) {
        return AuthMessage.of(s.getBytes(StandardCharsets.UTF_8));
    }

    static ArcSet sealed(ArcSealer.Outcome o) {
        assertThat(o).isInstanceOf(ArcSealer.Sealed.class);
        return ((ArcSealer.Sealed) o).set();
    }

    ArcOutcome verify(byte[] m) {
        return new ArcVerifier(DNS, CLOCK).verify(AuthMessage.of(m));
    }

    @Test
    void normalModeFoldsAndValidatesOverThreeHops() {
        ArcSealer sealer = new ArcSealer(CLOCK);
        byte[] m = MESSAGE.getBytes(StandardCharsets.UTF_8);
        ArcSet s1 = sealed(sealer.seal(AuthMessage.of(m), "mx.example.net", "spf=pass smtp.mailfrom=a@example.org;\r\n dkim=pass header.d=example.org",
                ArcResult.NONE, KEY, ArcSealOptions.DEFAULT));
        assertThat(s1.instance()).isEqualTo(1);
        assertThat(s1.authenticationResults()).isEqualTo("ARC-Authentication-Results: i=1; mx.example.net; spf=pass\r\n smtp.mailfrom=a@example.org;\r\n\tdkim=pass header.d=example.org");
        assertThat(s1.messageSignature().replace("\r\n", "")).startsWith("ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=lists.example.net;")
                .contains("h=From:To:Subject:Date;").contains("t=1714564800;");
        assertThat(s1.seal().replace("\r\n", "")).startsWith("ARC-Seal: i=1; a=rsa-sha256; t=1714564800; cv=none; d=lists.example.net;");
        for (String f : s1.fields()) {
            for (String line : f.split("\r\n")) assertThat(line.length()).isLessThanOrEqualTo(78);
        }
        m = s1.prependTo(m);
        assertThat(verify(m).cv()).isEqualTo(ArcResult.PASS);
        ArcSet s2 = sealed(sealer.seal(AuthMessage.of(m), "relay.example.com", "arc=pass", ArcResult.PASS, ED_KEY, ArcSealOptions.DEFAULT));
        assertThat(s2.seal().replace("\r\n", "")).contains("a=ed25519-sha256;").contains("cv=pass;");
        m = s2.prependTo(m);
        ArcOutcome o = verify(m);
        assertThat(o.cv()).as(o.reason()).isEqualTo(ArcResult.PASS);
        assertThat(o.sealers()).containsExactly("lists.example.net", "example.com");
        assertThat(o.authResults()).containsExactly("mx.example.net; spf=pass smtp.mailfrom=a@example.org; dkim=pass header.d=example.org",
                "relay.example.com; arc=pass");
        assertThat(o.oldestPass()).isZero();
    }

    @Test
    void sealsFromAnAuthenticationResultsValue() {
        AuthenticationResults ar = AuthenticationResults.builder("mx.example.net").arc("none", null).spf("pass", "a@example.org").build();
        ArcSet s = sealed(new ArcSealer(CLOCK).seal(msg(MESSAGE), ar, ArcResult.NONE, KEY, ArcSealOptions.canonical(List.of("from", "to"))));
        assertThat(s.authenticationResults()).isEqualTo("ARC-Authentication-Results: i=1; mx.example.net; arc=none; spf=pass smtp.mailfrom=a@example.org");
        assertThat(s.messageSignature()).contains("; h=from:to; i=1; s=arc2024; t=1714564800").doesNotContain("\r\n");
        assertThat(verify(s.prependTo(msg(MESSAGE).bytes())).cv()).isEqualTo(ArcResult.PASS);
    }

    @Test
    void consolidatesOurResultsOnly() {
        assertThat(ArcSealer.consolidateResults(msg(MESSAGE), "MX.example.net"))
                .contains("spf=pass smtp.mailfrom=a@example.org; dkim=pass header.d=example.org");
        assertThat(ArcSealer.consolidateResults(msg(MESSAGE), "nobody.example")).isEmpty();
        // a ';' inside a comment or quoted string does not split a result
        String quoted = "Authentication-Results: mx.example.net; dkim=pass (a; b) reason=\"x; y\"; spf=none\r\nFrom: a@b.example\r\n\r\n";
        assertThat(ArcSealer.consolidateResults(msg(quoted), "mx.example.net")).contains("dkim=pass (a; b) reason=\"x; y\"; spf=none");
    }

    @Test
    void refusesToExtendAFailedChainOrOneWithFiftySets() {
        ArcSealer sealer = new ArcSealer(CLOCK);
        byte[] m = MESSAGE.getBytes(StandardCharsets.UTF_8);
        byte[] failed = sealed(sealer.seal(AuthMessage.of(m), "mx.example.net", "arc=fail", ArcResult.NONE, KEY, ArcSealOptions.DEFAULT)).prependTo(m);
        // a chain whose newest seal says cv=fail
        String text = new String(failed, StandardCharsets.UTF_8).replace("cv=none", "cv=fail");
        assertThat(sealer.seal(msg(text), "mx.example.net", "arc=fail", ArcResult.FAIL, KEY, ArcSealOptions.DEFAULT))
                .isInstanceOf(ArcSealer.Refused.class);
        StringBuilder fifty = new StringBuilder();
        for (int i = 50; i >= 1; i--) {
            fifty.append("ARC-Seal: i=").append(i).append("; a=rsa-sha256; cv=pass; d=x.example; s=s; b=YWJj\r\n");
        }
        ArcSealer.Outcome o = sealer.seal(msg(fifty + MESSAGE), "mx.example.net", "arc=fail", ArcResult.FAIL, KEY, ArcSealOptions.DEFAULT);
        assertThat(o).isEqualTo(new ArcSealer.Refused("the message already has 50 ARC Sets"));
    }

    @Test
    void aFailedChainIsSealedAloneAndStaysFailed() {
        ArcSealer sealer = new ArcSealer(CLOCK);
        byte[] m = MESSAGE.getBytes(StandardCharsets.UTF_8);
        byte[] m1 = sealed(sealer.seal(AuthMessage.of(m), "mx.example.net", "spf=pass", ArcResult.NONE, KEY, ArcSealOptions.DEFAULT)).prependTo(m);
        byte[] broken = new String(m1, StandardCharsets.UTF_8).replace("body", "changed").getBytes(StandardCharsets.UTF_8);
        assertThat(verify(broken).cv()).isEqualTo(ArcResult.FAIL);
        ArcSet s2 = sealed(sealer.seal(AuthMessage.of(broken), "relay.example.com", "arc=fail", ArcResult.FAIL, KEY, ArcSealOptions.DEFAULT));
        assertThat(s2.instance()).isEqualTo(2);
        assertThat(s2.seal().replace("\r\n", "")).contains("cv=fail;");
        ArcOutcome o = verify(s2.prependTo(broken));
        assertThat(o.cv()).isEqualTo(ArcResult.FAIL);
        assertThat(o.reason()).isEqualTo("ARC-Seal i=2 has cv=fail");
    }

    @Test
    void rejectsContradictoryOrMalformedArguments() {
        ArcSealer sealer = new ArcSealer(CLOCK);
        assertThatThrownBy(() -> sealer.seal(msg(MESSAGE), "mx.example.net", "spf=pass", ArcResult.PASS, KEY, ArcSealOptions.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cv must be none");
        assertThatThrownBy(() -> sealer.seal(msg(MESSAGE), "mx example", "spf=pass", ArcResult.NONE, KEY, ArcSealOptions.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sealer.seal(msg(MESSAGE), "mx.example.net", "spf=pass\r\nX-Injected: 1", ArcResult.NONE, KEY, ArcSealOptions.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control character");
        assertThatThrownBy(() -> new ArcSealOptions(List.of("From", "ARC-Seal"), false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArcSealOptions(List.of("To"), false)).isInstanceOf(IllegalArgumentException.class);
        byte[] sealedOnce = sealed(sealer.seal(msg(MESSAGE), "mx.example.net", "none", ArcResult.NONE, KEY, ArcSealOptions.DEFAULT))
                .prependTo(msg(MESSAGE).bytes());
        assertThatThrownBy(() -> sealer.seal(AuthMessage.of(sealedOnce), "mx.example.net", "none", ArcResult.NONE, KEY, ArcSealOptions.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pass or fail");
    }

    @Test
    void trustLetsOnlyAPassingChainFromATrustedNewestSealerOverrideDmarc() {
        ArcTrust trust = new ArcTrust(List.of("Lists.Example.NET", "forwarder.example"));
        assertThat(trust.trustedSealers()).containsExactlyInAnyOrder("lists.example.net", "forwarder.example");
        ArcOutcome pass = new ArcOutcome(ArcResult.PASS, 2, "", 0, List.of("origin.example", "lists.example.net"), List.of("a; none", "b; none"), false);
        ArcOutcome passUntrustedNewest = new ArcOutcome(ArcResult.PASS, 2, "", 0, List.of("lists.example.net", "origin.example"), List.of("a; none", "b; none"), false);
        ArcOutcome fail = new ArcOutcome(ArcResult.FAIL, 2, "seal did not verify", -1, List.of(), List.of(), false);
        assertThat(trust.mayOverrideDmarc(pass)).isTrue();
        assertThat(trust.mayOverrideDmarc(passUntrustedNewest)).isFalse();
        assertThat(trust.mayOverrideDmarc(fail)).isFalse();
        assertThat(trust.mayOverrideDmarc(ArcOutcome.none())).isFalse();
        assertThat(ArcTrust.none().mayOverrideDmarc(pass)).isFalse();
        assertThatThrownBy(() -> new ArcTrust(List.of("not a domain"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a domain");
    }
}
